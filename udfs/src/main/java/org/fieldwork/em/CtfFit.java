package org.fieldwork.em;

/**
 * The result of {@link CtfEstimator#estimate}: the fitted defocus and how far the fit holds, plus
 * the spectrum and the fitted model for a picture.
 *
 * @param defocusUUm the larger defocus, along {@code astigmatismAngleDeg} (µm, underfocus positive)
 * @param defocusVUm the smaller defocus, perpendicular to it (µm)
 * @param astigmatismAngleDeg the spec's {@code theta_ast}: direction of defocus U in [0, 180), measured
 *     from the +x axis (image columns) towards +y (image rows) of the micrograph and of the spectrum
 * @param phaseShiftPi fitted phase shift in units of pi, 0 when not fitted
 * @param fitResolutionA resolution (Å) up to which the fit holds: the outer end of the last Thon ring
 *     in an unbroken run, from the first fitted ring outwards, whose equiphase average correlates with
 *     the model by at least {@link CtfEstimator#FIT_RESOLUTION_CC}; {@code Double.NaN} when not even the
 *     first ring does
 * @param score normalised correlation of the model's CTF^2 with the spectrum over the fit range
 * @param spectrumPixelSizeA the pixel size the spectrum grid stands for: the micrograph's, times the
 *     binning factor when the estimator binned; grid frequency {@code (x - size/2, y - size/2) /
 *     (size * spectrumPixelSizeA)}
 * @param size side of the spectrum and model grids
 * @param spectrum background-subtracted power spectrum normalised per radius, {@code size * size}
 *     values, row-major, origin at {@code (size/2, size/2)}, zero inside the fit range's inner radius
 * @param model the fitted CTF^2 on the same grid, scaled to the spectrum's mean and standard deviation
 *     over the fit range
 */
public record CtfFit(double defocusUUm, double defocusVUm, double astigmatismAngleDeg, double phaseShiftPi,
        double fitResolutionA, double score, double spectrumPixelSizeA, int size, float[] spectrum, float[] model) {

    /** Mean defocus {@code (u + v) / 2} in µm. */
    public double defocusUm() {
        return (defocusUUm + defocusVUm) / 2;
    }

    /** Astigmatism {@code u - v} in µm. */
    public double astigmatismUm() {
        return defocusUUm - defocusVUm;
    }

    /** The fitted CTF for a micrograph of {@code pixelSizeA}, with the optics of {@code settings}. */
    public CtfModel model(CtfSettings settings, double pixelSizeA) {
        return new CtfModel(settings.voltageKv(), settings.csMm(), settings.amplitudeContrast(), pixelSizeA,
                defocusUUm * 1e4, defocusVUm * 1e4, astigmatismAngleDeg, phaseShiftPi * Math.PI);
    }
}
