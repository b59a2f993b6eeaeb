package org.fieldwork.em;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Writes a movie as a baseline multi-page TIFF, one uncompressed page per frame, little-endian:
 * 16-bit unsigned counts (what detectors write) or 32-bit float. Pages are written one after
 * another, so a 4k x 4k x 40 movie never has to be in memory whole.
 */
public final class TiffMovieWriter {

    /** Sample formats a page is written in. */
    public enum Sample {
        UINT16(16, 1), FLOAT32(32, 3);

        final int bits;
        final int format;

        Sample(int bits, int format) {
            this.bits = bits;
            this.format = format;
        }
    }

    private static final int TAGS = 11;
    private static final int IFD_BYTES = 2 + TAGS * 12 + 4;

    private TiffMovieWriter() {
    }

    /** A source of frames, produced one at a time. */
    public interface Frames {
        float[] frame(int index) throws IOException;
    }

    /** Writes {@code frames} pages of {@code width x height} to {@code out}; integer samples are rounded and clamped. */
    public static void write(OutputStream out, int width, int height, int frames, Sample sample, Frames source)
            throws IOException {
        if (width < 1 || height < 1 || frames < 1) {
            throw new IllegalArgumentException("a TIFF movie needs at least one frame of at least 1x1, got "
                    + width + "x" + height + "x" + frames);
        }
        long pageBytes = (long) width * height * sample.bits / 8;
        long pageSpan = IFD_BYTES + pageBytes;
        if (8 + pageSpan * frames > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("movie of " + frames + " frames " + width + "x" + height
                    + " exceeds the 4 GB of a classic TIFF");
        }
        ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        head.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(8);
        out.write(head.array());
        ByteBuffer pixels = ByteBuffer.allocate((int) pageBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            long ifd = 8 + pageSpan * f;
            long data = ifd + IFD_BYTES;
            long next = f + 1 < frames ? ifd + pageSpan : 0;
            ByteBuffer b = ByteBuffer.allocate(IFD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            b.putShort((short) TAGS);
            tag(b, 256, 4, width);                  // ImageWidth
            tag(b, 257, 4, height);                 // ImageLength
            tag(b, 258, 3, sample.bits);            // BitsPerSample
            tag(b, 259, 3, 1);                      // Compression: none
            tag(b, 262, 3, 1);                      // Photometric: black is zero
            tag(b, 273, 4, (int) data);             // StripOffsets
            tag(b, 277, 3, 1);                      // SamplesPerPixel
            tag(b, 278, 4, height);                 // RowsPerStrip
            tag(b, 279, 4, (int) pageBytes);        // StripByteCounts
            tag(b, 284, 3, 1);                      // PlanarConfiguration: chunky
            tag(b, 339, 3, sample.format);          // SampleFormat
            b.putInt((int) next);
            out.write(b.array());
            float[] v = source.frame(f);
            if (v.length != width * height) {
                throw new IllegalArgumentException("frame " + f + " has " + v.length + " values, expected " + width * height);
            }
            pixels.clear();
            if (sample == Sample.UINT16) {
                for (float x : v) {
                    pixels.putShort((short) Math.max(0, Math.min(65535, Math.round(x))));
                }
            } else {
                pixels.asFloatBuffer().put(v);
            }
            out.write(pixels.array());
        }
    }

    /** The frames of a list, for small movies and tests. */
    public static void write(OutputStream out, int width, int height, List<float[]> frames, Sample sample) throws IOException {
        write(out, width, height, frames.size(), sample, frames::get);
    }

    private static void tag(ByteBuffer b, int tag, int type, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(1);
        if (type == 3) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }
}
