package org.fieldwork.em;

/**
 * What {@link MotionCorrection} found and made.
 *
 * <p>Shift convention: {@code shiftX[i], shiftY[i]} is the displacement of the specimen in frame i
 * relative to frame 0, in full-resolution pixels: content at (x, y) in frame 0 is at
 * (x + shiftX[i], y + shiftY[i]) in frame i. Frame 0's shift is 0; aligning frame i samples it at
 * (x + shift). With local motion, these are the global (whole-frame) shifts and
 * {@link #local()} adds the position-dependent part.
 *
 * @param width      frame width
 * @param height     frame height
 * @param shiftX     global x shift per frame
 * @param shiftY     global y shift per frame
 * @param local      local motion, or null when aligned globally only
 * @param average    the aligned sum, row-major {@code width * height}, in frame 0's geometry. It is a
 *                   sum, not a mean: without dose weighting the sum of the aligned frames; with it,
 *                   the dose-weighted sum scaled so that its low frequencies equal the plain sum's
 *                   (see {@link AlignedSum})
 * @param iterations iterations of the global alignment
 */
public record MotionResult(
        int width,
        int height,
        float[] shiftX,
        float[] shiftY,
        LocalMotion local,
        float[] average,
        int iterations) {

    public int frames() {
        return shiftX.length;
    }

    /** Mean frame-to-frame movement: the mean over i >= 1 of |shift_i - shift_(i-1)|, pixels. */
    public double meanMotionPx() {
        return meanMotionPx(shiftX.length, i -> shiftX[i], i -> shiftY[i]);
    }

    /** {@link #meanMotionPx()} of any n shifts (a run that kept an earlier run's shifts); 0 for fewer than two. */
    public static double meanMotionPx(int n, java.util.function.IntToDoubleFunction x,
            java.util.function.IntToDoubleFunction y) {
        if (n < 2) {
            return 0;
        }
        double s = 0;
        for (int i = 1; i < n; i++) {
            s += Math.hypot(x.applyAsDouble(i) - x.applyAsDouble(i - 1), y.applyAsDouble(i) - y.applyAsDouble(i - 1));
        }
        return s / (n - 1);
    }

    /** Total x displacement (global plus local) of the content at output position (x, y) in a frame. */
    public double shiftXAt(double x, double y, int frame) {
        return shiftX[frame] + (local == null ? 0 : local.model().shiftX(x, y, frame));
    }

    /** Total y displacement (global plus local) of the content at output position (x, y) in a frame. */
    public double shiftYAt(double x, double y, int frame) {
        return shiftY[frame] + (local == null ? 0 : local.model().shiftY(x, y, frame));
    }
}
