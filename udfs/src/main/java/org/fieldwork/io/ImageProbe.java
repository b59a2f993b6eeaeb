package org.fieldwork.io;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Reads an encoded image's header before a decoder sees it: the format and the pixel size, and for
 * PNG (whose decoder prints to the console and then reports only "no image") whether the file is
 * whole. Decoders then meet only files they can decode, and a user reads why a file was refused:
 * "truncated PNG", "image 60000x60000 exceeds the 1 gigapixel limit".
 */
public final class ImageProbe {
    /** OpenCV's default limit on decoded pixels (CV_IO_MAX_IMAGE_PIXELS), which it enforces with an assertion. */
    public static final long MAX_PIXELS = 1L << 30;
    /** OpenCV's default limit on either side (CV_IO_MAX_IMAGE_WIDTH / HEIGHT). */
    public static final long MAX_SIDE = 1L << 20;

    /** What the header says; width and height are 0 when the format's header does not give them cheaply. */
    public record Header(String format, long width, long height) {
    }

    /** A file that cannot be decoded, and why, in words for the user. */
    public static final class UnreadableImage extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public UnreadableImage(String message) {
            super(message);
        }
    }

    private ImageProbe() {
    }

    /**
     * The header of a PNG, JPEG, WebP, TIFF or BMP file; throws {@link UnreadableImage} for empty,
     * unknown, truncated or corrupt PNG, truncated JPEG and WebP files, and images over the decoder's limits.
     */
    public static Header probe(byte[] b) {
        if (b == null || b.length == 0) {
            throw new UnreadableImage("empty file");
        }
        Header h;
        if (startsWith(b, 0, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'})) {
            h = png(b);
        } else if (b.length >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            h = jpeg(b);
        } else if (startsWith(b, 0, ascii("RIFF")) && startsWith(b, 8, ascii("WEBP"))) {
            h = webp(b);
        } else if (startsWith(b, 0, ascii("II*\0")) || startsWith(b, 0, ascii("MM\0*"))) {
            h = tiff(b);
        } else if (startsWith(b, 0, ascii("BM")) && b.length >= 26) {
            h = new Header("BMP", Math.abs((long) le32(b, 18)), Math.abs((long) le32(b, 22)));
        } else {
            throw new UnreadableImage("not an image (no PNG, JPEG, WebP, TIFF or BMP content)");
        }
        if (h.width() > MAX_SIDE || h.height() > MAX_SIDE || h.width() * h.height() > MAX_PIXELS) {
            throw new UnreadableImage(String.format("image %dx%d (%.1f gigapixels) exceeds the %d gigapixel limit of the decoder",
                    h.width(), h.height(), h.width() * (double) h.height() / 1e9, MAX_PIXELS >> 30));
        }
        return h;
    }

    /** Walks every chunk to IEND, checking lengths and CRCs. */
    private static Header png(byte[] b) {
        long width = 0;
        long height = 0;
        int pos = 8;
        CRC32 crc = new CRC32();
        while (true) {
            if (pos + 8 > b.length) {
                throw new UnreadableImage("truncated PNG: the file ends after " + b.length + " bytes, before its IEND chunk");
            }
            long length = be32(b, pos) & 0xffffffffL;
            String type = new String(b, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE || pos + 12 + length > b.length) {
                throw new UnreadableImage("truncated PNG: the file ends after " + b.length + " bytes, inside its " + type
                        + " chunk");
            }
            crc.reset();
            crc.update(b, pos + 4, 4 + (int) length);
            if ((int) crc.getValue() != be32(b, pos + 8 + (int) length)) {
                throw new UnreadableImage("corrupt PNG: the " + type + " chunk at byte " + pos + " fails its checksum");
            }
            if (type.equals("IHDR") && length >= 8) {
                width = be32(b, pos + 8) & 0xffffffffL;
                height = be32(b, pos + 12) & 0xffffffffL;
            }
            pos += 12 + (int) length;
            if (type.equals("IEND")) {
                return new Header("PNG", width, height);
            }
        }
    }

    /** Reads markers up to the frame header for the size; the scan must end with an EOI marker. */
    private static Header jpeg(byte[] b) {
        long width = 0;
        long height = 0;
        int pos = 2;
        while (pos + 4 <= b.length) {
            if ((b[pos] & 0xff) != 0xff) {
                pos++; // stray bytes between segments, which decoders skip too
                continue;
            }
            int marker = b[pos + 1] & 0xff;
            if (marker == 0xff) {
                pos++;
                continue;
            }
            int length = ((b[pos + 2] & 0xff) << 8) | (b[pos + 3] & 0xff);
            boolean frame = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (frame && pos + 9 <= b.length) {
                height = ((b[pos + 5] & 0xff) << 8) | (b[pos + 6] & 0xff);
                width = ((b[pos + 7] & 0xff) << 8) | (b[pos + 8] & 0xff);
            }
            if (marker == 0xda) {
                for (int i = b.length - 2; i > pos; i--) {
                    if ((b[i] & 0xff) == 0xff && (b[i + 1] & 0xff) == 0xd9) {
                        return new Header("JPEG", width, height);
                    }
                }
                throw new UnreadableImage("truncated JPEG: the file ends after " + b.length + " bytes, inside its image data");
            }
            pos += 2 + length;
        }
        throw new UnreadableImage("truncated JPEG: the file ends after " + b.length + " bytes, before its image data");
    }

    private static Header webp(byte[] b) {
        long riff = le32(b, 4) & 0xffffffffL;
        if (riff + 8 > b.length) {
            throw new UnreadableImage("truncated WebP: the file ends after " + b.length + " of its " + (riff + 8) + " bytes");
        }
        if (b.length >= 30 && startsWith(b, 12, ascii("VP8X"))) {
            return new Header("WebP", 1 + le24(b, 24), 1 + le24(b, 27));
        }
        if (b.length >= 30 && startsWith(b, 12, ascii("VP8 "))) {
            return new Header("WebP", le16(b, 26) & 0x3fff, le16(b, 28) & 0x3fff);
        }
        if (b.length >= 25 && startsWith(b, 12, ascii("VP8L"))) {
            long bits = le32(b, 21) & 0xffffffffL;
            return new Header("WebP", 1 + (bits & 0x3fff), 1 + ((bits >> 14) & 0x3fff));
        }
        return new Header("WebP", 0, 0);
    }

    /** The first image file directory's ImageWidth and ImageLength tags. */
    private static Header tiff(byte[] b) {
        boolean little = b[0] == 'I';
        if (b.length < 8) {
            throw new UnreadableImage("truncated TIFF: " + b.length + " bytes");
        }
        long ifd = u32(b, 4, little);
        if (ifd + 2 > b.length) {
            throw new UnreadableImage("truncated TIFF: its first directory lies past the end of the file");
        }
        int entries = u16(b, (int) ifd, little);
        long width = 0;
        long height = 0;
        for (int i = 0; i < entries; i++) {
            int e = (int) ifd + 2 + 12 * i;
            if (e + 12 > b.length) {
                throw new UnreadableImage("truncated TIFF: its first directory ends past the end of the file");
            }
            int tag = u16(b, e, little);
            int type = u16(b, e + 2, little);
            long value = type == 3 ? u16(b, e + 8, little) : u32(b, e + 8, little);
            if (tag == 256) {
                width = value;
            } else if (tag == 257) {
                height = value;
            }
        }
        return new Header("TIFF", width, height);
    }

    private static boolean startsWith(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int be32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static int le32(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16) | ((b[i + 3] & 0xff) << 24);
    }

    private static int le24(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8) | ((b[i + 2] & 0xff) << 16);
    }

    private static int le16(byte[] b, int i) {
        return (b[i] & 0xff) | ((b[i + 1] & 0xff) << 8);
    }

    private static int u16(byte[] b, int i, boolean little) {
        return little ? le16(b, i) : ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static long u32(byte[] b, int i, boolean little) {
        return (little ? le32(b, i) : be32(b, i)) & 0xffffffffL;
    }
}
