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
 * of a pixel for smooth models. Samples past an edge take the edge value. Local displacements are
 * small (a few pixels), so the interpolation's high-frequency damping (none at integer offsets, up
 * to a zero at Nyquist at half a pixel) touches little; the global part stays exact.
 */
final class FrameWarp {
    private final int width;
    private final int height;
    private final float[] rows;
    private final double[] qx = new double[3];
    private final double[] qy = new double[3];
    private final float[] shiftY;

    FrameWarp(int width, int height) {
        this.width = width;
        this.height = height;
        this.rows = new float[width * height];
        this.shiftY = new float[width];
    }

    /**
     * Warps {@code frame} by the model's local displacement in movie frame {@code index} into
     * {@code out[2 * i + part]} (part 0 or 1 of an interleaved complex array).
     */
    void warp(float[] frame, MotionModel model, int index, double gx, double gy, float[] out, int part) {
        double sx = 2.0 / width;
        for (int y = 0; y < height; y++) {
            model.rowQuadraticX(y - gy, index, qx);
            double x0 = model.normX(-gx);
            int o = y * width;
            for (int x = 0; x < width; x++) {
                double xx = x0 + x * sx;
                float pos = (float) (x + qx[0] + xx * (qx[1] + xx * qx[2]));
                rows[o + x] = sampleRow(frame, o, pos);
            }
        }
        for (int y = 0; y < height; y++) {
            model.rowQuadraticY(y - gy, index, qy);
            double x0 = model.normX(-gx);
            for (int x = 0; x < width; x++) {
                double xx = x0 + x * sx;
                shiftY[x] = (float) (qy[0] + xx * (qy[1] + xx * qy[2]));
            }
            int o = y * width;
            for (int x = 0; x < width; x++) {
                float pos = y + shiftY[x];
                int iy = (int) Math.floor(pos);
                float t = pos - iy;
                float t2 = t * t;
                float t3 = t2 * t;
                float w0 = 0.5f * (-t3 + 2 * t2 - t);
                float w1 = 0.5f * (3 * t3 - 5 * t2 + 2);
                float w2 = 0.5f * (-3 * t3 + 4 * t2 + t);
                float w3 = 0.5f * (t3 - t2);
                float v;
                if (iy >= 1 && iy + 2 < height) {
                    int b = (iy - 1) * width + x;
                    v = w0 * rows[b] + w1 * rows[b + width] + w2 * rows[b + 2 * width] + w3 * rows[b + 3 * width];
                } else {
                    v = w0 * rows[clampY(iy - 1) + x] + w1 * rows[clampY(iy) + x]
                            + w2 * rows[clampY(iy + 1) + x] + w3 * rows[clampY(iy + 2) + x];
                }
                out[2 * (o + x) + part] = v;
            }
        }
    }

    private int clampY(int y) {
        return (y < 0 ? 0 : Math.min(y, height - 1)) * width;
    }

    private float sampleRow(float[] frame, int o, float pos) {
        int ix = (int) Math.floor(pos);
        float t = pos - ix;
        float t2 = t * t;
        float t3 = t2 * t;
        float w0 = 0.5f * (-t3 + 2 * t2 - t);
        float w1 = 0.5f * (3 * t3 - 5 * t2 + 2);
        float w2 = 0.5f * (-3 * t3 + 4 * t2 + t);
        float w3 = 0.5f * (t3 - t2);
        if (ix >= 1 && ix + 2 < width) {
            int b = o + ix - 1;
            return w0 * frame[b] + w1 * frame[b + 1] + w2 * frame[b + 2] + w3 * frame[b + 3];
        }
        return w0 * frame[o + clampX(ix - 1)] + w1 * frame[o + clampX(ix)]
                + w2 * frame[o + clampX(ix + 1)] + w3 * frame[o + clampX(ix + 2)];
    }

    private int clampX(int x) {
        return x < 0 ? 0 : Math.min(x, width - 1);
    }
}
