package org.fieldwork.em;

/**
 * Applies the local part of the motion to a full-size frame in real space, before its global shift
 * is applied in Fourier space: out(x, y) = f(x + l_x, y + l_y) with l the {@link MotionModel}'s
 * frame-0-relative displacement at output position (x - g_x, y - g_y), g the frame's global shift
 * (so that after the global shift the local displacement is the one at the output position).
 *
 * <p>Interpolation is cubic convolution (Keys, a = -0.5), separable: a pass along rows with the x
 * displacement, then along columns with the y displacement. The x displacement is taken at the row
 * being read rather than at the one written, an error of (d l_x / d y) * l_y, far below a hundredth
 * of a pixel for smooth models. Along each row the displacement is held constant over runs short
 * enough that it changes by at most {@value #STEP_PX} px within one (from the model's gradient on
 * that row), so one set of four weights serves a whole run. Samples past an edge take the edge
 * value. Local displacements are small (a few pixels), so the interpolation's high-frequency damping
 * (none at integer offsets, up to a zero at Nyquist at half a pixel) touches little; the global part
 * stays exact.
 */
final class FrameWarp {
    /** Largest change of the displacement within one run of constant weights, pixels. */
    static final double STEP_PX = 0.02;

    private final int width;
    private final int height;
    private final float[] rows;
    private final double[] q = new double[3];
    private final float[] w = new float[4];

    FrameWarp(int width, int height) {
        this.width = width;
        this.height = height;
        this.rows = new float[width * height];
    }

    /**
     * Warps {@code frame} by the model's local displacement in movie frame {@code index} into
     * {@code out[2 * i + part]} (part 0 or 1 of an interleaved complex array).
     */
    void warp(float[] frame, MotionModel model, int index, double gx, double gy, float[] out, int part) {
        double x0 = model.normX(-gx);
        double sx = 2.0 / width;
        for (int y = 0; y < height; y++) {
            model.rowQuadraticX(y - gy, index, q);
            int run = runLength(q, sx);
            int o = y * width;
            for (int a = 0; a < width; a += run) {
                int b = Math.min(width, a + run);
                double xx = x0 + 0.5 * (a + b - 1) * sx;
                double shift = q[0] + xx * (q[1] + xx * q[2]);
                int is = (int) Math.floor(shift);
                weights(shift - is);
                shiftRow(frame, o, a, b, is);
            }
        }
        for (int y = 0; y < height; y++) {
            model.rowQuadraticY(y - gy, index, q);
            int run = runLength(q, sx);
            int o = y * width;
            for (int a = 0; a < width; a += run) {
                int b = Math.min(width, a + run);
                double xx = x0 + 0.5 * (a + b - 1) * sx;
                double pos = y + q[0] + xx * (q[1] + xx * q[2]);
                int iy = (int) Math.floor(pos);
                weights(pos - iy);
                int r0 = clampY(iy - 1);
                int r1 = clampY(iy);
                int r2 = clampY(iy + 1);
                int r3 = clampY(iy + 2);
                float w0 = w[0];
                float w1 = w[1];
                float w2 = w[2];
                float w3 = w[3];
                for (int x = a; x < b; x++) {
                    out[2 * (o + x) + part] = w0 * rows[r0 + x] + w1 * rows[r1 + x] + w2 * rows[r2 + x] + w3 * rows[r3 + x];
                }
            }
        }
    }

    /** Run length over which a displacement quadratic q0 + q1 X + q2 X² changes by at most STEP_PX. */
    private int runLength(double[] q, double sx) {
        double gradient = (Math.abs(q[1]) + 2 * Math.abs(q[2])) * sx;
        if (gradient * width <= STEP_PX) {
            return width;
        }
        return Math.max(1, (int) (STEP_PX / gradient));
    }

    /** rows[o + x] = frame sampled at x + shift for x in [a, b), shift = is + t with weights w(t). */
    private void shiftRow(float[] frame, int o, int a, int b, int is) {
        float w0 = w[0];
        float w1 = w[1];
        float w2 = w[2];
        float w3 = w[3];
        int lo = Math.max(a, 1 - is);
        int hi = Math.min(b, width - 2 - is);
        for (int x = a; x < Math.min(lo, b); x++) {
            rows[o + x] = clampedSample(frame, o, x + is, w0, w1, w2, w3);
        }
        for (int x = lo; x < hi; x++) {
            int s = o + x + is;
            rows[o + x] = w0 * frame[s - 1] + w1 * frame[s] + w2 * frame[s + 1] + w3 * frame[s + 2];
        }
        for (int x = Math.max(hi, lo); x < b; x++) {
            rows[o + x] = clampedSample(frame, o, x + is, w0, w1, w2, w3);
        }
    }

    private float clampedSample(float[] frame, int o, int i, float w0, float w1, float w2, float w3) {
        return w0 * frame[o + clampX(i - 1)] + w1 * frame[o + clampX(i)] + w2 * frame[o + clampX(i + 1)]
                + w3 * frame[o + clampX(i + 2)];
    }

    /** Keys cubic convolution weights for samples at -1, 0, 1, 2 around a point t in [0, 1) past sample 0. */
    private void weights(double t) {
        double t2 = t * t;
        double t3 = t2 * t;
        w[0] = (float) (0.5 * (-t3 + 2 * t2 - t));
        w[1] = (float) (0.5 * (3 * t3 - 5 * t2 + 2));
        w[2] = (float) (0.5 * (-3 * t3 + 4 * t2 + t));
        w[3] = (float) (0.5 * (t3 - t2));
    }

    private int clampY(int y) {
        return (y < 0 ? 0 : Math.min(y, height - 1)) * width;
    }

    private int clampX(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }
}
