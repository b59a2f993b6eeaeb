package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * Gaussian blur of an 8-bit image as OpenCV 4.x computes it bit-exactly for 8-bit images
 * ({@code GaussianBlur(src, dst, Size(kw, kh), 0)}, default border REFLECT_101): taps in 1/256ths
 * from OpenCV's fixed table for sigma 0, rows summed into 16-bit fixed point, columns into 32-bit
 * fixed point, then rounded half up to 8 bits. Every step is exact integer arithmetic, so the result
 * equals OpenCV's on every pixel. Pass 0 filters rows into {@code tmp}, pass 1 columns into {@code dst}.
 */
public final class GaussianU8Kernel extends Kernel implements PixelKernel {
    byte[] src = new byte[1];
    /** Row sums in 1/256ths: at most 255 * 256, which fits 16 bits. */
    char[] tmp = new char[1];
    byte[] dst = new byte[1];
    int[] kx = new int[1];
    int[] ky = new int[1];
    int nx;
    int ny;
    int width;
    int height;

    void prepare(GrayImage image, int[] rowTaps, int[] columnTaps) {
        int n = image.width() * image.height();
        if (src.length != n) {
            src = new byte[n];
            tmp = new char[n];
            dst = new byte[n];
        }
        System.arraycopy(image.pixels(), 0, src, 0, n);
        kx = rowTaps;
        ky = columnTaps;
        nx = rowTaps.length;
        ny = columnTaps.length;
        width = image.width();
        height = image.height();
    }



    byte[] result() {
        return java.util.Arrays.copyOf(dst, width * height);
    }

    @Override
    public void run() {
        at(getGlobalId(), getPassId());
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
        if (i < width * height) {
            int x = i % width;
            int y = i / width;
            if (pass == 0) {
                int a = nx / 2;
                int s = 0;
                for (int t = 0; t < nx; t++) {
                    s += kx[t] * (src[y * width + reflect(x + t - a, width)] & 0xff);
                }
                tmp[i] = (char) s;
            } else {
                int a = ny / 2;
                int s = 0;
                for (int t = 0; t < ny; t++) {
                    s += ky[t] * tmp[reflect(y + t - a, height) * width + x];
                }
                dst[i] = (byte) ((s + 32768) >> 16);
            }
        }
    }

    /** BORDER_REFLECT_101, reflected as often as a wide window on a small image needs. */
    private int reflect(int p, int n) {
        int q = p;
        if (n == 1) {
            q = 0;
        } else {
            while (q < 0 || q >= n) {
                if (q < 0) {
                    q = -q;
                } else {
                    q = 2 * n - 2 - q;
                }
            }
        }
        return q;
    }
}
