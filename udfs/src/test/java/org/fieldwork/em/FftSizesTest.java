package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FftSizesTest {

    @Test
    void smallestEvenTwoThreeFiveSmoothSize() {
        assertEquals(2, FftSizes.fastAtLeast(1));
        assertEquals(8, FftSizes.fastAtLeast(7));
        assertEquals(90, FftSizes.fastAtLeast(81));
        assertEquals(360, FftSizes.fastAtLeast(346));
        assertEquals(1440, FftSizes.fastAtLeast(1383));
        assertEquals(4096, FftSizes.fastAtLeast(4096));
    }

    @Test
    void alignmentSamplingCropsToTheBandAtAFastSize() {
        // 6 Å at 1.35 Å/px keeps 0.45 of each side: 1843.2 -> 1920 (2^7 3 5), 1382.4 -> 1440
        AlignmentSampling s = new AlignmentSampling(4096, 3072, MotionSettings.defaults(1.35));
        assertEquals(1920, s.alignWidth());
        assertEquals(1440, s.alignHeight());
        assertEquals(4096 / 1920.0, s.binX(), 1e-12);
        AlignmentSampling none = new AlignmentSampling(80, 80, MotionSettings.defaults(1.0).withBand(500, 2));
        assertEquals(80, none.alignWidth());
    }

    @Test
    void settingsRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(0));
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(1).withBand(8, 500));
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(1).withPatches(1));
        assertThrows(IllegalArgumentException.class, () -> MotionSettings.defaults(1).withDose(1, 0));
    }
}
