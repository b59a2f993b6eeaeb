package org.fieldwork.em;

/**
 * Settings of {@link MotionCorrection}.
 *
 * <p>Units: Å for pixel size and resolutions; Å² for the B-factor; electrons per Å² for the dose;
 * alignment pixels (the Fourier-cropped sampling, {@code maxResolutionA / 2} Å per pixel, or the
 * full sampling when that is coarser) for the maximum shift and the convergence tolerance.
 *
 * @param pixelSizeA     pixel size of the movie's frames in Å
 * @param minResolutionA low end of the alignment band: spatial frequencies below 1 / minResolutionA
 *                       are left out of the cross-correlation (ice gradients, uneven illumination)
 * @param maxResolutionA high end of the alignment band: frames are aligned on their spectra
 *                       cropped to this resolution, which also sets the alignment sampling
 * @param bFactorA2      B-factor of the cross-correlation weight W(k) = exp(B k² / 4), k in 1/Å.
 *                       Negative values damp high frequencies (-500 Å² gives W = 0.14 at 8 Å). In
 *                       the pixel units of MotionCor2 and RELION, W = exp(-2 b k_px²) with
 *                       b = -B / (8 p²); -500 Å² at 1.35 Å per pixel is b = 34 px². It shapes
 *                       the first iteration; later ones weigh frequencies by the SNR estimated
 *                       from the stack.
 * @param maxShiftPx     largest shift searched per iteration, in alignment pixels
 * @param iterations     most iterations of the alignment (global, and again per patch)
 * @param tolerancePx    the alignment stops when the RMS shift update over frames falls below this,
 *                       in alignment pixels
 * @param patches        local motion on a patches x patches grid; 0 aligns globally only. Frames
 *                       whose patches would be under 32 alignment pixels are aligned globally only
 *                       (the result's local motion is null)
 * @param dosePerFrame   electrons per Å² per frame; 0 sums the frames without dose weighting
 * @param voltageKv      acceleration voltage, for the critical exposure of dose weighting
 */
public record MotionSettings(
        double pixelSizeA,
        double minResolutionA,
        double maxResolutionA,
        double bFactorA2,
        double maxShiftPx,
        int iterations,
        double tolerancePx,
        int patches,
        double dosePerFrame,
        double voltageKv) {

    public MotionSettings {
        if (!(pixelSizeA > 0)) {
            throw new IllegalArgumentException("pixel size must be > 0 Å, got " + pixelSizeA);
        }
        if (!(maxResolutionA > 0) || !(minResolutionA > maxResolutionA)) {
            throw new IllegalArgumentException("alignment band must have min resolution > max resolution > 0, got "
                    + minResolutionA + "-" + maxResolutionA + " Å");
        }
        if (!(maxShiftPx >= 1)) {
            throw new IllegalArgumentException("max shift must be at least 1 px, got " + maxShiftPx);
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be at least 1, got " + iterations);
        }
        if (!(tolerancePx >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0 px, got " + tolerancePx);
        }
        if (patches < 0 || patches == 1) {
            throw new IllegalArgumentException("patches must be 0 (global only) or at least 2, got " + patches);
        }
        if (!(dosePerFrame >= 0)) {
            throw new IllegalArgumentException("dose per frame must be >= 0 e/Å², got " + dosePerFrame);
        }
        if (dosePerFrame > 0 && !(voltageKv > 0)) {
            throw new IllegalArgumentException("dose weighting needs the voltage, got " + voltageKv + " kV");
        }
        if (Double.isNaN(bFactorA2) || Double.isInfinite(bFactorA2)) {
            throw new IllegalArgumentException("B-factor must be finite, got " + bFactorA2);
        }
    }

    /**
     * The pipeline's defaults at this pixel size: band 500-6 Å, B-factor -500 Å², shifts up to 40
     * alignment pixels, 5 iterations to a 0.5 px RMS update, 5 x 5 patches, no dose weighting, 300 kV.
     */
    public static MotionSettings defaults(double pixelSizeA) {
        return new MotionSettings(pixelSizeA, 500, 6, -500, 40, 5, 0.5, 5, 0, 300);
    }

    public MotionSettings withPatches(int n) {
        return new MotionSettings(pixelSizeA, minResolutionA, maxResolutionA, bFactorA2, maxShiftPx, iterations,
                tolerancePx, n, dosePerFrame, voltageKv);
    }

    public MotionSettings withDose(double perFrame, double kv) {
        return new MotionSettings(pixelSizeA, minResolutionA, maxResolutionA, bFactorA2, maxShiftPx, iterations,
                tolerancePx, patches, perFrame, kv);
    }

    public MotionSettings withBand(double minA, double maxA) {
        return new MotionSettings(pixelSizeA, minA, maxA, bFactorA2, maxShiftPx, iterations, tolerancePx, patches,
                dosePerFrame, voltageKv);
    }

    public MotionSettings withMaxShift(double px) {
        return new MotionSettings(pixelSizeA, minResolutionA, maxResolutionA, bFactorA2, px, iterations, tolerancePx,
                patches, dosePerFrame, voltageKv);
    }
}
