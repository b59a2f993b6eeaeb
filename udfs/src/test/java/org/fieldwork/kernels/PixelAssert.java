package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Pixel-for-pixel comparisons that say where the first difference is. */
final class PixelAssert {
    private static final Logger LOG = LoggerFactory.getLogger(PixelAssert.class);
    /** Unit roundoff of float: half an ulp of 1. */
    static final double U = Math.ulp(1f) / 2;

    private PixelAssert() {
    }

    /** Bit-identical floats (so also -0 vs +0 and NaN payloads count). */
    static void assertSameBits(FloatImage expected, FloatImage actual, String what) {
        assertShape(expected.width(), expected.height(), actual.width(), actual.height(), what);
        float[] e = expected.pixels();
        float[] a = actual.pixels();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                fail(what + ": pixel (" + i % expected.width() + ", " + i / expected.width() + ") expected "
                        + e[i] + " but was " + a[i] + " (" + countDifferent(e, a) + " of " + e.length + " differ)");
            }
        }
    }

    static void assertSame(GrayImage expected, GrayImage actual, String what) {
        assertShape(expected.width(), expected.height(), actual.width(), actual.height(), what);
        assertArrayEquals(expected.pixels(), actual.pixels(), what);
    }

    static void assertSame(ShortImage expected, ShortImage actual, String what) {
        assertShape(expected.width(), expected.height(), actual.width(), actual.height(), what);
        assertArrayEquals(expected.pixels(), actual.pixels(), what);
    }

    /**
     * Every pixel within {@code tolerance}; logs how many are bit-identical and the largest difference,
     * and returns the number of bit-identical pixels.
     */
    static int assertWithin(FloatImage expected, FloatImage actual, double tolerance, String what) {
        assertShape(expected.width(), expected.height(), actual.width(), actual.height(), what);
        float[] e = expected.pixels();
        float[] a = actual.pixels();
        int same = 0;
        double worst = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs((double) e[i] - a[i]);
            if (!(d <= tolerance)) {
                fail(what + ": pixel (" + i % expected.width() + ", " + i / expected.width() + ") expected "
                        + e[i] + " but was " + a[i] + ", difference " + d + " > tolerance " + tolerance);
            }
            worst = Math.max(worst, d);
            if (Float.floatToRawIntBits(e[i]) == Float.floatToRawIntBits(a[i])) {
                same++;
            }
        }
        LOG.info("{}: {}/{} pixels bit-identical, largest difference {} (tolerance {})", what, same, e.length,
                worst, tolerance);
        return same;
    }

    private static int countDifferent(float[] e, float[] a) {
        int n = 0;
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToRawIntBits(e[i]) != Float.floatToRawIntBits(a[i])) {
                n++;
            }
        }
        return n;
    }

    private static void assertShape(int ew, int eh, int aw, int ah, String what) {
        assertEquals(ew + "x" + eh, aw + "x" + ah, what + ": image size");
    }
}
