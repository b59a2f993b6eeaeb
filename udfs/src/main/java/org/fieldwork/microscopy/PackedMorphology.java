package org.fieldwork.microscopy;

/**
 * Binary morphology on masks packed 64 pixels to a word, row by row: a one-dimensional erosion or
 * dilation along a row is two shifts and two logical operations per word, along a column one
 * operation per word, so a whole frame's clean-up costs a few passes over width/64 words per row.
 * Same definitions as {@link BinaryMorphology} (scipy.ndimage's): pixels outside the frame count as
 * the border value. Padding bits past the row's last pixel are kept 0 between operations.
 */
final class PackedMorphology {
    private final int width;
    private final int height;
    private final int words;
    private final long lastMask;   // the valid bits of a row's last word
    private final long[] scratch;

    PackedMorphology(int width, int height) {
        this.width = width;
        this.height = height;
        this.words = (width + 63) >>> 6;
        int tail = width & 63;
        this.lastMask = tail == 0 ? -1L : (1L << tail) - 1;
        this.scratch = new long[words * height];
    }

    long[] newMask() {
        return new long[words * height];
    }

    /** Bytes (0/1) to words; bit i of word k of a row is pixel 64k + i. */
    void pack(byte[] mask, long[] out) {
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int k = 0; k < words; k++) {
                long w = 0;
                int x0 = k << 6;
                int n = Math.min(64, width - x0);
                for (int i = 0; i < n; i++) {
                    w |= (long) (mask[row + x0 + i] & 1) << i;
                }
                out[y * words + k] = w;
            }
        }
    }

    void unpack(long[] in, byte[] out) {
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int k = 0; k < words; k++) {
                long w = in[y * words + k];
                int x0 = k << 6;
                int n = Math.min(64, width - x0);
                for (int i = 0; i < n; i++) {
                    out[row + x0 + i] = (byte) ((w >>> i) & 1);
                }
            }
        }
    }

    /** Erosion (AND) or dilation (OR) over x-r..x+r along every row, as r passes of radius 1. */
    void rows(long[] in, long[] out, int r, boolean erode, int border) {
        if (r == 0) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        long[] src = in;
        for (int pass = 0; pass < r; pass++) {
            rowsOnce(src, out, erode, border);
            src = out;
        }
    }

    private void rowsOnce(long[] in, long[] out, boolean erode, int border) {
        long outside = border != 0 ? -1L : 0L;
        long padding = border != 0 ? ~lastMask : 0L;
        for (int y = 0; y < height; y++) {
            int base = y * words;
            long prev = outside;
            long cur = in[base];
            if (words == 1) {
                cur |= padding;
            }
            for (int k = 0; k < words; k++) {
                long next;
                if (k + 1 < words) {
                    next = in[base + k + 1];
                    if (k + 1 == words - 1) {
                        next |= padding;
                    }
                } else {
                    next = outside;
                }
                long left = (cur << 1) | (prev >>> 63);
                long right = (cur >>> 1) | (next << 63);
                long v = erode ? cur & left & right : cur | left | right;
                out[base + k] = k == words - 1 ? v & lastMask : v;
                prev = cur;
                cur = next;
            }
        }
    }

    /** Erosion or dilation over y-r..y+r along every column: whole rows of words at once. */
    void columns(long[] in, long[] out, int r, boolean erode, int border) {
        if (r == 0) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        boolean absorbing = erode ? border == 0 : border != 0;
        long absorbed = erode ? 0L : -1L;
        long[] dst = in == out ? scratch : out;
        for (int y = 0; y < height; y++) {
            int base = y * words;
            int lo = y - r;
            int hi = y + r;
            if ((lo < 0 || hi >= height) && absorbing) {
                for (int k = 0; k < words; k++) {
                    dst[base + k] = k == words - 1 ? absorbed & lastMask : absorbed;
                }
                continue;
            }
            lo = Math.max(0, lo);
            hi = Math.min(height - 1, hi);
            System.arraycopy(in, lo * words, dst, base, words);
            for (int yy = lo + 1; yy <= hi; yy++) {
                int src = yy * words;
                if (erode) {
                    for (int k = 0; k < words; k++) {
                        dst[base + k] &= in[src + k];
                    }
                } else {
                    for (int k = 0; k < words; k++) {
                        dst[base + k] |= in[src + k];
                    }
                }
            }
        }
        if (dst != out) {
            System.arraycopy(dst, 0, out, 0, out.length);
        }
    }
}
