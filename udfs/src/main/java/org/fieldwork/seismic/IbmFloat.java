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
 * <p>The conversion is branch-free bit manipulation: the fraction is normalised by at most three
 * bits (the shift counts how many of the thresholds 2^23, 2^22 and 2^21 it lies below), the exponent
 * is added onto the shifted fraction (whose leading bit lands on the exponent's low bit, standing in
 * for the implicit one), and the two clamps are masks built from sign bits. There is no leading-zero
 * count and no table, only adds, shifts, masks and one multiply, so C2 turns the bulk loop over an
 * {@code int[]} ({@link #toIeeeBits(int[], int, int)}) into vector instructions: the bulk
 * conversions load the words, convert them there eight at a time, and store the result.
 */
public final class IbmFloat {
    /** Magnitudes below this become +0, as in segyio. */
    static final int SMALLEST = 0x21200000;
    /** Magnitudes above this become 0x7fffffff (with the sign), as in segyio. */
    static final int LARGEST = 0x611fffff;

    /** Words converted at once by the bulk conversions: 4 KB, which stays in the first-level cache. */
    static final int BLOCK = 1024;
    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[BLOCK]);

    private IbmFloat() {
    }

    /** IEEE float32 bits for the IBM float bits {@code ibm}. */
    public static int toIeeeBits(int ibm) {
        int fraction = ibm & 0x00ffffff;
        // 1 for each threshold the fraction lies below: shift = min(leading zeros, 3), without a branch.
        int below23 = (fraction - 0x800000) >>> 31;
        int below22 = (fraction - 0x400000) >>> 31;
        int below21 = (fraction - 0x200000) >>> 31;
        int shift = below23 + below22 + below21;
        // 0.F * 16^(e-64) = (F << shift) * 2^(4e - 256 - 24 - shift); biased float exponent 4e - 130 - shift,
        // one less here because the fraction's own leading bit adds one when the two are summed.
        int exponent = ((ibm >>> 22) & 0x1fc) - 131 - shift;
        // fraction << shift, as a multiply by 2^shift: C2 vectorises that, not a shift by a count that
        // varies per value (the bulk loop ran 6x slower with the shift).
        int magnitude = fraction * (1 + below23 + 2 * below22 + 4 * below21) + (exponent << 23);
        int abs = ibm & 0x7fffffff;
        int huge = (LARGEST - abs) >> 31;                         // -1 above the largest
        int tiny = (abs - SMALLEST) >> 31;                        // -1 below the smallest
        int bits = (magnitude & ~huge) | (0x7fffffff & huge) | (ibm & 0x80000000);
        return bits & ~tiny;
    }

    /**
     * Converts IBM float bits to IEEE float32 bits in place: {@link #toIeeeBits(int)} on each of
     * {@code words[offset..offset + count)}, a loop C2 vectorises once the scalar method is inlined.
     */
    public static void toIeeeBits(int[] words, int offset, int count) {
        for (int i = offset; i < offset + count; i++) {
            words[i] = toIeeeBits(words[i]);
        }
    }

    public static float toFloat(int ibm) {
        return Float.intBitsToFloat(toIeeeBits(ibm));
    }

    /**
     * Converts {@code count} IBM floats starting at {@code src[srcOffset]} into {@code dst[dstOffset..]},
     * a block of words at a time through this thread's scratch array.
     */
    public static void convert(byte[] src, int srcOffset, boolean bigEndian, float[] dst, int dstOffset, int count) {
        for (int done = 0; done < count; done += BLOCK) {
            int n = Math.min(BLOCK, count - done);
            int[] words = convertBlock(src, srcOffset + 4 * done, bigEndian, n);
            for (int i = 0; i < n; i++) {
                dst[dstOffset + done + i] = Float.intBitsToFloat(words[i]);
            }
        }
    }

    /**
     * Converts {@code count} IBM floats at {@code src[srcOffset]} into little-endian float32 bytes at
     * {@code dst[dstOffset..]}: Zarr's {@code <f4} chunk layout, written without a float array between.
     */
    public static void convertToLittleEndian(byte[] src, int srcOffset, boolean bigEndian, byte[] dst, int dstOffset, int count) {
        for (int done = 0; done < count; done += BLOCK) {
            int n = Math.min(BLOCK, count - done);
            int[] words = convertBlock(src, srcOffset + 4 * done, bigEndian, n);
            int at = dstOffset + 4 * done;
            for (int i = 0; i < n; i++) {
                Bytes.I32_LE.set(dst, at + 4 * i, words[i]);
            }
        }
    }

    /** The IEEE bits of the {@code n} (at most {@link #BLOCK}) IBM floats at {@code src[offset]}, in this thread's scratch array. */
    private static int[] convertBlock(byte[] src, int offset, boolean bigEndian, int n) {
        int[] words = WORDS.get();
        load(src, offset, bigEndian, words, n);
        toIeeeBits(words, 0, n);
        return words;
    }

    /** The words of {@code n} 4-byte values at {@code src[offset]}: byte-swapping loads go no faster vectorised. */
    private static void load(byte[] src, int offset, boolean bigEndian, int[] words, int n) {
        if (bigEndian) {
            for (int i = 0; i < n; i++) {
                words[i] = (int) Bytes.I32_BE.get(src, offset + 4 * i);
            }
        } else {
            for (int i = 0; i < n; i++) {
                words[i] = (int) Bytes.I32_LE.get(src, offset + 4 * i);
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
