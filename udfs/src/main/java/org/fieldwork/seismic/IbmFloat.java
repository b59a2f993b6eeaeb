package org.fieldwork.seismic;

/**
 * IBM System/360 single precision to IEEE 754 float32, bit-exact with segyio: exact for every value
 * in the normal float range (an IBM fraction has at most 24 significant bits), truncated toward zero
 * into the denormal range, flushed to a signed zero below it, and infinity above the float range. A
 * zero fraction gives a signed zero whatever the exponent.
 *
 * <p>Branch-free: the leading-zero count normalises the fraction and masks built from sign bits pick
 * the normal, denormal or overflow result, so random data costs no branch mispredictions.
 */
public final class IbmFloat {
    private IbmFloat() {
    }

    /** IEEE float32 bits for the IBM float bits {@code ibm}. */
    public static int toIeeeBits(int ibm) {
        int sign = ibm & 0x80000000;
        int fraction = ibm & 0x00ffffff;
        // 0.fraction * 16^(e-64) = 1.m * 2^(4e - 256 - 1 - shift); biased by 127.
        int shift = Integer.numberOfLeadingZeros(fraction) - 8; // 0..3 when normalised, 24 for zero
        int exponent = ((ibm >>> 22) & 0x1fc) - 130 - shift;    // 4e - 130 - shift
        int m = fraction << shift;                              // leading 1 at bit 23 (or 0)

        int zero = (fraction - 1) >> 31;                        // -1 when the fraction is 0
        int under = ((exponent - 1) >> 31) | zero;              // denormal, underflow or zero
        int over = ((254 - exponent) >> 31) & ~zero;            // beyond the float range

        int normal = ((exponent - 1) << 23) + m;                // adding the implicit bit bumps the exponent
        int s = 1 - exponent;
        s |= (31 - s) >> 31;                                    // shifts of 32 or more: 31 (m < 2^24, so 0)
        int denormal = m >>> s;                                 // truncating, as segyio does

        int magnitude = (normal & ~under) | (denormal & under);
        magnitude = (magnitude & ~over) | (0x7f800000 & over);
        return sign | magnitude;
    }

    public static float toFloat(int ibm) {
        return Float.intBitsToFloat(toIeeeBits(ibm));
    }

    /**
     * Converts {@code count} IBM floats starting at {@code src[srcOffset]} into {@code dst[dstOffset..]}.
     * No allocation: the tight loop of the reader.
     */
    public static void convert(byte[] src, int srcOffset, boolean bigEndian, float[] dst, int dstOffset, int count) {
        if (bigEndian) {
            for (int i = 0; i < count; i++) {
                dst[dstOffset + i] = Float.intBitsToFloat(toIeeeBits((int) Bytes.I32_BE.get(src, srcOffset + 4 * i)));
            }
        } else {
            for (int i = 0; i < count; i++) {
                dst[dstOffset + i] = Float.intBitsToFloat(toIeeeBits((int) Bytes.I32_LE.get(src, srcOffset + 4 * i)));
            }
        }
    }
}
