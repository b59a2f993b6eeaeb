package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Values of the exposure filter worked out by hand from Ne(k) = 0.245 k^-1.665 + 2.81, q = exp(-D / 2Ne). */
class DoseWeightsTest {

    @Test
    void criticalExposureAndWeightsAt300Kv() {
        assertEquals(14.138335, DoseWeights.criticalExposure(0.1, 300), 1e-5);
        assertEquals(5.273746, DoseWeights.criticalExposure(0.25, 300), 1e-5);
        assertEquals(0.702122, DoseWeights.weight(0.1, 10, 300), 1e-6);
        assertEquals(0.150140, DoseWeights.weight(0.25, 20, 300), 1e-6);
        assertEquals(0.937496, DoseWeights.weight(0.05, 5, 300), 1e-6);
    }

    @Test
    void lowerVoltageDamagesFaster() {
        assertEquals(0.8 * 5.273746, DoseWeights.criticalExposure(0.25, 200), 1e-5);
        assertEquals(0.093459, DoseWeights.weight(0.25, 20, 200), 1e-6);
        assertEquals(0.9, DoseWeights.voltageFactor(250), 1e-12);
    }

    @Test
    void theMeanIsNeverWeighted() {
        assertEquals(Double.POSITIVE_INFINITY, DoseWeights.criticalExposure(0, 300));
        assertEquals(1.0, DoseWeights.weight(0, 100, 300), 0);
    }
}
