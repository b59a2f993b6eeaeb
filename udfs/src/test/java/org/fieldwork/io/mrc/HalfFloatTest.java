package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IEEE binary16 conversions against the format's definition: known bit patterns, every value, every tie. */
class HalfFloatTest {

    @Test
    void knownBitPatterns() {
        assertEquals(0x3c00, HalfFloat.fromFloat(1f) & 0xffff);
        assertEquals(0xc000, HalfFloat.fromFloat(-2f) & 0xffff);
        assertEquals(0x7bff, HalfFloat.fromFloat(65504f) & 0xffff);           // largest finite
        assertEquals(0x7bff, HalfFloat.fromFloat(65519.99f) & 0xffff);
        assertEquals(0x7c00, HalfFloat.fromFloat(65520f) & 0xffff);           // rounds to infinity
        assertEquals(0xfc00, HalfFloat.fromFloat(Float.NEGATIVE_INFINITY) & 0xffff);
        assertEquals(0x0400, HalfFloat.fromFloat(0x1p-14f) & 0xffff);         // smallest normal
        assertEquals(0x0001, HalfFloat.fromFloat(0x1p-24f) & 0xffff);         // smallest subnormal
        assertEquals(0x0000, HalfFloat.fromFloat(0x1p-25f) & 0xffff);         // tie to even: 0
        assertEquals(0x0001, HalfFloat.fromFloat(0x1.000002p-25f) & 0xffff);  // just above the tie
        assertEquals(0x8000, HalfFloat.fromFloat(-0f) & 0xffff);
        assertEquals(0x2e66, HalfFloat.fromFloat(0.1f) & 0xffff);
        assertEquals(0x3555, HalfFloat.fromFloat(1f / 3) & 0xffff);
        assertTrue(Float.isNaN(HalfFloat.toFloat(HalfFloat.fromFloat(Float.NaN))));
        assertEquals(0.099975586f, HalfFloat.toFloat(0x2e66));
        assertEquals(5.9604645e-8f, HalfFloat.toFloat(0x0001));
        assertEquals(Float.POSITIVE_INFINITY, HalfFloat.toFloat(0x7c00));
    }

    @Test
    void everyHalfValueSurvivesTheRoundTrip() {
        for (int h = 0; h < 1 << 16; h++) {
            float f = HalfFloat.toFloat(h);
            if (!Float.isNaN(f)) {
                assertEquals(h, HalfFloat.fromFloat(f) & 0xffff, "half 0x" + Integer.toHexString(h));
            }
        }
    }

    @Test
    void valuesBetweenNeighboursRoundToNearestTiesToEven() {
        for (int h = 0; h < 0x7bff; h++) {     // positive finite neighbours h, h + 1
            float lo = HalfFloat.toFloat(h);
            float hi = HalfFloat.toFloat(h + 1);
            double mid = ((double) lo + hi) / 2;      // exact in float: halves have 11 significant bits
            int even = (h & 1) == 0 ? h : h + 1;
            assertEquals(even, HalfFloat.fromFloat((float) mid), "tie between 0x" + Integer.toHexString(h));
            assertEquals(h, HalfFloat.fromFloat(Math.nextDown((float) mid)));
            assertEquals(h + 1, HalfFloat.fromFloat(Math.nextUp((float) mid)));
            assertEquals(0x8000 | h, HalfFloat.fromFloat(-Math.nextDown((float) mid)) & 0xffff, "negative below the tie");
        }
    }
}
