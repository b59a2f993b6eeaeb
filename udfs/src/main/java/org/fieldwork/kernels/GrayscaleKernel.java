package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * BGR to gray as OpenCV 4.x's {@code cvtColor(src, dst, COLOR_BGR2GRAY)} computes it for 8-bit
 * images: Y = (9798 R + 19235 G + 3735 B + 16384) >> 15, the BT.601 weights (0.299, 0.587, 0.114)
 * in 15-bit fixed point, rounded half up. The weights sum to 2^15, so Y never exceeds 255 and equal
 * channels give their own value. The 14-bit form (4899, 9617, 1868) OpenCV keeps for YUV differs
 * from it on a few pixels a megapixel (e.g. B, G, R = 38, 46, 34 gives 42 here, 41 there), so it is
 * not OpenCV's gray.
 */
public final class GrayscaleKernel extends Kernel implements PixelKernel {
    byte[] src = new byte[3];
    byte[] dst = new byte[1];
    int count;

    void prepare(ColorImage image) {
        int n = image.width() * image.height();
        if (dst.length != n) {
            src = new byte[3 * n];
            dst = new byte[n];
        }
        System.arraycopy(image.bgr(), 0, src, 0, 3 * n);
        count = n;
    }

    byte[] result() {
        return java.util.Arrays.copyOf(dst, count);
    }

    @Override
    public void run() {
        at(getGlobalId(), 0);
    }

    /** The Java path's loop, in this class so that the JIT sees one kernel's body and inlines it. */
    @Override
    public void atRange(int from, int to, int pass) {
        for (int i = from; i < to; i++) {
            at(i, pass);
        }
    }

    @Override
    public void at(int i, int pass) {
        if (i < count) {
            int b = src[3 * i] & 0xff;
            int g = src[3 * i + 1] & 0xff;
            int r = src[3 * i + 2] & 0xff;
            dst[i] = (byte) ((9798 * r + 19235 * g + 3735 * b + 16384) >> 15);
        }
    }
}
