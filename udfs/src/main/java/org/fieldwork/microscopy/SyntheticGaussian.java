package org.fieldwork.microscopy;

import java.util.SplittableRandom;

/**
 * Standard normal deviates for synthetic noise, drawn by inverting a tabulated normal
 * distribution: two deviates per 64 random bits, no transcendental calls per sample, and the
 * same numbers on every JVM (the table is built with {@link StrictMath}). Tails are cut near
 * 3.7 sigma; the table is rescaled so the variance is exactly one.
 */
final class SyntheticGaussian {
    private static final int INDEX_BITS = 12;
    private static final int SEGMENTS = 1 << INDEX_BITS;
    private static final int FRACTION_BITS = 32 - INDEX_BITS;
    private static final double FRACTION_SCALE = 1.0 / (1 << FRACTION_BITS);
    private static final double[] START = new double[SEGMENTS];
    private static final double[] STEP = new double[SEGMENTS];

    static {
        double[] quantiles = normalQuantiles(SEGMENTS + 1);
        // Each segment between neighbouring quantiles is drawn uniformly with probability 1/SEGMENTS.
        double secondMoment = 0;
        for (int i = 0; i < SEGMENTS; i++) {
            double lo = quantiles[i];
            double hi = quantiles[i + 1];
            secondMoment += (lo * lo + lo * hi + hi * hi) / 3.0;
        }
        double scale = 1.0 / StrictMath.sqrt(secondMoment / SEGMENTS);
        for (int i = 0; i < SEGMENTS; i++) {
            START[i] = quantiles[i] * scale;
            STEP[i] = (quantiles[i + 1] - quantiles[i]) * scale;
        }
    }

    private final SplittableRandom random;
    private long bits;
    private boolean spare;

    SyntheticGaussian(SplittableRandom random) {
        this.random = random;
    }

    /** The next deviate with mean 0 and standard deviation 1. */
    double next() {
        int u;
        if (spare) {
            u = (int) (bits >>> 32);
            spare = false;
        } else {
            bits = random.nextLong();
            u = (int) bits;
            spare = true;
        }
        int segment = u >>> FRACTION_BITS;
        double fraction = (u & ((1 << FRACTION_BITS) - 1)) * FRACTION_SCALE;
        return START[segment] + fraction * STEP[segment];
    }

    /** Quantiles of the standard normal at probabilities (j + 0.5) / count, j = 0 .. count-1. */
    private static double[] normalQuantiles(int count) {
        double step = 1.0 / 1024;
        int points = 16 * 1024 + 1;
        double[] z = new double[points];
        double[] cdf = new double[points];
        double density = 1.0 / StrictMath.sqrt(2 * StrictMath.PI);
        double previous = 0;
        for (int i = 0; i < points; i++) {
            z[i] = -8 + i * step;
            double pdf = density * StrictMath.exp(-0.5 * z[i] * z[i]);
            cdf[i] = i == 0 ? 0 : cdf[i - 1] + 0.5 * step * (previous + pdf);
            previous = pdf;
        }
        double total = cdf[points - 1];
        double[] quantiles = new double[count];
        int k = 0;
        for (int j = 0; j < count; j++) {
            double p = (j + 0.5) / count * total;
            while (cdf[k + 1] < p) {
                k++;
            }
            double t = (p - cdf[k]) / (cdf[k + 1] - cdf[k]);
            quantiles[j] = z[k] + t * step;
        }
        // Exact symmetry, so the deviates have mean zero.
        for (int j = 0; j < count / 2; j++) {
            double half = 0.5 * (quantiles[count - 1 - j] - quantiles[j]);
            quantiles[j] = -half;
            quantiles[count - 1 - j] = half;
        }
        if (count % 2 == 1) {
            quantiles[count / 2] = 0;
        }
        return quantiles;
    }
}
