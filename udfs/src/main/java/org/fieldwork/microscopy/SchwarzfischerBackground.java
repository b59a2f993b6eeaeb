package org.fieldwork.microscopy;

import java.util.List;

/**
 * Fluorescence background correction after Schwarzfischer et al.: each frame's background surface
 * bg_t comes from a {@link BackgroundModel}; the gain of each pixel is the median over frames of
 * bg_t / mean(bg_t); the corrected frame is (F - bg_t) / gain.
 *
 * <p>Nothing here holds frames: a frame contributes its model's few numbers, the gain is computed
 * row by row from them, and a frame is corrected on its own when it is read again.
 */
public final class SchwarzfischerBackground {
    private final int width;
    private final int height;
    private final BackgroundModel model;

    public SchwarzfischerBackground(int width, int height, BackgroundModel model) {
        this.width = width;
        this.height = height;
        this.model = model;
    }

    /** The method's model: PyAMA's tile-median spline, or Fieldwork's robust polynomial surface. */
    public static SchwarzfischerBackground of(int width, int height, FovParameters p) {
        BackgroundModel model = p.fieldwork() ? new PolynomialBackground(width, height, PolynomialBackground.DEFAULT_DEGREE)
                : new TileSplineBackground(width, height, p.divHoriz(), p.divVert());
        return new SchwarzfischerBackground(width, height, model);
    }

    public BackgroundModel model() {
        return model;
    }

    /**
     * The gain of every pixel: the median over frames of bg_t / mean(bg_t), from the frames' fits
     * only (null fits are left out).
     */
    public float[] gain(List<double[]> fits) {
        List<double[]> valid = fits.stream().filter(m -> m != null).toList();
        if (valid.isEmpty()) {
            throw new IllegalArgumentException("no frame with a background: the gain cannot be estimated");
        }
        int t = valid.size();
        double[] means = new double[t];
        for (int k = 0; k < t; k++) {
            means[k] = model.surfaceMean(valid.get(k));
        }
        float[] gain = new float[width * height];
        double[][] rowsOfFrames = new double[t][width];
        double[] column = new double[t];
        for (int y = 0; y < height; y++) {
            for (int k = 0; k < t; k++) {
                model.surfaceRow(valid.get(k), y, rowsOfFrames[k]);
            }
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < t; k++) {
                    column[k] = rowsOfFrames[k][x] / means[k];
                }
                gain[y * width + x] = (float) median(column);
            }
        }
        return gain;
    }

    /** (F - bg) / gain, as float32; {@code out} may be {@code frame}. */
    public void correct(float[] frame, double[] fit, float[] gain, float[] out) {
        double[] bg = new double[width];
        for (int y = 0; y < height; y++) {
            model.surfaceRow(fit, y, bg);
            int row = y * width;
            for (int x = 0; x < width; x++) {
                out[row + x] = (float) ((frame[row + x] - bg[x]) / gain[row + x]);
            }
        }
    }
    /** numpy's median of an array (reordered in place): the middle value, or the mean of the two middle values. */
    static double median(double[] v) {
        int n = v.length;
        int k = n / 2;
        double hi = select(v, k);
        if (n % 2 == 1) {
            return hi;
        }
        // After selecting k, everything before it is <= v[k]: the lower middle is their maximum.
        double lo = v[0];
        for (int i = 1; i < k; i++) {
            lo = Math.max(lo, v[i]);
        }
        return (lo + hi) / 2;
    }

    /** The k-th smallest value (Hoare's selection); leaves no larger value before index k. */
    private static double select(double[] v, int k) {
        int lo = 0;
        int hi = v.length - 1;
        while (hi > lo) {
            if (hi - lo < 16) {
                for (int i = lo + 1; i <= hi; i++) {
                    double x = v[i];
                    int j = i - 1;
                    while (j >= lo && v[j] > x) {
                        v[j + 1] = v[j];
                        j--;
                    }
                    v[j + 1] = x;
                }
                return v[k];
            }
            double pivot = v[(lo + hi) >>> 1];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] < pivot) {
                    i++;
                }
                while (v[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return v[k];
            }
        }
        return v[k];
    }
}
