package org.fieldwork.em;

import java.util.Arrays;

/**
 * Smooth local motion on top of the global shifts: per axis a polynomial
 * m(x, y, t) = sum over n = 0..T of tau^n (c_n0 + c_n1 X + c_n2 Y + c_n3 X² + c_n4 X Y + c_n5 Y²),
 * with X = (x - width/2) / (width/2), Y = (y - height/2) / (height/2), tau = frame / (frames - 1),
 * time order T = min(3, frames - 1) and the quadratic spatial terms (6; the first 3 on a 2 x 2 grid).
 * It is the MotionCor2-style model with a free offset per position: {@link #shiftX} gives
 * m(x, y, t) - m(x, y, 0), the local displacement relative to frame 0 in full-resolution pixels,
 * to be added to the frame's global shift. Positions are those of the aligned output.
 *
 * <p>Fitted by least squares to per-patch residual shifts; observations more than 3 RMS from the
 * first fit are dropped and the fit repeated once.
 */
public final class MotionModel {
    private final int width;
    private final int height;
    private final int frames;
    private final int timeOrder;
    private final int spatialTerms;
    /** Coefficients [n * spatialTerms + k], n = 0..timeOrder. */
    private final double[] cx;
    private final double[] cy;

    private MotionModel(int width, int height, int frames, int timeOrder, int spatialTerms, double[] cx, double[] cy) {
        this.width = width;
        this.height = height;
        this.frames = frames;
        this.timeOrder = timeOrder;
        this.spatialTerms = spatialTerms;
        this.cx = cx;
        this.cy = cy;
    }

