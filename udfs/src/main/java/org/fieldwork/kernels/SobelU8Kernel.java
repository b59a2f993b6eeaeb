package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * The 3x3 Sobel derivative (dx, dy orders 0..2) of an 8-bit image into int16, exact integer
 * arithmetic as OpenCV's {@code Sobel(src, dst, CV_16S, dx, dy, 3)}; the largest magnitude is
 * 16 * 255 = 4080, so int16 never saturates. Taps are passed as scalars (kx0..kx2 along x, ky0..ky2
 * along y). The result is kept as the low 16 bits in a char array (Aparapi has no explicit
 * transfers for short[]) and read back as short.
 */
public final class SobelU8Kernel extends Kernel implements PixelKernel {
    byte[] src = new byte[1];
    char[] dst = new char[1];
    int width;
    int height;
    int border;
    int kx0;
    int kx1;
    int kx2;
    int ky0;
    int ky1;
    int ky2;

    void prepare(GrayImage image, int dx, int dy, Border borderType) {
        SobelTaps.checkOrders(dx, dy);
        int n = image.width() * image.height();
        if (src.length != n) {
            src = new byte[n];
            dst = new char[n];
        }
        System.arraycopy(image.pixels(), 0, src, 0, n);
        int[] kx = SobelTaps.integer(dx);
        int[] ky = SobelTaps.integer(dy);
        kx0 = kx[0];
        kx1 = kx[1];
        kx2 = kx[2];
        ky0 = ky[0];
        ky1 = ky[1];
        ky2 = ky[2];
        width = image.width();
        height = image.height();
        border = borderType.code;
    }



    short[] result() {
        short[] out = new short[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = (short) dst[i];
        }
        return out;
    }

    @Override
    public void run() {
        at(getGlobalId(), 0);
    }

    /**
     * The Java path's loop, in this class so that the JIT sees one kernel's body and inlines it; x and
     * y step along instead of being divided out of the index for every pixel.
     */
    @Override
    public void atRange(int from, int to, int pass) {
        int end = Math.min(to, width * height);
        int x = from % width;
        int y = from / width;
        for (int i = from; i < end; i++) {
            pixel(i, x, y);
            x++;
            if (x == width) {
                x = 0;
                y++;
            }
        }
    }

    @Override
    public void at(int i, int pass) {
        if (i < width * height) {
            pixel(i, i % width, i / width);
        }
    }

    /** Pixel i, at column x of row y. */
    private void pixel(int i, int x, int y) {
        int xl = clampIndex(x - 1, width);
        int xr = clampIndex(x + 1, width);
        int up = clampIndex(y - 1, height) * width;
        int mid = y * width;
        int down = clampIndex(y + 1, height) * width;
        int sum = ky0 * rowSum(up, xl, x, xr) + ky1 * rowSum(mid, xl, x, xr) + ky2 * rowSum(down, xl, x, xr);
        dst[i] = (char) sum;
    }

    private int rowSum(int row, int xl, int x, int xr) {
        return kx0 * (src[row + xl] & 0xff) + kx1 * (src[row + x] & 0xff) + kx2 * (src[row + xr] & 0xff);
    }

    private int clampIndex(int p, int n) {
        int q = p;
        if (n == 1) {
            q = 0;
        } else if (border == 1) {
            q = max(0, min(n - 1, p));
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
