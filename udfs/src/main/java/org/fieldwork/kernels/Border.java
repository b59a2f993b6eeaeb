package org.fieldwork.kernels;

/**
 * How a kernel reads pixels outside the image, with OpenCV's meaning of the names.
 * {@link #REFLECT_101} is OpenCV's default (gfedcb|abcdefgh|gfedcba); {@link #REPLICATE}
 * repeats the edge pixel (aaaaaa|abcdefgh|hhhhhhh) and is what Canny uses.
 */
public enum Border {
    REFLECT_101(0), REPLICATE(1);

    /** The integer handed to Aparapi kernels (they cannot take enums). */
    final int code;

    Border(int code) {
        this.code = code;
    }

    /** Index inside [0, n) that position p reads; the same rule the kernels use. */
    public int interpolate(int p, int n) {
        return interpolate(p, n, code);
    }

    static int interpolate(int p, int n, int borderCode) {
        if (p >= 0 && p < n) {
            return p;
        }
        if (n == 1) {
            return 0;
        }
        if (borderCode == 1) {
            return p < 0 ? 0 : n - 1;
        }
        // Reflect repeatedly: a wide kernel on a tiny image reflects more than once (OpenCV loops too).
        int q = p;
        while (q < 0 || q >= n) {
            q = q < 0 ? -q : 2 * n - 2 - q;
        }
        return q;
    }
}
