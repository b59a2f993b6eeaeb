package org.fieldwork.microscopy;

/**
 * The not-a-knot cubic spline through values at fixed knots, as weights: the spline at a position
 * is a fixed linear combination of the knot values, so the weights for every pixel of an axis are
 * computed once and a whole background surface is a weighted sum of tile medians. Positions
 * outside the knots take the end knots' values (constant continuation, as PyAMA does).
 */
final class CubicSplineWeights {
    private final int knots;
    private final double[] weights;   // [position][knot]

    private CubicSplineWeights(int knots, double[] weights) {
        this.knots = knots;
        this.weights = weights;
    }

    /** Weights for positions 0..n-1 through knots {@code x} (increasing, at least 2). */
    static CubicSplineWeights at(double[] x, int n) {
        int k = x.length;
        double[] w = new double[n * k];
        double[] unit = new double[k];
        for (int j = 0; j < k; j++) {
            java.util.Arrays.fill(unit, 0);
            unit[j] = 1;
            double[][] pieces = pieces(x, unit);
            for (int p = 0; p < n; p++) {
                w[p * k + j] = evaluate(x, pieces, Math.min(Math.max(p, x[0]), x[k - 1]));
            }
        }
        return new CubicSplineWeights(k, w);
    }

    int knots() {
        return knots;
    }

    /** The weight of knot {@code j} at position {@code p}. */
    double weight(int p, int j) {
        return weights[p * knots + j];
    }

    /** Sum over positions of each knot's weight (for the mean of a surface without evaluating it). */
    double[] columnSums() {
        double[] s = new double[knots];
        for (int p = 0; p < weights.length / knots; p++) {
            for (int j = 0; j < knots; j++) {
                s[j] += weights[p * knots + j];
            }
        }
        return s;
    }

    /**
     * Per interval i, the cubic's coefficients {c0, c1, c2, c3} in (pos - x[i]). Not-a-knot: the
     * third derivative is continuous at the second and the second-to-last knot. Two knots give the
     * line, three the parabola through them (as scipy does).
     */
    static double[][] pieces(double[] x, double[] y) {
        int n = x.length;
        double[][] c = new double[n - 1][4];
        if (n == 2) {
            c[0][0] = y[0];
            c[0][1] = (y[1] - y[0]) / (x[1] - x[0]);
            return c;
        }
        double[] slope = new double[n];
        if (n == 3) {
            // The parabola through three points: its slopes at the knots.
            double h0 = x[1] - x[0], h1 = x[2] - x[1];
            double d0 = (y[1] - y[0]) / h0, d1 = (y[2] - y[1]) / h1;
            double a = (d1 - d0) / (h0 + h1);
            slope[0] = d0 - a * h0;
            slope[1] = d0 + a * h0;
            slope[2] = d1 + a * h1;
        } else {
            slope = notAKnotSlopes(x, y);
        }
        for (int i = 0; i < n - 1; i++) {
            double h = x[i + 1] - x[i];
            double d = (y[i + 1] - y[i]) / h;
            c[i][0] = y[i];
            c[i][1] = slope[i];
            c[i][2] = (3 * d - 2 * slope[i] - slope[i + 1]) / h;
            c[i][3] = (slope[i] + slope[i + 1] - 2 * d) / (h * h);
        }
        return c;
    }

    /** Slopes at the knots of the C2 spline with not-a-knot ends (n >= 4), by a dense solve: n is a handful. */
    private static double[] notAKnotSlopes(double[] x, double[] y) {
        int n = x.length;
        double[][] a = new double[n][n + 1];
        double[] h = new double[n - 1];
        double[] d = new double[n - 1];
        for (int i = 0; i < n - 1; i++) {
            h[i] = x[i + 1] - x[i];
            d[i] = (y[i + 1] - y[i]) / h[i];
        }
        // Interior knots: continuity of the second derivative.
        for (int i = 1; i < n - 1; i++) {
            a[i][i - 1] = h[i];
            a[i][i] = 2 * (h[i - 1] + h[i]);
            a[i][i + 1] = h[i - 1];
            a[i][n] = 3 * (h[i] * d[i - 1] + h[i - 1] * d[i]);
        }
        // Ends: continuity of the third derivative at x[1] and x[n-2].
        a[0][0] = h[1];
        a[0][1] = h[0] + h[1];
        a[0][n] = ((h[0] + 2 * (h[0] + h[1])) * h[1] * d[0] + h[0] * h[0] * d[1]) / (h[0] + h[1]);
        int m = n - 1;
        a[m][m - 1] = h[m - 1] + h[m - 2];
        a[m][m] = h[m - 2];
        a[m][n] = (h[m - 1] * h[m - 1] * d[m - 2] + (2 * (h[m - 2] + h[m - 1]) + h[m - 1]) * h[m - 2] * d[m - 1])
                / (h[m - 2] + h[m - 1]);
        double[] slopes = LinearSystem.solve(a);
        if (slopes == null) {
            throw new IllegalArgumentException("spline knots must be distinct");
        }
        return slopes;
    }

    static double evaluate(double[] x, double[][] c, double pos) {
        int i = 0;
        while (i < c.length - 1 && pos >= x[i + 1]) {
            i++;
        }
        double t = pos - x[i];
        return c[i][0] + t * (c[i][1] + t * (c[i][2] + t * c[i][3]));
    }
}
