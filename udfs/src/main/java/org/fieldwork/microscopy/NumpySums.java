package org.fieldwork.microscopy;

/**
 * Sums and moments computed the way numpy computes them for float64 arrays (pairwise summation
 * in blocks of 128 with eight partial sums), so that a threshold derived from them equals the
 * reference's to the last bit and a pixel on the threshold falls on the same side.
 */
final class NumpySums {
    private static final int BLOCK = 128;

    private NumpySums() {
    }

    /** numpy's {@code add.reduce} of {@code a[from, from+n)}. */
    static double sum(double[] a, int from, int n) {
        if (n < 8) {
            double res = 0.0;
            for (int i = 0; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else if (n <= BLOCK) {
            double r0 = a[from];
            double r1 = a[from + 1];
            double r2 = a[from + 2];
            double r3 = a[from + 3];
            double r4 = a[from + 4];
            double r5 = a[from + 5];
            double r6 = a[from + 6];
            double r7 = a[from + 7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                r0 += a[from + i];
                r1 += a[from + i + 1];
                r2 += a[from + i + 2];
                r3 += a[from + i + 3];
                r4 += a[from + i + 4];
                r5 += a[from + i + 5];
                r6 += a[from + i + 6];
                r7 += a[from + i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++) {
                res += a[from + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return sum(a, from, n2) + sum(a, from + n2, n - n2);
        }
    }

    /**
     * numpy's {@code std} (population, ddof 0) of the first {@code n} values, which it overwrites
     * with their squared deviations (numpy's own intermediate, computed in place).
     */
    static double stdInPlace(double[] a, int n) {
        double mean = sum(a, 0, n) / n;
        for (int i = 0; i < n; i++) {
            double d = a[i] - mean;
            a[i] = d * d;
        }
        return Math.sqrt(sum(a, 0, n) / n);
    }
}
