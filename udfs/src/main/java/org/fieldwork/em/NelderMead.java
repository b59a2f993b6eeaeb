package org.fieldwork.em;

import java.util.function.ToDoubleFunction;

/**
 * Derivative-free minimisation by the Nelder-Mead simplex (reflection 1, expansion 2, contraction
 * 1/2, shrink 1/2), for the few smooth parameters of a fit.
 */
final class NelderMead {
    private NelderMead() {
    }

    /**
     * Minimises {@code f} from {@code start} with a first simplex of {@code steps} along each axis; stops
     * when every vertex is within {@code tolerance} of the best along every axis, or after {@code maxEvals}.
     * Returns the best point; its value is put in {@code valueOut[0]} when that is not null.
     */
    static double[] minimize(ToDoubleFunction<double[]> f, double[] start, double[] steps, double[] tolerance,
            int maxEvals, double[] valueOut) {
        int n = start.length;
        double[][] p = new double[n + 1][];
        double[] v = new double[n + 1];
        p[0] = start.clone();
        v[0] = f.applyAsDouble(p[0]);
        for (int i = 0; i < n; i++) {
            p[i + 1] = start.clone();
            p[i + 1][i] += steps[i];
            v[i + 1] = f.applyAsDouble(p[i + 1]);
        }
        int evals = n + 1;
        double[] centroid = new double[n];
        while (evals < maxEvals) {
            sort(p, v);
            if (converged(p, tolerance)) {
                break;
            }
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += p[i][j];
                }
                centroid[j] = s / n;
            }
            double[] reflected = along(centroid, p[n], -1);
            double fr = f.applyAsDouble(reflected);
            evals++;
            if (fr < v[0]) {
                double[] expanded = along(centroid, p[n], -2);
                double fe = f.applyAsDouble(expanded);
                evals++;
                if (fe < fr) {
                    p[n] = expanded;
                    v[n] = fe;
                } else {
                    p[n] = reflected;
                    v[n] = fr;
                }
            } else if (fr < v[n - 1]) {
                p[n] = reflected;
                v[n] = fr;
            } else {
                boolean outside = fr < v[n];
                double[] contracted = along(centroid, p[n], outside ? -0.5 : 0.5);
                double fc = f.applyAsDouble(contracted);
                evals++;
                if (fc < Math.min(fr, v[n])) {
                    p[n] = contracted;
                    v[n] = fc;
                } else {
                    for (int i = 1; i <= n; i++) {
                        for (int j = 0; j < n; j++) {
                            p[i][j] = p[0][j] + 0.5 * (p[i][j] - p[0][j]);
                        }
                        v[i] = f.applyAsDouble(p[i]);
                    }
                    evals += n;
                }
            }
        }
        sort(p, v);
        if (valueOut != null) {
            valueOut[0] = v[0];
        }
        return p[0];
    }

    /** {@code centroid + t * (point - centroid)}. */
    private static double[] along(double[] centroid, double[] point, double t) {
        double[] out = new double[centroid.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = centroid[j] + t * (point[j] - centroid[j]);
        }
        return out;
    }

    private static boolean converged(double[][] p, double[] tolerance) {
        for (int i = 1; i < p.length; i++) {
            for (int j = 0; j < tolerance.length; j++) {
                if (Math.abs(p[i][j] - p[0][j]) > tolerance[j]) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void sort(double[][] p, double[] v) {
        for (int i = 1; i < v.length; i++) {
            double[] pi = p[i];
            double vi = v[i];
            int j = i - 1;
            while (j >= 0 && v[j] > vi) {
                p[j + 1] = p[j];
                v[j + 1] = v[j];
                j--;
            }
            p[j + 1] = pi;
            v[j + 1] = vi;
        }
    }
}
