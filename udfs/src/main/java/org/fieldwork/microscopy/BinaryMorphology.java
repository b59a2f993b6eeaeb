package org.fieldwork.microscopy;

/**
 * Binary morphology on masks of 0/1 bytes, as scipy.ndimage defines it: a pixel of an erosion is 1
 * when every pixel under the structuring element is 1, of a dilation when any is; pixels outside
 * the frame count as the given border value. Squares and rectangles run as two one-dimensional
 * passes; the structuring elements the binarization uses are unions of rectangles.
 */
public final class BinaryMorphology {
    private final int width;
    private final int height;
    private final byte[] scratch;

    public BinaryMorphology(int width, int height) {
        this.width = width;
        this.height = height;
        this.scratch = new byte[width * height];
    }

    /** Dilation by a (2rx+1) x (2ry+1) rectangle; {@code out} may be {@code in}. */
    public void dilateRect(byte[] in, byte[] out, int rx, int ry, int border) {
        rows(in, scratch, rx, border, false);
        columns(scratch, out, ry, border, false);
    }

    /** Erosion by a (2rx+1) x (2ry+1) rectangle; {@code out} may be {@code in}. */
    public void erodeRect(byte[] in, byte[] out, int rx, int ry, int border) {
        rows(in, scratch, rx, border, true);
        columns(scratch, out, ry, border, true);
    }

    /** Erosion by the 3x3 cross (4-neighbourhood and the centre). */
    public void erodeCross(byte[] in, byte[] out, int border) {
        byte b = (byte) border;
        System.arraycopy(in, 0, scratch, 0, in.length);
        for (int y = 0; y < height; y++) {
            int row = y * width;
            for (int x = 0; x < width; x++) {
                int i = row + x;
                byte v = scratch[i];
                if (v != 0) {
                    byte l = x > 0 ? scratch[i - 1] : b;
                    byte r = x < width - 1 ? scratch[i + 1] : b;
                    byte u = y > 0 ? scratch[i - width] : b;
                    byte d = y < height - 1 ? scratch[i + width] : b;
                    v = (byte) (l & r & u & d);
                }
                out[i] = v;
            }
        }
    }

    /**
     * Erosion by the 5x5 square without its four corners: the union of a 5x3 and a 3x5 rectangle,
     * so the erosion is the intersection of the two rectangles' erosions.
     */
    public void erodeRoundedSquare5(byte[] in, byte[] out, int border) {
        byte[] wide = new byte[in.length];
        erodeRect(in, wide, 2, 1, border);
        erodeRect(in, out, 1, 2, border);
        for (int i = 0; i < out.length; i++) {
            out[i] &= wide[i];
        }
    }

    /** Dilation by the 5x5 square without its corners: the union of the two rectangles' dilations. */
    public void dilateRoundedSquare5(byte[] in, byte[] out, int border) {
        byte[] wide = new byte[in.length];
        dilateRect(in, wide, 2, 1, border);
        dilateRect(in, out, 1, 2, border);
        for (int i = 0; i < out.length; i++) {
            out[i] |= wide[i];
        }
    }

    /**
     * Fills holes: background pixels that are not 4-connected to the outside of the frame become
     * foreground (scipy's binary_fill_holes with its default structure).
     */
    public void fillHoles(byte[] mask) {
        // Flood the background from the frame's edge; whatever background is not reached is a hole.
        byte[] reached = scratch;
        java.util.Arrays.fill(reached, (byte) 0);
        int[] stack = new int[Math.max(16, 2 * (width + height))];
        int top = 0;
        for (int x = 0; x < width; x++) {
            top = seed(mask, reached, x, stack, top);
            top = seed(mask, reached, (height - 1) * width + x, stack, top);
        }
        for (int y = 0; y < height; y++) {
            top = seed(mask, reached, y * width, stack, top);
            top = seed(mask, reached, y * width + width - 1, stack, top);
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % width;
            if (x > 0) {
                stack = grow(stack, top);
                top = seed(mask, reached, i - 1, stack, top);
            }
            if (x < width - 1) {
                stack = grow(stack, top);
                top = seed(mask, reached, i + 1, stack, top);
            }
            if (i >= width) {
                stack = grow(stack, top);
                top = seed(mask, reached, i - width, stack, top);
            }
            if (i < (height - 1) * width) {
                stack = grow(stack, top);
                top = seed(mask, reached, i + width, stack, top);
            }
        }
        for (int i = 0; i < mask.length; i++) {
            if (reached[i] == 0) {
                mask[i] = 1;
            }
        }
    }

