package org.fieldwork.em;

/**
 * Exposure filter of dose weighting (Grant and Grigorieff 2015). At 300 kV a spatial frequency k
 * (1/Å) fades with cumulative dose D (e/Å²) as exp(-D / (2 Ne(k))), with the critical exposure
 * Ne(k) = 0.245 k^-1.665 + 2.81 e/Å². Radiation damage per electron is larger at lower voltage: as
 * MotionCor2 does, Ne is scaled by 0.8 at 200 kV; between 200 and 300 kV the factor is interpolated
 * linearly, and it stays 0.8 below 200 kV and 1 above 300 kV (no measurement there).
 *
 * <p>Frame i (0-based) of a movie is weighted with the dose at its end, D = (i + 1) x dose per
 * frame, and the weighted sum is divided by sqrt(sum of the squared weights) at each frequency.
 */
public final class DoseWeights {
    private DoseWeights() {
    }

    /** Factor on the 300 kV critical exposure at this voltage. */
    public static double voltageFactor(double kv) {
        if (kv >= 300) {
            return 1;
        }
        if (kv <= 200) {
            return 0.8;
        }
        return 0.8 + 0.2 * (kv - 200) / 100;
    }

    /** Critical exposure Ne in e/Å² at spatial frequency k (1/Å); infinite at k = 0. */
    public static double criticalExposure(double k, double kv) {
        if (k <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        return (0.245 * Math.pow(k, -1.665) + 2.81) * voltageFactor(kv);
    }

    /** Weight exp(-D / (2 Ne(k))) of a frame whose cumulative dose is D, at frequency k. */
    public static double weight(double k, double cumulativeDose, double kv) {
        return Math.exp(-cumulativeDose / (2 * criticalExposure(k, kv)));
    }
}
