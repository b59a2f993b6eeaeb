package org.fieldwork.kernels;

/**
 * What {@link BoxStatsKernel} computes: local mean (OpenCV {@code blur}/{@code boxFilter} with
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

    static void checkWindow(int kw, int kh) {
        if (kw < 1 || kh < 1) {
            throw new IllegalArgumentException("box window must be at least 1x1, got " + kw + "x" + kh);
        }
    }
}
