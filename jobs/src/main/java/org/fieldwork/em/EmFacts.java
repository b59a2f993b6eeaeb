package org.fieldwork.em;

import java.util.List;

/**
 * What a processed movie reports for the merge, kept in its manifest record: each step's results,
 * so that a re-run which redoes some steps keeps the others' from here. Null where a step is off.
 *
 * @param picksPart the movie's picks table under _picks/ (null when picking is off)
 * @param average   the movie's exported aligned sum (null when export is off)
 */
public record EmFacts(String movie, int frames, int width, int height, double pixelSizeA, double voltageKv, double csMm,
        double amplitudeContrast, List<Double> shiftXPx,
        List<Double> shiftYPx, Double motionMeanPx, Double defocusUUm, Double defocusVUm, Double astigmatismAngleDeg,
        Double phaseShiftPi, Double ctfFitResolutionA, Integer particleCount, String picksPart,
        String average)
        implements java.io.Serializable {
}
