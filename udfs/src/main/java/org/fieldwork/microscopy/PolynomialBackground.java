package org.fieldwork.microscopy;

/**
 * A background that holds up to the frame's edges: a bivariate polynomial (terms u^i v^j with
 * i + j up to the degree, coordinates scaled to [-1, 1]) fitted by least squares to a grid of
 * background pixels, refitted twice without the pixels more than 3 robust sigmas away (cell
 * fringes the mask missed, debris). Unlike tile medians held constant beyond the outer tiles'
 * centres, it follows vignetting into the corners, and it needs no minimum frame size.
 */
public final class PolynomialBackground implements BackgroundModel {
    public static final int DEFAULT_DEGREE = 4;
    /** At most this many samples per frame (a grid over the frame). */
    static final int SAMPLES = 1 << 16;
    private static final int REFITS = 2;

    private final int width;
    private final int height;
    private final int degree;
    private final int terms;
    private final int[] powU;   // per term, the power of u
    private final int[] powV;
    private final double[] u;   // per column
    private final double[] v;   // per row
    private final double[] meanPowU;
    private final double[] meanPowV;
    private final int step;
    private String whyNot;

    public PolynomialBackground(int width, int height, int degree) {
        if (degree < 0 || degree > 8) {
            throw new IllegalArgumentException("background polynomial degree must be 0..8, got " + degree);
        }
        this.width = width;
        this.height = height;
        this.degree = degree;
        this.terms = (degree + 1) * (degree + 2) / 2;
        this.powU = new int[terms];
        this.powV = new int[terms];
        int k = 0;
        for (int total = 0; total <= degree; total++) {
            for (int i = total; i >= 0; i--) {
                powU[k] = i;
                powV[k] = total - i;
                k++;
            }
        }
        this.u = axis(width);
        this.v = axis(height);
        this.meanPowU = powerMeans(u, degree);
        this.meanPowV = powerMeans(v, degree);
        this.step = Math.max(1, (int) Math.ceil(Math.sqrt((double) width * height / SAMPLES)));
    }

    private static double[] axis(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = n == 1 ? 0 : 2.0 * i / (n - 1) - 1;
        }
        return a;
    }

    private static double[] powerMeans(double[] a, int degree) {
        double[] m = new double[degree + 1];
        for (double x : a) {
            double p = 1;
            for (int d = 0; d <= degree; d++) {
                m[d] += p;
                p *= x;
            }
        }
        for (int d = 0; d <= degree; d++) {
            m[d] /= a.length;
        }
        return m;
    }

    /** The polynomial's coefficients, in the order of {@link #powU}/{@link #powV}. */
    @Override
    public double[] fit(float[] frame, byte[] mask, boolean integerPixels) {
        int cap = ((height + step - 1) / step) * ((width + step - 1) / step);
        int[] at = new int[cap];
        int n = 0;
        for (int y = 0; y < height; y += step) {
            for (int x = 0; x < width; x += step) {
                int i = y * width + x;
                if (mask[i] == 0 && Float.isFinite(frame[i])) {
                    at[n++] = i;
                }
            }
        }
        if (n < 4 * terms) {
            whyNot = "only " + n + " background pixels on the sampling grid (at least " + 4 * terms + " needed)";
            return null;
        }
        boolean[] used = new boolean[n];
        java.util.Arrays.fill(used, true);
        double[] c = null;
        double[] residual = new double[n];
        for (int round = 0; round <= REFITS; round++) {
            c = solve(frame, at, n, used);
            if (c == null) {
                whyNot = "the background pixels do not determine a surface (degenerate sampling)";
                return null;
            }
            if (round == REFITS) {
                break;
            }
            for (int s = 0; s < n; s++) {
                int i = at[s];
                residual[s] = Math.abs(frame[i] - value(c, u[i % width], v[i / width]));
            }
            double[] sorted = java.util.Arrays.copyOf(residual, n);
            java.util.Arrays.sort(sorted);
            double sigma = 1.4826 * sorted[n / 2];
            if (sigma == 0) {
                break;
            }
            int kept = 0;
            for (int s = 0; s < n; s++) {
                used[s] = residual[s] <= 3 * sigma;
                kept += used[s] ? 1 : 0;
            }
            if (kept < 4 * terms) {
                break;
            }
        }
        return c;
    }

    private double[] solve(float[] frame, int[] at, int n, boolean[] used) {
        double[][] a = new double[terms][terms + 1];
        double[] phi = new double[terms];
        double[] pu = new double[degree + 1];
        double[] pv = new double[degree + 1];
        for (int s = 0; s < n; s++) {
            if (!used[s]) {
                continue;
            }
            int i = at[s];
            powers(u[i % width], pu);
            powers(v[i / width], pv);
            for (int k = 0; k < terms; k++) {
                phi[k] = pu[powU[k]] * pv[powV[k]];
            }
            double b = frame[i];
            for (int r = 0; r < terms; r++) {
                double pr = phi[r];
                for (int col = r; col < terms; col++) {
                    a[r][col] += pr * phi[col];
                }
                a[r][terms] += pr * b;
            }
        }
        for (int r = 0; r < terms; r++) {
            for (int col = 0; col < r; col++) {
                a[r][col] = a[col][r];
            }
        }
        return LinearSystem.solve(a);
    }

    private static void powers(double x, double[] out) {
        double p = 1;
        for (int d = 0; d < out.length; d++) {
            out[d] = p;
            p *= x;
        }
    }

    private double value(double[] c, double uu, double vv) {
        double[] pu = new double[degree + 1];
        double[] pv = new double[degree + 1];
        powers(uu, pu);
        powers(vv, pv);
        double s = 0;
        for (int k = 0; k < terms; k++) {
            s += c[k] * pu[powU[k]] * pv[powV[k]];
        }
        return s;
    }

    @Override
    public String whyNot() {
        return whyNot;
    }

    /** Per row, the coefficient of each power of u, then Horner's rule along the row. */
    @Override
    public void surfaceRow(double[] c, int y, double[] out) {
        double[] pv = new double[degree + 1];
        powers(v[y], pv);
        double[] a = new double[degree + 1];
        for (int k = 0; k < terms; k++) {
            a[powU[k]] += c[k] * pv[powV[k]];
        }
        for (int x = 0; x < width; x++) {
            double uu = u[x];
            double s = a[degree];
            for (int d = degree - 1; d >= 0; d--) {
                s = s * uu + a[d];
            }
            out[x] = s;
        }
    }

    /** Exact: every term is a product of a power of u and one of v, whose means over the axes are known. */
    @Override
    public double surfaceMean(double[] c) {
        double s = 0;
        for (int k = 0; k < terms; k++) {
            s += c[k] * meanPowU[powU[k]] * meanPowV[powV[k]];
        }
        return s;
    }
}
