package org.fieldwork.kernels;

/**
 * Pure-Java twin of {@link BoxStatsKernel}: local mean (OpenCV {@code blur}/{@code boxFilter} with
 * normalize) and local variance over a kw x kh window, anchor at the window centre (kw/2, kh/2).
 *
 * <p>Sums are taken in double, as OpenCV does for float images. For image-like data (values whose
 * binary exponents span less than ~50 bits, e.g. 0..255 or 0..1 with float precision) every partial
 * sum is exact, so the order does not matter and the mean equals OpenCV's bit for bit:
 * {@code mean = (float) (sum * (1.0 / (kw * kh)))}.
 *
 * <p>Variance is E[x^2] - E[x]^2 with x^2 rounded to float (as OpenCV's {@code multiply(src, src)}):
 * {@code sqMean} is the box mean of the float squares, then
 * {@code variance = max(0, fma(-mean, mean, sqMean))}. The fused form rounds once, so it can differ
 * from the unfused OpenCV composition {@code blur(x*x) - blur(x)^2} by at most one rounding of
 * mean^2; negative results of cancellation are clamped to 0.
 */
final class BoxStats {
    private BoxStats() {
    }

    /** Local mean and, when {@code withVariance}, local variance (else {@code variance} is null). */
    static LocalStats apply(FloatImage src, int kw, int kh, Border border, boolean withVariance) {
        checkWindow(kw, kh);
        int w = src.width();
        int h = src.height();
        float[] in = src.pixels();
        double[] rowSum = new double[w * h];
        double[] rowSumSq = withVariance ? new double[w * h] : null;
        int ax = kw / 2;
        int ay = kh / 2;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double ss = 0;
                for (int i = 0; i < kw; i++) {
                    float v = in[y * w + Border.interpolate(x + i - ax, w, border.code)];
                    s += v;
                    if (withVariance) {
                        float sq = v * v;
                        ss += sq;
                    }
                }
                rowSum[y * w + x] = s;
                if (withVariance) {
                    rowSumSq[y * w + x] = ss;
                }
            }
        }
        double scale = 1.0 / (kw * kh);
        float[] mean = new float[w * h];
        float[] variance = withVariance ? new float[w * h] : null;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double s = 0;
                double ss = 0;
                for (int j = 0; j < kh; j++) {
                    int r = Border.interpolate(y + j - ay, h, border.code) * w + x;
                    s += rowSum[r];
                    if (withVariance) {
                        ss += rowSumSq[r];
                    }
                }
                float m = (float) (s * scale);
                mean[y * w + x] = m;
                if (withVariance) {
                    float sqMean = (float) (ss * scale);
                    variance[y * w + x] = Math.max(0f, Math.fma(-m, m, sqMean));
                }
            }
        }
        return new LocalStats(new FloatImage(w, h, mean), withVariance ? new FloatImage(w, h, variance) : null);
    }

    static void checkWindow(int kw, int kh) {
        if (kw < 1 || kh < 1) {
            throw new IllegalArgumentException("box window must be at least 1x1, got " + kw + "x" + kh);
        }
    }
}
