package org.fieldwork.em;

/**
 * Settings of the Laplacian-of-Gaussian picker ({@link LogPicker}). Lengths are in Å so that the
 * stored settings mean the same at any pixel size.
 *
 * @param particleDiameterA expected particle diameter
 * @param pixelSizeA        micrograph pixel size
 * @param thresholdSigma    k in the threshold mean + k * std of the background response (see
 *                          {@link LogPicker}); 4 by default: on pure white noise that lets through about
 *                          5 picks in a 4096^2 micrograph at 1.35 Å/px with 200 Å particles (about
 *                          1 per 200 particle areas), while particles at a usable contrast score 6-20
 *                          (k = 3 lets about ten times as many noise picks through)
 * @param minScale          smallest filter scale as a fraction of the particle radius
 * @param maxScale          largest filter scale as a fraction of the particle radius
 * @param scaleSteps        number of scales from {@code minScale} to {@code maxScale}
 * @param minDistanceA      no two picks closer than this (greedy non-maximum suppression)
 * @param edgeMarginA       no pick closer than this to the micrograph's border
 * @param lowPassA          Gaussian low-pass applied with the filter, half amplitude at 1 / lowPassA
 *                          (removes the high-resolution noise that carries no shape information; it
 *                          matters for small particles, whose working sampling is fine, while large
 *                          ones are binned close to it anyway); 0 for none
 * @param workingRadiusPx   the micrograph is box-binned by an integer factor so that the particle
 *                          radius is about this many pixels at working sampling (8-12 is plenty for
 *                          blob detection and makes the filtering cost independent of the detector)
 * @param maxPicks          keep at most this many picks, best first; 0 for no limit
 * @param darkParticles     particles darker than the background, as in underfocused cryo-EM images
 *                          after the CTF (RELION's LoG picker also picks dark blobs unless told
 *                          otherwise); false for bright particles (negative stain inverted, or
 *                          contrast-inverted micrographs)
 */
public record PickSettings(double particleDiameterA, double pixelSizeA, double thresholdSigma, double minScale,
        double maxScale, int scaleSteps, double minDistanceA, double edgeMarginA, double lowPassA,
        double workingRadiusPx, int maxPicks, boolean darkParticles) {

    public static final double DEFAULT_DIAMETER_A = 200;
    public static final double DEFAULT_THRESHOLD_SIGMA = 4;
    public static final double DEFAULT_LOW_PASS_A = 20;
    public static final double DEFAULT_WORKING_RADIUS_PX = 10;

    public PickSettings {
        if (!(particleDiameterA > 0) || !(pixelSizeA > 0)) {
            throw new IllegalArgumentException("particle diameter and pixel size must be positive, got "
                    + particleDiameterA + " Å and " + pixelSizeA + " Å");
        }
        if (!(minScale > 0) || maxScale < minScale || scaleSteps < 1) {
            throw new IllegalArgumentException("scales must satisfy 0 < min <= max with at least one step, got "
                    + minScale + ".." + maxScale + " in " + scaleSteps);
        }
        if (minDistanceA < 0 || edgeMarginA < 0 || lowPassA < 0 || !(workingRadiusPx > 0) || maxPicks < 0) {
            throw new IllegalArgumentException("distances, low-pass, working radius and max picks must not be negative");
        }
    }

    /**
     * Defaults for a pixel size: 200 Å particles, k = 4, scales 0.8-1.2 of the radius in 5 steps, minimum
     * distance and edge margin one radius, 20 Å low-pass, radius about 10 px at working sampling, no pick
     * limit, dark particles.
     */
    public static PickSettings defaults(double pixelSizeA) {
        return new PickSettings(DEFAULT_DIAMETER_A, pixelSizeA, DEFAULT_THRESHOLD_SIGMA, 0.8, 1.2, 5,
                DEFAULT_DIAMETER_A / 2, DEFAULT_DIAMETER_A / 2, DEFAULT_LOW_PASS_A, DEFAULT_WORKING_RADIUS_PX, 0, true);
    }

    /** These settings for another particle diameter, with the minimum distance and edge margin one radius. */
    public PickSettings withDiameter(double diameterA) {
        return new PickSettings(diameterA, pixelSizeA, thresholdSigma, minScale, maxScale, scaleSteps, diameterA / 2,
                diameterA / 2, lowPassA, workingRadiusPx, maxPicks, darkParticles);
    }

    public PickSettings withThresholdSigma(double k) {
        return new PickSettings(particleDiameterA, pixelSizeA, k, minScale, maxScale, scaleSteps, minDistanceA,
                edgeMarginA, lowPassA, workingRadiusPx, maxPicks, darkParticles);
    }

    public PickSettings withDarkParticles(boolean dark) {
        return new PickSettings(particleDiameterA, pixelSizeA, thresholdSigma, minScale, maxScale, scaleSteps,
                minDistanceA, edgeMarginA, lowPassA, workingRadiusPx, maxPicks, dark);
    }

    public PickSettings withMaxPicks(int max) {
        return new PickSettings(particleDiameterA, pixelSizeA, thresholdSigma, minScale, maxScale, scaleSteps,
                minDistanceA, edgeMarginA, lowPassA, workingRadiusPx, max, darkParticles);
    }

    /** Particle radius in full-resolution pixels. */
    public double radiusPx() {
        return particleDiameterA / 2 / pixelSizeA;
    }

    /** The integer box-binning factor that brings the radius to about {@link #workingRadiusPx()}. */
    public int binning() {
        return Math.max(1, (int) Math.round(radiusPx() / workingRadiusPx));
    }
}
