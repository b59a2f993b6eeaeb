package org.fieldwork.em;

/**
 * What {@link CtfEstimator} fits with: the optics, the spectrum window, the resolution range the
 * fit uses and the defocus range it searches.
 *
 * @param pixelSizeA micrograph pixel size (Å)
 * @param voltageKv acceleration voltage (kV)
 * @param csMm spherical aberration (mm)
 * @param amplitudeContrast amplitude contrast fraction
 * @param windowPx side of the power-spectrum tiles and of the fitted spectrum (even)
 * @param minResolutionA low-resolution end of the fit range (Å)
 * @param maxResolutionA high-resolution end of the fit range (Å)
 * @param minDefocusA smallest mean defocus searched (Å)
 * @param maxDefocusA largest mean defocus searched (Å)
 * @param defocusStepA step of the coarse astigmatic search (Å); the 1-D search steps a tenth of it
 * @param findPhaseShift whether to fit a phase shift (phase plate) in [0, pi)
 * @param maxAstigmatismA largest defocus difference {@code u - v} the coarse astigmatic search covers (Å);
 *     the final refinement is not bounded by it
 */
public record CtfSettings(double pixelSizeA, double voltageKv, double csMm, double amplitudeContrast, int windowPx,
        double minResolutionA, double maxResolutionA, double minDefocusA, double maxDefocusA, double defocusStepA,
        boolean findPhaseShift, double maxAstigmatismA) {

    public CtfSettings {
        if (!(pixelSizeA > 0) || !(voltageKv > 0) || csMm < 0 || !(amplitudeContrast >= 0 && amplitudeContrast < 1)) {
            throw new IllegalArgumentException("bad optics: pixel " + pixelSizeA + " Å, " + voltageKv + " kV, Cs "
                    + csMm + " mm, A " + amplitudeContrast);
        }
        if (windowPx < 64 || windowPx % 2 != 0) {
            throw new IllegalArgumentException("CTF window must be even and at least 64, got " + windowPx);
        }
        if (!(maxResolutionA > 0) || !(minResolutionA > maxResolutionA)) {
            throw new IllegalArgumentException("fit range must be low > high resolution, got " + minResolutionA
                    + "-" + maxResolutionA + " Å");
        }
        if (!(minDefocusA > 0) || !(maxDefocusA > minDefocusA) || !(defocusStepA > 0) || maxAstigmatismA < 0) {
            throw new IllegalArgumentException("bad defocus search: " + minDefocusA + "-" + maxDefocusA + " Å step "
                    + defocusStepA + ", astigmatism " + maxAstigmatismA);
        }
    }

    /** The spec's defaults: 300 kV, Cs 2.7 mm, A 0.07, window 512, fit 30-4 Å, defocus 0.5-5 µm. */
    public static CtfSettings defaults(double pixelSizeA) {
        return new CtfSettings(pixelSizeA, 300, 2.7, 0.07, 512, 30, 4, 5000, 50000, 500, false, 3000);
    }

    public CtfSettings withOptics(double voltageKv, double csMm, double amplitudeContrast) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    public CtfSettings withWindow(int windowPx) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    public CtfSettings withResolutionRange(double minResolutionA, double maxResolutionA) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    public CtfSettings withDefocusRange(double minDefocusA, double maxDefocusA, double defocusStepA) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    public CtfSettings withPhaseShift(boolean findPhaseShift) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    public CtfSettings withMaxAstigmatism(double maxAstigmatismA) {
        return new CtfSettings(pixelSizeA, voltageKv, csMm, amplitudeContrast, windowPx, minResolutionA,
                maxResolutionA, minDefocusA, maxDefocusA, defocusStepA, findPhaseShift, maxAstigmatismA);
    }

    /** Electron wavelength (Å). */
    public double wavelengthA() {
        return CtfModel.wavelengthA(voltageKv);
    }
}
