package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The local-motion polynomial: exact on data from its own family, robust to a wild measurement, and the warp that applies it. */
class MotionModelTest {
    private static final int W = 400;
    private static final int H = 300;
    private static final int FRAMES = 9;

    /** A field of the model's family (quadratic in x, y; cubic in time), with an offset at t = 0. */
    private static double fieldX(double x, double y, int t) {
        double xx = (x - W / 2.0) / (W / 2.0);
        double yy = (y - H / 2.0) / (H / 2.0);
        double tau = t / (FRAMES - 1.0);
        return 0.3 + 0.05 * xx + tau * (0.8 * xx - 0.2 * yy) + tau * tau * (-0.6 * yy * yy + 0.3 * xx * yy)
                + tau * tau * tau * 0.4 * xx * xx;
    }

    private static double fieldY(double x, double y, int t) {
        double xx = (x - W / 2.0) / (W / 2.0);
        double yy = (y - H / 2.0) / (H / 2.0);
        double tau = t / (FRAMES - 1.0);
        return -0.1 * yy * yy + tau * (1.5 * yy + 0.7) - tau * tau * tau * 0.9 * xx;
    }

    private static MotionModel fitted(boolean withOutlier) {
        int side = 5;
        double[] px = new double[side * side];
        double[] py = new double[side * side];
        double[][] rx = new double[side * side][FRAMES];
        double[][] ry = new double[side * side][FRAMES];
        for (int p = 0; p < px.length; p++) {
            px[p] = (p % side + 0.5) * W / side;
            py[p] = (p / side + 0.5) * H / side;
            for (int t = 0; t < FRAMES; t++) {
                rx[p][t] = fieldX(px[p], py[p], t);
                ry[p][t] = fieldY(px[p], py[p], t);
            }
        }
        if (withOutlier) {
            rx[7][4] += 6;
            ry[7][4] -= 4;
        }
        return MotionModel.fit(W, H, px, py, rx, ry, side);
    }

    @Test
    void recoversAFieldOfItsFamilyRelativeToFrameZero() {
        check(fitted(false));
    }

    @Test
    void dropsAWildPatchMeasurement() {
        check(fitted(true));
    }

    private static void check(MotionModel model) {
        Random r = new Random(4);
        for (int i = 0; i < 200; i++) {
            double x = r.nextDouble() * W;
            double y = r.nextDouble() * H;
            int t = r.nextInt(FRAMES);
            assertEquals(fieldX(x, y, t) - fieldX(x, y, 0), model.shiftX(x, y, t), 1e-6);
            assertEquals(fieldY(x, y, t) - fieldY(x, y, 0), model.shiftY(x, y, t), 1e-6);
        }
    }

    @Test
    void theWarpSamplesTheFrameAtTheModelsDisplacement() {
        MotionModel model = fitted(false);
        float[] frame = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                frame[y * W + x] = (float) smooth(x, y);
            }
        }
        double gx = 3.4;
        double gy = -2.2;
        int t = 6;
        float[] out = new float[2 * W * H];
        new FrameWarp(W, H).warp(frame, model, t, gx, gy, out, 1);
        double worst = 0;
        for (int y = 8; y < H - 8; y++) {
            for (int x = 8; x < W - 8; x++) {
                double lx = model.shiftX(x - gx, y - gy, t);
                double ly = model.shiftY(x - gx, y - gy, t);
                worst = Math.max(worst, Math.abs(out[2 * (y * W + x) + 1] - smooth(x + lx, y + ly)));
            }
        }
        assertEquals(0, worst, 0.01, "largest error, amplitude 1.5");
    }

    private static double smooth(double x, double y) {
        return Math.cos(2 * Math.PI * (x / 37 + y / 53)) + 0.5 * Math.sin(2 * Math.PI * (x / 23 - y / 41));
    }
}
