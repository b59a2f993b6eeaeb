package org.fieldwork.io.mrc;

/**
 * IEEE 754 binary16 ("half") conversions, which Java 17 lacks: decoding through a table of all
 * 65,536 values, encoding with round-to-nearest-even, overflow to infinity and subnormals kept.
 */
final class HalfFloat {
    private static final float[] VALUES = table();

    private HalfFloat() {
    }

    /** The float value of half-precision bits (the low 16 bits of {@code bits}). */
    static float toFloat(int bits) {
        return VALUES[bits & 0xffff];
    }

    /** The half-precision bits nearest to {@code f} (ties to even). */
    static short fromFloat(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int abs = bits & 0x7fffffff;
        if (abs >= 0x7f800000) {
            // infinity stays infinite; NaN stays NaN (quiet, keeping the top payload bits)
            return (short) (sign | 0x7c00 | (abs > 0x7f800000 ? 0x200 | ((abs >>> 13) & 0x3ff) : 0));
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00);              // 65520 and above round to infinity
        }
        if (abs >= 0x38800000) {
            // normal: rebias the exponent (127 -> 15) and round the 13 dropped mantissa bits
            int rounded = abs + 0xfff + ((abs >>> 13) & 1);
            return (short) (sign | ((rounded - 0x38000000) >>> 13));
        }
        if (abs < 0x33000000) {
            return (short) sign;                         // below half the smallest subnormal (2^-25)
        }
        // subnormal half: the value in units of 2^-24, rounded to nearest even
        int exponent = abs >>> 23;
        int mantissa = (abs & 0x7fffff) | 0x800000;
        int shift = 126 - exponent;                      // 14..24
        int units = mantissa >>> shift;
        int rest = mantissa & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || rest == half && (units & 1) == 1) {
            units++;
        }
        return (short) (sign | units);
    }

    private static float[] table() {
        float[] t = new float[1 << 16];
        for (int h = 0; h < t.length; h++) {
            int sign = (h & 0x8000) << 16;
            int exponent = (h >>> 10) & 0x1f;
            int mantissa = h & 0x3ff;
            float v;
            if (exponent == 0x1f) {
                v = Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
            } else if (exponent == 0) {
                v = mantissa * 0x1p-24f;
                v = sign != 0 ? -v : v;
            } else {
                v = Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
            }
            t[h] = v;
        }
        return t;
    }
}
