package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** OMRChecker's global and per-field threshold rules on hand-made bubble means. */
class OmrThresholdTest {
    private final BubbleReader reader = new BubbleReader(TuningConfig.defaults());

    @Test
    void globalThresholdSitsInTheMiddleOfTheLargestJump() {
        // Sorted: 100 102 104 | 200 202 204 206; looseness 1 compares neighbours two apart.
        double thr = reader.globalThreshold(new double[] {204, 100, 200, 102, 206, 104, 202}, 1);
        // jumps q[i+1]-q[i-1]: 4, 98 (102->200), 98 (104->202), 6, 4: the first 98 wins -> 102 + 49
        assertEquals(151.0, thr);
    }

    @Test
    void globalThresholdWithoutAJumpIsThePageDefault() {
        assertEquals(200.0, reader.globalThreshold(new double[] {150, 155, 160, 165, 170, 175}, 4));
        assertEquals(200.0, reader.globalThreshold(new double[] {1.2, 3.4}, 1));
    }

    @Test
    void looseness4ComparesValuesFourApart() {
        double[] v = {90, 92, 94, 96, 230, 232, 234, 236, 238, 240};
        // ls = 2: jumps q[i+2]-q[i-2] for i in 2..7; the first, q[4]-q[0] = 140, wins -> 90 + 70
        assertEquals(160.0, reader.globalThreshold(v, 4));
    }

    @Test
    void localThresholdUsesTheFieldsOwnJump() {
        // Neighbours two apart in sorted order: 110 -> 242 is the jump.
        assertEquals(110 + (242 - 110) / 2.0, reader.localThreshold(new double[] {240, 110, 245, 242}, 170, true));
    }

    @Test
    void unconfidentFieldsFallBackToTheGlobalThreshold() {
        // Largest neighbour jump 24 < MIN_JUMP: stays 255 unless the field's spread is low (no outliers).
        assertEquals(180.0, reader.localThreshold(new double[] {200, 210, 224, 230}, 180, true));
        assertEquals(255.0, reader.localThreshold(new double[] {200, 210, 224, 230}, 180, false));
        // Largest jump 29 (202 -> 231): above MIN_JUMP (25) but below MIN_JUMP + CONFIDENT_SURPLUS (30).
        assertEquals(180.0, reader.localThreshold(new double[] {200, 202, 228, 231}, 180, true));
        assertEquals(202 + 29 / 2.0, reader.localThreshold(new double[] {200, 202, 228, 231}, 180, false));
        // A jump of exactly 30 is confident: the field keeps its own threshold.
        assertEquals(215.0, reader.localThreshold(new double[] {200, 202, 230, 232}, 180, true));
    }

    @Test
    void fieldsWithOneOrTwoBubbles() {
        assertEquals(150.0, reader.localThreshold(new double[] {100, 200}, 170, true));
        assertEquals(170.0, reader.localThreshold(new double[] {190, 210}, 170, true));
        assertEquals(170.0, reader.localThreshold(new double[] {120}, 170, false));
    }

    @Test
    void markedIffThresholdIsStrictlyGreater() {
        byte[] page = new byte[40 * 10];
        java.util.Arrays.fill(page, (byte) 230);
        for (int y = 0; y < 10; y++) {
            for (int x = 10; x < 20; x++) {
                page[y * 40 + x] = (byte) 60;
            }
        }
        assertEquals(60.0, BubbleReader.rectMean(page, 40, 10, 10, 0, 10, 10));
        assertEquals(145.0, BubbleReader.rectMean(page, 40, 10, 5, 0, 10, 10));
        // Clipped at the image edge like a numpy slice.
        assertEquals(230.0, BubbleReader.rectMean(page, 40, 10, 35, 5, 10, 10));
        assertTrue(Double.isFinite(NumpyStats.std(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10})));
        assertEquals(Math.sqrt(8.25), NumpyStats.std(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}), 1e-15);
    }
}