    private static int[] grow(int[] stack, int top) {
        return top < stack.length ? stack : java.util.Arrays.copyOf(stack, stack.length * 2);
    }

    private static int seed(byte[] mask, byte[] reached, int i, int[] stack, int top) {
        if (mask[i] == 0 && reached[i] == 0) {
            reached[i] = 1;
            stack[top++] = i;
        }
        return top;
    }

    /**
     * One-dimensional AND (erosion) or OR (dilation) over x-r..x+r along each row. Outside the row
     * counts as the border value: where that is the operation's identity it is skipped, otherwise
     * it decides the pixel.
     */
    private void rows(byte[] in, byte[] out, int r, int border, boolean erode) {
        if (r == 0) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        int w = width;
        boolean absorbing = erode ? border == 0 : border != 0;
        byte absorbed = (byte) (erode ? 0 : 1);
        for (int y = 0; y < height; y++) {
            int row = y * w;
            int from = Math.min(r, w);
            int to = Math.max(from, w - r);
            for (int x = 0; x < from; x++) {
                out[row + x] = absorbing ? absorbed : window(in, row, x, r, erode);
            }
            for (int x = to; x < w; x++) {
                out[row + x] = absorbing ? absorbed : window(in, row, x, r, erode);
            }
            if (r == 1) {
                if (erode) {
                    for (int i = row + from; i < row + to; i++) {
                        out[i] = (byte) (in[i - 1] & in[i] & in[i + 1]);
                    }
                } else {
                    for (int i = row + from; i < row + to; i++) {
                        out[i] = (byte) (in[i - 1] | in[i] | in[i + 1]);
                    }
                }
            } else if (r == 2) {
                if (erode) {
                    for (int i = row + from; i < row + to; i++) {
                        out[i] = (byte) (in[i - 2] & in[i - 1] & in[i] & in[i + 1] & in[i + 2]);
                    }
                } else {
                    for (int i = row + from; i < row + to; i++) {
                        out[i] = (byte) (in[i - 2] | in[i - 1] | in[i] | in[i + 1] | in[i + 2]);
                    }
                }
            } else {
                for (int x = from; x < to; x++) {
                    out[row + x] = window(in, row, x, r, erode);
                }
            }
        }
    }

    /** The window x-r..x+r of one row, clipped to the row (the border value is handled by the caller). */
    private byte window(byte[] in, int row, int x, int r, boolean erode) {
        int acc = erode ? 1 : 0;
        for (int xx = Math.max(0, x - r); xx <= Math.min(width - 1, x + r); xx++) {
            acc = erode ? acc & in[row + xx] : acc | in[row + xx];
        }
        return (byte) acc;
    }

    /** One-dimensional AND (erosion) or OR (dilation) over y-r..y+r along each column; rows at a time. */
    private void columns(byte[] in, byte[] out, int r, int border, boolean erode) {
        if (r == 0) {
            System.arraycopy(in, 0, out, 0, in.length);
            return;
        }
        int w = width;
        boolean absorbing = erode ? border == 0 : border != 0;
        byte absorbed = (byte) (erode ? 0 : 1);
        for (int y = 0; y < height; y++) {
            int row = y * w;
            int lo = y - r;
            int hi = y + r;
            if ((lo < 0 || hi >= height) && absorbing) {
                java.util.Arrays.fill(out, row, row + w, absorbed);
                continue;
            }
            lo = Math.max(0, lo);
            hi = Math.min(height - 1, hi);
            System.arraycopy(in, lo * w, out, row, w);
            for (int yy = lo + 1; yy <= hi; yy++) {
                int src = yy * w;
                if (erode) {
                    for (int x = 0; x < w; x++) {
                        out[row + x] &= in[src + x];
                    }
                } else {
                    for (int x = 0; x < w; x++) {
                        out[row + x] |= in[src + x];
                    }
                }
            }
        }
    }
}
