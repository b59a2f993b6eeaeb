package org.fieldwork.em;

/**
 * A movie's global drift as a smooth function of time, as Warp models it: a cubic regression spline
 * through the per-frame shifts, with a knot every {@value #FRAMES_PER_KNOT} frames, fitted by least
 * squares with one round of leaving out frames more than 3 RMS off. At about 1 e/px per frame each
 * frame's own shift is noisy (a few tenths of a pixel) while the specimen drifts smoothly; the fit
 * averages that noise over neighbouring frames, including frame 0's, which every shift is relative to.
 * Movies of fewer than {@value #MIN_FRAMES} frames keep their measured shifts, as do those whose
 * frames scatter about the spline by more than {@value #MAX_SCATTER} px RMS: that is not a smooth
 * drift with noise (a stage jump, a stack of unrelated shifts), and smoothing would hide it.
 */
final class TrajectoryFit {
    static final int FRAMES_PER_KNOT = 5;
    static final int MIN_FRAMES = 8;
    static final double MAX_SCATTER = 1.0;

    private TrajectoryFit() {
    }

    /** The fitted shift of every frame (the measured ones when there are too few frames or they do not follow a smooth path); in the shifts' own pixels. */
    static double[] smooth(double[] shifts) {
        int n = shifts.length;
        if (n < MIN_FRAMES) {
            return shifts.clone();
        }
        int segments = Math.max(1, (int) Math.round((n - 1) / (double) FRAMES_PER_KNOT));
        double[][] basis = basis(n, segments);
        boolean[] use = new boolean[n];
        java.util.Arrays.fill(use, true);
        double[] coef = fit(basis, shifts, use);
        double rms = 0;
        for (int i = 0; i < n; i++) {
            rms += Math.pow(shifts[i] - value(basis[i], coef), 2);
        }
        rms = Math.sqrt(rms / n);
        if (rms > MAX_SCATTER) {
            return shifts.clone();
        }
        int left = 0;
        for (int i = 0; i < n; i++) {
            use[i] = Math.abs(shifts[i] - value(basis[i], coef)) <= 3 * rms;
            left += use[i] ? 1 : 0;
        }
        if (left < n && left >= basis[0].length + 2) {
            coef = fit(basis, shifts, use);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = value(basis[i], coef);
        }
        return out;
    }

    /** Truncated power basis of a cubic spline on t = i / (n - 1): 1, t, t^2, t^3, (t - knot)^3+. */
    private static double[][] basis(int n, int segments) {
        double[][] b = new double[n][4 + segments - 1];
        for (int i = 0; i < n; i++) {
            double t = i / (double) (n - 1);
            b[i][0] = 1;
            b[i][1] = t;
            b[i][2] = t * t;
            b[i][3] = t * t * t;
            for (int k = 1; k < segments; k++) {
                double d = t - k / (double) segments;
                b[i][3 + k] = d > 0 ? d * d * d : 0;
            }
        }
        return b;
    }

    private static double value(double[] basisRow, double[] coef) {
        double v = 0;
        for (int j = 0; j < coef.length; j++) {
            v += basisRow[j] * coef[j];
        }
        return v;
    }

    /** Least squares by the normal equations (a dozen unknowns at most), Gaussian elimination with pivoting. */
    private static double[] fit(double[][] basis, double[] y, boolean[] use) {
        int p = basis[0].length;
        double[][] a = new double[p][p + 1];
        for (int i = 0; i < y.length; i++) {
            if (!use[i]) {
                continue;
            }
            for (int r = 0; r < p; r++) {
                for (int c = 0; c < p; c++) {
                    a[r][c] += basis[i][r] * basis[i][c];
                }
                a[r][p] += basis[i][r] * y[i];
            }
        }
        for (int col = 0; col < p; col++) {
            int pivot = col;
            for (int r = col + 1; r < p; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            if (Math.abs(a[col][col]) < 1e-12) {
                continue;
            }
            for (int r = 0; r < p; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= p; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] coef = new double[p];
        for (int r = 0; r < p; r++) {
            coef[r] = Math.abs(a[r][r]) < 1e-12 ? 0 : a[r][p] / a[r][r];
        }
        return coef;
    }
}
