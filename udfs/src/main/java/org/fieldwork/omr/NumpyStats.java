package org.fieldwork.omr;

/**
 * numpy's float64 mean and population std with its pairwise summation, so that values rounded
 * afterwards (the 2-decimal field std) land on the same side of a rounding boundary.
 */
final class NumpyStats {
    private NumpyStats() {
    }

    static double sum(double[] a) {
        return pairwise(a, 0, a.length);
    }

    private static double pairwise(double[] a, int off, int n) {
        if (n < 8) {
            double res = 0.;
            for (int i = 0; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else if (n <= 128) {
            double[] r = new double[8];
            for (int j = 0; j < 8; j++) {
                r[j] = a[off + j];
            }
            int i;
            for (i = 8; i < n - (n % 8); i += 8) {
                for (int j = 0; j < 8; j++) {
                    r[j] += a[off + i + j];
                }
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) {
                res += a[off + i];
            }
            return res;
        } else {
            int n2 = n / 2;
            n2 -= n2 % 8;
            return pairwise(a, off, n2) + pairwise(a, off + n2, n - n2);
        }
    }

    static double mean(double[] a) {
        return sum(a) / a.length;
    }

    static double std(double[] a) {
        double m = mean(a);
        double[] sq = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - m;
            sq[i] = d * d;
        }
        return Math.sqrt(sum(sq) / a.length);
    }
}
