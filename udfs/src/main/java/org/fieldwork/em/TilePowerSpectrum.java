package org.fieldwork.em;

/**
 * The mean power spectrum of overlapping square tiles of an image (Welch's method), as CTF fitting
 * wants it: tiles overlap by half, each has its mean subtracted and its edges tapered (a cosine over
 * a sixteenth of the tile on each side) so that tile borders add no cross to the spectrum.
 *
 * <p>Two real tiles go through one complex FFT, as real and imaginary part; the sum of their power
 * spectra is {@code (|Z(k)|^2 + |Z(-k)|^2) / 2}, so only that symmetrised sum is formed, once at the end.
 *
 * <p>With {@code bin > 1} the tiles are {@code bin} times larger and only the central {@code window}
 * frequencies are kept: the spectrum of the image Fourier-binned by {@code bin}, sampled as finely as
 * a {@code window} tile of the binned image.
 */
public final class TilePowerSpectrum {
    private TilePowerSpectrum() {
    }

    /**
     * The mean tile power spectrum, {@code window x window} values, row-major, with frequency
     * {@code (0, 0)} at {@code (window/2, window/2)}.
     */
    public static float[] average(float[] image, int width, int height, int window, int bin) {
        int tile = window * bin;
        if (image.length != width * height) {
            throw new IllegalArgumentException("image has " + image.length + " values, not " + width + "x" + height);
        }
        if (window % 2 != 0 || bin < 1 || tile > width || tile > height) {
            throw new IllegalArgumentException("a " + tile + " px tile (window " + window + ", bin " + bin
                    + ") does not fit a " + width + "x" + height + " image");
        }
        int step = tile / 2;
        int nx = 1 + (width - tile) / step;
        int ny = 1 + (height - tile) / step;
        int x0 = (width - (tile + (nx - 1) * step)) / 2;
        int y0 = (height - (tile + (ny - 1) * step)) / 2;
        float[] taper = taper(tile);
        Fft2 fft = Fft2.of(tile, tile);
        float[] c = new float[2 * tile * tile];
        float[] sum = new float[tile * tile];
        int tiles = nx * ny;
        for (int t = 0; t < tiles; t += 2) {
            fill(image, width, x0 + (t % nx) * step, y0 + (t / nx) * step, tile, taper, c, 0);
            if (t + 1 < tiles) {
                fill(image, width, x0 + ((t + 1) % nx) * step, y0 + ((t + 1) / nx) * step, tile, taper, c, 1);
            } else {
                for (int i = 1; i < c.length; i += 2) {
                    c[i] = 0;
                }
            }
            fft.forwardInPlace(c);
            for (int i = 0; i < sum.length; i++) {
                float re = c[2 * i], im = c[2 * i + 1];
                sum[i] += re * re + im * im;
            }
        }
        float[] out = new float[window * window];
        int half = window / 2;
        double scale = 1.0 / (2.0 * tiles * (double) tile * tile);
        for (int oy = 0; oy < window; oy++) {
            int fy = oy - half;
            int py = Math.floorMod(fy, tile) * tile, ny2 = Math.floorMod(-fy, tile) * tile;
            for (int ox = 0; ox < window; ox++) {
                int fx = ox - half;
                out[oy * window + ox] = (float) ((sum[py + Math.floorMod(fx, tile)] + sum[ny2 + Math.floorMod(-fx, tile)])
                        * scale);
            }
        }
        return out;
    }

    /** Copies one tile, mean-subtracted and tapered, into the real or imaginary slots of {@code c}. */
    private static void fill(float[] image, int width, int x0, int y0, int tile, float[] taper, float[] c, int part) {
        double mean = 0;
        for (int y = 0; y < tile; y++) {
            int row = (y0 + y) * width + x0;
            for (int x = 0; x < tile; x++) {
                mean += image[row + x];
            }
        }
        float m = (float) (mean / ((double) tile * tile));
        for (int y = 0; y < tile; y++) {
            int row = (y0 + y) * width + x0;
            float ty = taper[y];
            int o = 2 * y * tile + part;
            for (int x = 0; x < tile; x++) {
                c[o + 2 * x] = (image[row + x] - m) * ty * taper[x];
            }
        }
    }

    /** 1 in the middle, a raised cosine over the outer sixteenth on each side. */
    private static float[] taper(int n) {
        float[] w = new float[n];
        int edge = Math.max(1, n / 16);
        for (int i = 0; i < n; i++) {
            int d = Math.min(i, n - 1 - i);
            w[i] = d >= edge ? 1f : (float) (0.5 * (1 - Math.cos(Math.PI * (d + 0.5) / edge)));
        }
        return w;
    }
}