    /**
     * Fits the model to residual shifts {@code rx[p][t]}, {@code ry[p][t]} (full-resolution pixels,
     * any offset per patch) measured at patch centres (px[p], py[p]).
     */
    static MotionModel fit(int width, int height, double[] px, double[] py, double[][] rx, double[][] ry,
            int gridSide) {
        int patches = px.length;
        int frames = rx[0].length;
        int timeOrder = Math.min(3, frames - 1);
        int spatialTerms = gridSide >= 3 ? 6 : 3;
        int terms = (timeOrder + 1) * spatialTerms;
        MotionModel empty = new MotionModel(width, height, frames, timeOrder, spatialTerms,
                new double[terms], new double[terms]);
        double[] basis = new double[terms];
        boolean[] keep = new boolean[patches * frames];
        Arrays.fill(keep, true);
        double[] cx = null;
        double[] cy = null;
        for (int pass = 0; pass < 2; pass++) {
            double[][] ata = new double[terms][terms];
            double[] atx = new double[terms];
            double[] aty = new double[terms];
            for (int p = 0; p < patches; p++) {
                for (int t = 0; t < frames; t++) {
                    if (!keep[p * frames + t]) {
                        continue;
                    }
                    empty.basis(px[p], py[p], t, basis);
                    for (int i = 0; i < terms; i++) {
                        atx[i] += basis[i] * rx[p][t];
                        aty[i] += basis[i] * ry[p][t];
                        for (int j = 0; j <= i; j++) {
                            ata[i][j] += basis[i] * basis[j];
                        }
                    }
                }
            }
            for (int i = 0; i < terms; i++) {
                for (int j = i + 1; j < terms; j++) {
                    ata[i][j] = ata[j][i];
                }
            }
            double trace = 0;
            for (int i = 0; i < terms; i++) {
                trace += ata[i][i];
            }
            for (int i = 0; i < terms; i++) {
                ata[i][i] += 1e-9 * trace / terms;
            }
            double[][] rhs = {atx, aty};
            double[][] solution = solve(ata, rhs);
            cx = solution[0];
            cy = solution[1];
            if (pass == 1) {
                break;
            }
            MotionModel first = new MotionModel(width, height, frames, timeOrder, spatialTerms, cx, cy);
            double[] err = new double[patches * frames];
            double sq = 0;
            for (int p = 0; p < patches; p++) {
                for (int t = 0; t < frames; t++) {
                    double ex = rx[p][t] - first.raw(first.cx, px[p], py[p], t);
                    double ey = ry[p][t] - first.raw(first.cy, px[p], py[p], t);
                    err[p * frames + t] = ex * ex + ey * ey;
                    sq += err[p * frames + t];
                }
            }
            double limit = 9 * sq / err.length;
            int kept = 0;
            for (int i = 0; i < err.length; i++) {
                keep[i] = err[i] <= limit;
                kept += keep[i] ? 1 : 0;
            }
            if (kept == err.length || kept < 2 * terms) {
                break;
            }
        }
        return new MotionModel(width, height, frames, timeOrder, spatialTerms, cx, cy);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public int frames() {
        return frames;
    }

    /** Local x displacement at output position (x, y) in this frame relative to frame 0, pixels. */
    public double shiftX(double x, double y, int frame) {
        return raw(cx, x, y, frame) - raw(cx, x, y, 0);
    }

    /** Local y displacement at output position (x, y) in this frame relative to frame 0, pixels. */
    public double shiftY(double x, double y, int frame) {
        return raw(cy, x, y, frame) - raw(cy, x, y, 0);
    }

    /** The fitted value including the per-position offset (the model at frame 0 is not zero). */
    double rawX(double x, double y, int frame) {
        return raw(cx, x, y, frame);
    }

    double rawY(double x, double y, int frame) {
        return raw(cy, x, y, frame);
    }

    /**
     * Coefficients of the frame-0-relative displacement along x in this frame as a quadratic in X
     * at row Y: {q0, q1, q2} with shift = q0 + q1 X + q2 X², X and Y as in the class comment.
     */
    void rowQuadraticX(double y, int frame, double[] out) {
        rowQuadratic(cx, y, frame, out);
    }

    void rowQuadraticY(double y, int frame, double[] out) {
        rowQuadratic(cy, y, frame, out);
    }

    /** X of a position x, the normalised coordinate of the polynomial. */
    double normX(double x) {
        return (x - width / 2.0) / (width / 2.0);
    }

    double normY(double y) {
        return (y - height / 2.0) / (height / 2.0);
    }

    private void rowQuadratic(double[] c, double y, int frame, double[] out) {
        double yy = normY(y);
        double tau = tau(frame);
        double q0 = 0;
        double q1 = 0;
        double q2 = 0;
        double tn = 1;
        for (int n = 1; n <= timeOrder; n++) {
            tn *= tau;
            int o = n * spatialTerms;
            q0 += tn * (c[o] + c[o + 2] * yy + (spatialTerms == 6 ? c[o + 5] * yy * yy : 0));
            q1 += tn * (c[o + 1] + (spatialTerms == 6 ? c[o + 4] * yy : 0));
            q2 += tn * (spatialTerms == 6 ? c[o + 3] : 0);
        }
        out[0] = q0;
        out[1] = q1;
        out[2] = q2;
    }

    private double tau(int frame) {
        return frames > 1 ? (double) frame / (frames - 1) : 0;
    }

    private double raw(double[] c, double x, double y, int frame) {
        double[] b = new double[c.length];
        basis(x, y, frame, b);
        double v = 0;
        for (int i = 0; i < c.length; i++) {
            v += b[i] * c[i];
        }
        return v;
    }

    private void basis(double x, double y, int frame, double[] out) {
        double xx = normX(x);
        double yy = normY(y);
        double[] spatial = {1, xx, yy, xx * xx, xx * yy, yy * yy};
        double tau = tau(frame);
        double tn = 1;
        for (int n = 0; n <= timeOrder; n++) {
            for (int k = 0; k < spatialTerms; k++) {
                out[n * spatialTerms + k] = tn * spatial[k];
            }
            tn *= tau;
        }
    }

    /** Solves a x = b for each right-hand side by Gaussian elimination with partial pivoting. */
    private static double[][] solve(double[][] a0, double[][] rhs) {
        int n = a0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = a0[i].clone();
        }
        double[][] b = new double[rhs.length][];
        for (int r = 0; r < rhs.length; r++) {
            b[r] = rhs[r].clone();
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int i = col + 1; i < n; i++) {
                if (Math.abs(a[i][col]) > Math.abs(a[pivot][col])) {
                    pivot = i;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (double[] v : b) {
                double s = v[col];
                v[col] = v[pivot];
                v[pivot] = s;
            }
            double d = a[col][col];
            if (d == 0) {
                continue;
            }
            for (int i = col + 1; i < n; i++) {
                double f = a[i][col] / d;
                if (f == 0) {
                    continue;
                }
                for (int j = col; j < n; j++) {
                    a[i][j] -= f * a[col][j];
                }
                for (double[] v : b) {
                    v[i] -= f * v[col];
                }
            }
        }
        double[][] x = new double[rhs.length][n];
        for (int r = 0; r < rhs.length; r++) {
            for (int i = n - 1; i >= 0; i--) {
                double s = b[r][i];
                for (int j = i + 1; j < n; j++) {
                    s -= a[i][j] * x[r][j];
                }
                x[r][i] = a[i][i] == 0 ? 0 : s / a[i][i];
            }
        }
        return x;
    }
}
