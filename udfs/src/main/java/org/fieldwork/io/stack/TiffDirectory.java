package org.fieldwork.io.stack;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import javax.imageio.stream.ImageInputStream;

/**
 * The tags of one TIFF image file directory (IFD) that describe a stack, read by us rather than
 * through ImageIO's metadata for two reasons: the JDK decodes ImageDescription as US-ASCII, which
 * spoils the UTF-8 of OME-XML ("µm"), and its page count stops silently where a truncated file's
 * chain of directories breaks, where a stack reader must say so.
 *
 * @param offset          where the directory starts
 * @param width           ImageWidth
 * @param height          ImageLength
 * @param samplesPerPixel SamplesPerPixel (1 for grayscale, 3 for RGB)
 * @param bitsPerSample   BitsPerSample of the first sample
 * @param sampleFormat    SampleFormat: 1 unsigned integer, 2 signed integer, 3 IEEE float
 * @param compression     Compression code (1 none, 5 LZW, 8 Deflate...)
 * @param description     ImageDescription as UTF-8 up to its first NUL; empty when absent
 * @param xResolution     pixels per ResolutionUnit along x; NaN when absent
 * @param resolutionUnit  ResolutionUnit: 1 none, 2 inch, 3 centimetre
 */
record TiffDirectory(long offset, int width, int height, int samplesPerPixel, int bitsPerSample, int sampleFormat,
                     int compression, String description, double xResolution, int resolutionUnit) {

    private static final int IMAGE_WIDTH = 256;
    private static final int IMAGE_LENGTH = 257;
    private static final int BITS_PER_SAMPLE = 258;
    private static final int COMPRESSION = 259;
    private static final int IMAGE_DESCRIPTION = 270;
    private static final int SAMPLES_PER_PIXEL = 277;
    private static final int X_RESOLUTION = 282;
    private static final int RESOLUTION_UNIT = 296;
    private static final int SAMPLE_FORMAT = 339;
    /** Bytes of one value of each TIFF field type (index = type code); 0 for unknown types. */
    private static final int[] TYPE_BYTES = {0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8, 4};

    /**
     * Reads the header and the first directory. Sets the stream's byte order to the file's.
     *
     * @throws IOException naming the file: not a TIFF, BigTIFF, or the first directory cut off
     */
    static TiffDirectory first(String name, ImageInputStream in) throws IOException {
        long size = in.length();
        if (size < 8) {
            throw new IOException(name + ": truncated TIFF: the file has " + size + " bytes, fewer than the 8 of a TIFF header");
        }
        in.seek(0);
        int order = in.readUnsignedShort();
        if (order == 0x4949) {
            in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
        } else if (order == 0x4d4d) {
            in.setByteOrder(ByteOrder.BIG_ENDIAN);
        } else {
            throw new IOException(name + ": not a TIFF file (it does not start with II or MM)");
        }
        int magic = in.readUnsignedShort();
        if (magic == 43) {
            throw new IOException(name + ": BigTIFF (a TIFF with 64-bit offsets) is not read by the JDK's TIFF decoder;"
                    + " save the stack as classic TIFF (under 4 GB per file) or add a reader jar that reads BigTIFF");
        }
        if (magic != 42) {
            throw new IOException(name + ": not a TIFF file (version " + magic + " where TIFF has 42)");
        }
        long offset = in.readUnsignedInt();
        if (offset < 8 || offset + 2 > size) {
            throw new IOException(name + ": truncated TIFF: its first directory at byte " + offset
                    + " lies past the end of the file (" + size + " bytes)");
        }
        return read(name, in, offset, 0);
    }

    /** Reads the directory at {@code offset}, which belongs to page {@code page} (for messages). */
    static TiffDirectory read(String name, ImageInputStream in, long offset, int page) throws IOException {
        long size = in.length();
        in.seek(offset);
        int entries = in.readUnsignedShort();
        long end = offset + 2 + 12L * entries + 4;
        if (end > size) {
            throw new IOException(name + ": truncated TIFF: the directory of page " + page + " (bytes " + offset + ".." + end
                    + ") runs past the end of the file (" + size + " bytes)");
        }
        Map<Integer, long[]> fields = new HashMap<>();
        String description = "";
        for (int i = 0; i < entries; i++) {
            long at = offset + 2 + 12L * i;
            in.seek(at);
            int tag = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long count = in.readUnsignedInt();
            if (type >= TYPE_BYTES.length || TYPE_BYTES[type] == 0 || count == 0) {
                continue;
            }
            long bytes = count * TYPE_BYTES[type];
            long valueAt = at + 8;
            if (bytes > 4) {
                valueAt = in.readUnsignedInt();
                if (valueAt + bytes > size) {
                    if (tag == IMAGE_DESCRIPTION || isLayoutTag(tag)) {
                        throw new IOException(name + ": truncated TIFF: the " + tagName(tag) + " of page " + page + " lies at bytes "
                                + valueAt + ".." + (valueAt + bytes) + ", past the end of the file (" + size + " bytes)");
                    }
                    continue;
                }
            }
            if (tag == IMAGE_DESCRIPTION && type == 2) {
                description = ascii(in, valueAt, (int) Math.min(bytes, Integer.MAX_VALUE - 8));
            } else if (isLayoutTag(tag)) {
                in.seek(valueAt);
                fields.put(tag, firstValue(in, type));
            }
        }
        return new TiffDirectory(offset, (int) integer(fields, IMAGE_WIDTH, 0), (int) integer(fields, IMAGE_LENGTH, 0),
                (int) integer(fields, SAMPLES_PER_PIXEL, 1), (int) integer(fields, BITS_PER_SAMPLE, 1),
                (int) integer(fields, SAMPLE_FORMAT, 1), (int) integer(fields, COMPRESSION, 1), description,
                rational(fields, X_RESOLUTION), (int) integer(fields, RESOLUTION_UNIT, 2));
    }

    /**
     * The directory offsets of every page, following the chain from {@code first}; fails naming
     * the page whose directory is missing or cut off, or where the chain loops.
     */
    static long[] pageOffsets(String name, ImageInputStream in, TiffDirectory first) throws IOException {
        return walk(name, in, first, Integer.MAX_VALUE);
    }

    /**
     * Follows the chain of directories up to {@code page}; fails with the reason when that page's
     * directory cannot be reached (the chain ends early, loops, or leaves the file).
     */
    static long locate(String name, ImageInputStream in, TiffDirectory first, int page) throws IOException {
        long[] offsets = walk(name, in, first, page + 1);
        if (offsets.length <= page) {
            throw new IOException(name + ": page " + page + " is missing: the file has only " + offsets.length + " pages");
        }
        return offsets[page];
    }

    private static long[] walk(String name, ImageInputStream in, TiffDirectory first, int limit) throws IOException {
        long size = in.length();
        long[] offsets = new long[16];
        Set<Long> seen = new HashSet<>();
        int n = 0;
        long offset = first.offset();
        while (offset != 0 && n < limit) {
            if (offset + 2 > size) {
                throw new IOException(name + ": truncated TIFF: the directory of page " + n + " at byte " + offset
                        + " lies past the end of the file (" + size + " bytes)");
            }
            if (!seen.add(offset)) {
                throw new IOException(name + ": corrupt TIFF: the directory of page " + n + " points back to byte " + offset
                        + ", an earlier page's directory");
            }
            if (n == offsets.length) {
                offsets = Arrays.copyOf(offsets, n * 2);
            }
            offsets[n] = offset;
            in.seek(offset);
            int entries = in.readUnsignedShort();
            long nextAt = offset + 2 + 12L * entries;
            if (nextAt + 4 > size) {
                throw new IOException(name + ": truncated TIFF: the directory of page " + n + " (bytes " + offset + ".."
                        + (nextAt + 4) + ") runs past the end of the file (" + size + " bytes)");
            }
            in.seek(nextAt);
            offset = in.readUnsignedInt();
            n++;
        }
        return Arrays.copyOf(offsets, n);
    }

    private static String tagName(int tag) {
        return switch (tag) {
            case IMAGE_WIDTH -> "ImageWidth";
            case IMAGE_LENGTH -> "ImageLength";
            case BITS_PER_SAMPLE -> "BitsPerSample";
            case COMPRESSION -> "Compression";
            case IMAGE_DESCRIPTION -> "ImageDescription";
            case SAMPLES_PER_PIXEL -> "SamplesPerPixel";
            case X_RESOLUTION -> "XResolution";
            case RESOLUTION_UNIT -> "ResolutionUnit";
            case SAMPLE_FORMAT -> "SampleFormat";
            default -> "tag " + tag;
        };
    }

    private static boolean isLayoutTag(int tag) {
        return tag == IMAGE_WIDTH || tag == IMAGE_LENGTH || tag == BITS_PER_SAMPLE || tag == COMPRESSION
                || tag == SAMPLES_PER_PIXEL || tag == X_RESOLUTION || tag == RESOLUTION_UNIT || tag == SAMPLE_FORMAT;
    }

    /** The first value of a field: an integer, or a rational as {numerator, denominator}. */
    private static long[] firstValue(ImageInputStream in, int type) throws IOException {
        return switch (type) {
            case 1, 7 -> new long[] {in.readUnsignedByte()};
            case 6 -> new long[] {in.readByte()};
            case 3 -> new long[] {in.readUnsignedShort()};
            case 8 -> new long[] {in.readShort()};
            case 4, 13 -> new long[] {in.readUnsignedInt()};
            case 9 -> new long[] {in.readInt()};
            case 5 -> new long[] {in.readUnsignedInt(), in.readUnsignedInt()};
            case 10 -> new long[] {in.readInt(), in.readInt()};
            default -> null;
        };
    }

    private static long integer(Map<Integer, long[]> fields, int tag, long fallback) {
        long[] v = fields.get(tag);
        return v == null || v.length != 1 ? fallback : v[0];
    }

    private static double rational(Map<Integer, long[]> fields, int tag) {
        long[] v = fields.get(tag);
        return v == null || v.length != 2 || v[1] == 0 ? Double.NaN : (double) v[0] / v[1];
    }

    /** An ASCII field as UTF-8 (OME-XML's encoding), ending at its first NUL. */
    private static String ascii(ImageInputStream in, long at, int bytes) throws IOException {
        byte[] b = new byte[bytes];
        in.seek(at);
        in.readFully(b);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }
}
