package org.fieldwork.seismic;

/**
 * IBM System/360 single precision to IEEE 754 float32, bit for bit as segyio converts it.
 *
 * <p>For a normalised IBM number (leading hex digit of the fraction not 0) whose value lies in the
 * normal float range the result is exact: the fraction has at most 24 significant bits. Outside that
 * segyio's arithmetic is kept, on purpose, so that imports equal what segyio users see:
 * <ul>
 *   <li>magnitudes below {@code 0x21200000} (about 2^-126), zero and -0 included, become +0;</li>
 *   <li>the fraction is normalised by at most three bits, so an unnormalised fraction (leading hex
 *       digit 0) is not brought to full precision and keeps a smaller, shifted mantissa;</li>
 *   <li>magnitudes above {@code 0x611fffff} become the NaN pattern {@code 0x7fffffff} with the sign
 *       kept; those just below it follow the arithmetic into infinity and NaN patterns.</li>
 * </ul>
 *
 * <p>{@link #toIeeeBits} is branch-free bit manipulation: the shift comes from the leading-zero count
 * clamped with arithmetic, the exponent is added onto the shifted fraction (whose leading bit lands on
 * the exponent's low bit, standing in for the implicit one), and the two clamps are masks built from
 * sign bits. The bulk {@link #convert} takes a shorter road for the values real traces hold,
 * normalised and well inside the float range: there the IBM value is the 24-bit fraction times a
 * power of two, which float arithmetic computes exactly (same bits, twice as fast); one branch,
 * taken the same way for nearly every sample, sends everything else to {@link #toIeeeBits}.
 */
public final class IbmFloat {
    /** Magnitudes below this become +0, as in segyio. */
    static final int SMALLEST = 0x21200000;
    /** Magnitudes above this become 0x7fffffff (with the sign), as in segyio. */
    static final int LARGEST = 0x611fffff;

    /** IBM exponent byte 34 and above: every normalised value is a normal float (byte 33 straddles 2^-126). */
    static final int FAST_LOW = 0x22000000;
    /** Below IBM exponent byte 97: no normalised value overflows a float. */
    static final int FAST_HIGH = 0x61000000;
    /** Sign and exponent byte -> 2^(4 * (e - 64) - 24), signed; only the entries the fast path uses are set. */
    private static final float[] SCALE = new float[256];

    static {
        for (int top = 0; top < 256; top++) {
            int e = top & 0x7f;
            if (e >= FAST_LOW >>> 24 && e < FAST_HIGH >>> 24) {
                float scale = Math.scalb(1.0f, 4 * (e - 64) - 24);
                SCALE[top] = (top & 0x80) != 0 ? -scale : scale;
            }
        }
    }

    private IbmFloat() {
    }

    /** The same float as {@code toFloat(ibm)}, by exact float arithmetic where it applies. */
    static float convertOne(int ibm) {
        int abs = ibm & 0x7fffffff;
        if ((ibm & 0x00f00000) != 0 && Integer.compareUnsigned(abs - FAST_LOW, FAST_HIGH - FAST_LOW) < 0) {
            return (ibm & 0x00ffffff) * SCALE[ibm >>> 24];
        }
        return Float.intBitsToFloat(toIeeeBits(ibm));
    }

    /** IEEE float32 bits for the IBM float bits {@code ibm}. */
    public static int toIeeeBits(int ibm) {
        int fraction = ibm & 0x00ffffff;
        int n = Integer.numberOfLeadingZeros(fraction) - 8;      // 0..23, 24 for a zero fraction
        int over = n - 3;
        int shift = n - (over & ~(over >> 31));                  // min(n, 3) without a branch
        // 0.F * 16^(e-64) = (F << shift) * 2^(4e - 256 - 24 - shift); biased float exponent 4e - 130 - shift,
        // one less here because the fraction's own leading bit adds one when the two are summed.
        int exponent = ((ibm >>> 22) & 0x1fc) - 131 - shift;
        int magnitude = (fraction << shift) + (exponent << 23);
        int abs = ibm & 0x7fffffff;
        int huge = (LARGEST - abs) >> 31;                         // -1 above the largest
        int tiny = (abs - SMALLEST) >> 31;                        // -1 below the smallest
        int bits = (magnitude & ~huge) | (0x7fffffff & huge) | (ibm & 0x80000000);
        return bits & ~tiny;
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
                dst[dstOffset + i] = convertOne((int) Bytes.I32_BE.get(src, srcOffset + 4 * i));
            }
        } else {
            for (int i = 0; i < count; i++) {
                dst[dstOffset + i] = convertOne((int) Bytes.I32_LE.get(src, srcOffset + 4 * i));
            }
        }
    }

    /**
     * Converts {@code count} IBM floats at {@code src[srcOffset]} into little-endian float32 bytes at
     * {@code dst[dstOffset..]}: Zarr's {@code <f4} chunk layout, written without a float array between.
     */
    public static void convertToLittleEndian(byte[] src, int srcOffset, boolean bigEndian, byte[] dst, int dstOffset, int count) {
        if (bigEndian) {
            for (int i = 0; i < count; i++) {
                Bytes.I32_LE.set(dst, dstOffset + 4 * i,
                        Float.floatToRawIntBits(convertOne((int) Bytes.I32_BE.get(src, srcOffset + 4 * i))));
            }
        } else {
            for (int i = 0; i < count; i++) {
                Bytes.I32_LE.set(dst, dstOffset + 4 * i,
                        Float.floatToRawIntBits(convertOne((int) Bytes.I32_LE.get(src, srcOffset + 4 * i))));
            }
        }
    }

    /**
     * IEEE float to IBM bits (for writing test and demo files): the fraction is rounded to 24 bits
     * after the base-16 alignment, so values with more than 21 significant bits may lose the last few.
     */
    public static int fromFloat(float value) {
        if (value == 0 || Float.isNaN(value)) {
            return 0;
        }
        int sign = value < 0 ? 0x80000000 : 0;
        double a = Math.abs((double) value);
        int e2 = Math.getExponent(a) + 1;            // a = m * 2^e2, m in [0.5, 1)
        int e16 = Math.floorDiv(e2 + 3, 4);          // a = f * 16^e16, f in [1/16, 1)
        long mant = Math.round(Math.scalb(a, 24 - 4 * e16));
        if (mant >= 1L << 24) {
            mant >>= 4;
            e16++;
        }
        int exp = e16 + 64;
        if (exp > 127) {
            return sign | 0x7fffffff;
        }
        if (exp < 0) {
            return 0;
        }
        return sign | exp << 24 | (int) mant;
    }
}
