package org.fieldwork.kernels;

/**
 * Pure-Java twin of {@link SobelU8Kernel}: 3x3 Sobel derivative (dx, dy orders 0..2) of an 8-bit
 * image into int16, exact integer arithmetic as OpenCV's {@code Sobel(src, dst, CV_16S, dx, dy, 3)}.
 * The largest magnitude is 16 * 255 = 4080, so int16 never saturates.
 */
final class SobelU8 {
    private SobelU8() {
    }

    static ShortImage apply(GrayImage src, int dx, int dy, Border border) {
        SobelTaps.checkOrders(dx, dy);
        int[] kx = SobelTaps.integer(dx);
        int[] ky = SobelTaps.integer(dy);
        int w = src.width();
        int h = src.height();
        byte[] in = src.pixels();
        short[] out = new short[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int xl = Border.interpolate(x - 1, w, border.code);
                int xr = Border.interpolate(x + 1, w, border.code);
                int sum = 0;
                for (int j = -1; j <= 1; j++) {
                    int row = Border.interpolate(y + j, h, border.code) * w;
                    int r = kx[0] * (in[row + xl] & 0xff) + kx[1] * (in[row + x] & 0xff) + kx[2] * (in[row + xr] & 0xff);
                    sum += ky[j + 1] * r;
                }
                out[y * w + x] = (short) sum;
            }
        }
        return new ShortImage(w, h, out);
    }
}
