package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * The Laplacian of an 8-bit image into int16, as OpenCV's {@code Laplacian(src, dst, CV_16S, ksize)}
 * with ksize 1 (kernel [0,1,0; 1,-4,1; 0,1,0]) or 3 (kernel [2,0,2; 0,-8,0; 2,0,2], the sum of the
 * two second Sobel derivatives), border REFLECT_101. OpenCV filters with these integer taps, so
 * its result is exact; the largest magnitude is 8 * 255 = 2040 and int16 never saturates. The
 * result is kept as the low 16 bits in a char array, as in {@link SobelU8Kernel}.
 */
public final class LaplacianU8Kernel extends Kernel implements PixelKernel {
    byte[] src = new byte[1];
    char[] dst = new char[1];
    int width;
    int height;
    /** 1: the 5-point cross; 3: the diagonal form. */
    int ksize;

    void prepare(GrayImage image, int apertureSize) {
        checkSize(apertureSize);
        int n = image.width() * image.height();
        if (src.length != n) {
            src = new byte[n];
            dst = new char[n];
        }
        System.arraycopy(image.pixels(), 0, src, 0, n);
        width = image.width();
        height = image.height();
        ksize = apertureSize;
    }

    static void checkSize(int apertureSize) {
        if (apertureSize != 1 && apertureSize != 3) {
            throw new IllegalArgumentException("Laplacian aperture must be 1 or 3, got " + apertureSize);
        }
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
        int xl = reflect(x - 1, width);
        int xr = reflect(x + 1, width);
        int up = reflect(y - 1, height) * width;
        int mid = y * width;
        int down = reflect(y + 1, height) * width;
        int centre = src[mid + x] & 0xff;
        int sum = 0;
        if (ksize == 1) {
            sum = (src[up + x] & 0xff) + (src[mid + xl] & 0xff) + (src[mid + xr] & 0xff)
                    + (src[down + x] & 0xff) - 4 * centre;
        } else {
            sum = 2 * ((src[up + xl] & 0xff) + (src[up + xr] & 0xff) + (src[down + xl] & 0xff)
                    + (src[down + xr] & 0xff)) - 8 * centre;
        }
        dst[i] = (char) sum;
    }

    /** BORDER_REFLECT_101 for a reach of one pixel (index -1 reads 1, n reads n - 2). */
    private int reflect(int p, int n) {
        int q = p;
        if (n == 1) {
            q = 0;
        } else if (p < 0) {
            q = -p;
        } else if (p >= n) {
            q = 2 * n - 2 - p;
        }
        return q;
    }
}
