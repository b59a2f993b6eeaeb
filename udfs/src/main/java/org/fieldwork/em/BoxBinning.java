package org.fieldwork.em;

/**
 * Integer box binning: each output pixel is the mean of a {@code factor x factor} block; columns and
 * rows left over at the right and bottom are dropped. Output pixel i covers input pixels
 * {@code i * factor .. i * factor + factor - 1}, so its centre is at input position
 * {@code (i + 0.5) * factor - 0.5}.
 */
final class BoxBinning {
    private BoxBinning() {
    }

    static int binnedSize(int size, int factor) {
        return size / factor;
    }

    /** The binned image, {@code (width / factor) x (height / factor)}, row-major. */
    static float[] bin(float[] image, int width, int height, int factor) {
        if (image.length < (long) width * height) {
            throw new IllegalArgumentException("image has " + image.length + " values, expected " + width + "x"
                    + height);
        }
        int bw = width / factor;
        int bh = height / factor;
        float[] out = new float[bw * bh];
        if (factor == 1) {
            for (int y = 0; y < bh; y++) {
                System.arraycopy(image, y * width, out, y * bw, bw);
            }
            return out;
        }
        float scale = 1f / (factor * factor);
        float[] acc = new float[bw];
        for (int by = 0; by < bh; by++) {
            java.util.Arrays.fill(acc, 0f);
            for (int dy = 0; dy < factor; dy++) {
                int row = (by * factor + dy) * width;
                int x = row;
                for (int bx = 0; bx < bw; bx++) {
                    float s = 0;
                    for (int dx = 0; dx < factor; dx++) {
                        s += image[x++];
                    }
                    acc[bx] += s;
                }
            }
            int o = by * bw;
            for (int bx = 0; bx < bw; bx++) {
                out[o + bx] = acc[bx] * scale;
            }
        }
        return out;
    }

    /** Input-pixel coordinate of a (sub-pixel) binned coordinate. */
    static double toInput(double binned, int factor) {
        return (binned + 0.5) * factor - 0.5;
    }

    /** Binned coordinate of an input-pixel coordinate. */
    static double toBinned(double input, int factor) {
        return (input + 0.5) / factor - 0.5;
    }
}
