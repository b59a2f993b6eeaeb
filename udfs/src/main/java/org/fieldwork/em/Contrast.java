package org.fieldwork.em;

/**
 * Display contrast: a linear stretch between two percentiles, found from a 4096-bin histogram (one
 * pass, no sort; the bin width is far below one grey level).
 */
final class Contrast {
    private static final int BINS = 4096;

    private Contrast() {
    }

    /**
     * The values at the {@code low} and {@code high} fractions (0..1) of the first {@code n} finite
     * values; {@code {min, min + 1}} when they are all equal or there are none.
     */
    static double[] percentiles(float[] v, int n, double low, double high) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int finite = 0;
        for (int i = 0; i < n; i++) {
            float x = v[i];
            if (Float.isFinite(x)) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                finite++;
            }
        }
        if (finite == 0) {
            return new double[] {0, 1};
        }
        if (!(max > min)) {
            return new double[] {min, min + 1};
        }
        int[] hist = new int[BINS];
        double scale = BINS / (max - min);
        for (int i = 0; i < n; i++) {
            float x = v[i];
            if (Float.isFinite(x)) {
                hist[Math.min(BINS - 1, (int) ((x - min) * scale))]++;
            }
        }
        double width = (max - min) / BINS;
        double lo = min + width * bin(hist, low * finite);
        double hi = min + width * (bin(hist, high * finite) + 1);
        return hi > lo ? new double[] {lo, hi} : new double[] {lo, lo + width};
    }

    private static int bin(int[] hist, double count) {
        long sum = 0;
        for (int b = 0; b < hist.length; b++) {
            sum += hist[b];
            if (sum >= count) {
                return b;
            }
        }
        return hist.length - 1;
    }

    /** The grey level (0..255) of {@code x} stretched from lo..hi. */
    static byte grey(float x, double lo, double hi) {
        double g = (x - lo) * 255.0 / (hi - lo);
        int level = Double.isNaN(g) ? 0 : (int) Math.round(Math.max(0, Math.min(255, g)));
        return (byte) level;
    }
}
