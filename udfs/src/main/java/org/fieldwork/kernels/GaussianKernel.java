package org.fieldwork.kernels;

/**
 * Gaussian taps exactly as OpenCV's {@code getGaussianKernel(n, sigma, CV_32F)} gives them, and
 * the kernel size {@code GaussianBlur} picks for a float image when it is given only sigma.
 *
 * <p>OpenCV 4.x: for odd n up to 9 and sigma &lt;= 0 a fixed table (binomial up to 7); otherwise
 * sigma = n * 0.15 + 0.35 (fused) when sigma &lt;= 0, t(x) = exp(-x^2 / (2 sigma^2)) in double for the
 * n/2 outer taps of one side, centre 1, normalised by 1/sum, then rounded to float.
 * Tests compare our taps with OpenCV's over a grid of sizes and sigmas.
 */
public final class GaussianKernel {
    private static final double[][] SMALL = {
        {1.0},
        {0.25, 0.5, 0.25},
        {0.0625, 0.25, 0.375, 0.25, 0.0625},
        {0.03125, 0.109375, 0.21875, 0.28125, 0.21875, 0.109375, 0.03125},
        {4 / 256.0, 13 / 256.0, 30 / 256.0, 51 / 256.0, 60 / 256.0, 51 / 256.0, 30 / 256.0, 13 / 256.0, 4 / 256.0},
    };

    private GaussianKernel() {
    }

    /** Whether OpenCV's fixed table has n taps (odd n up to 9), which its 8-bit blur uses exactly for sigma 0. */
    public static boolean hasFixedPointTaps(int n) {
        return n >= 1 && n <= 9 && n % 2 == 1;
    }

    /** The fixed table's n taps in 1/256ths (they sum to 256), as OpenCV's bit-exact 8-bit blur uses them. */
    static int[] fixedPointTaps(int n) {
        if (!hasFixedPointTaps(n)) {
            throw new IllegalArgumentException("an exact 8-bit Gaussian takes 1, 3, 5, 7 or 9 taps with sigma 0, got " + n);
        }
        double[] t = SMALL[n / 2];
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = (int) Math.round(t[i] * 256);
        }
        return out;
    }

    /** Kernel size for a float image from sigma alone: round(sigma * 8 + 1) made odd. */
    public static int sizeForSigma(double sigma) {
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be > 0 to derive the kernel size, got " + sigma);
        }
        return ((int) Math.rint(sigma * 4 * 2 + 1)) | 1;
    }

    /** The n float taps for sigma (sigma &lt;= 0: derived from n, as OpenCV does). */
    public static FilterTaps taps(int n, double sigma) {
        if (n < 1 || n % 2 == 0) {
            throw new IllegalArgumentException("Gaussian kernel size must be odd and >= 1, got " + n);
        }
        double[] values = coefficients(n, sigma);
        float[] taps = new float[n];
        for (int i = 0; i < n; i++) {
            taps[i] = (float) values[i];
        }
        return FilterTaps.of(taps);
    }

    static double[] coefficients(int n, double sigma) {
        if (n <= 9 && sigma <= 0) {
            return SMALL[n / 2].clone();
        }
        double sigmaX = sigma > 0 ? sigma : Math.fma(n, 0.15, 0.35);
        double scale2X = -0.125 / (sigmaX * sigmaX);
        int half = (n - 1) / 2;
        double[] values = new double[half];
        double sum = 0;
        // x runs over twice the distance from the centre, hence -0.125 instead of -0.5.
        for (int i = 0, x = 1 - n; i < half; i++, x += 2) {
            double t = Math.exp((double) (x * x) * scale2X);
            values[i] = t;
            sum += t;
        }
        sum *= 2;
        sum += 1;
        double mul = 1 / sum;
        double[] result = new double[n];
        for (int i = 0; i < half; i++) {
            double t = values[i] * mul;
            result[i] = t;
            result[n - 1 - i] = t;
        }
        result[half] = mul;
        return result;
    }
}
