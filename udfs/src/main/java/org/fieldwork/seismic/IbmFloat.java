package org.fieldwork.seismic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;

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
 * conversions copy a block of words in, convert them there eight at a time, and copy them out.
 */
public final class IbmFloat {
    /** Magnitudes below this become +0, as in segyio. */
    static final int SMALLEST = 0x21200000;
    /** Magnitudes above this become 0x7fffffff (with the sign), as in segyio. */
    static final int LARGEST = 0x611fffff;

    /** Words converted at once by the bulk conversions: 4 KB, which stays in the first-level cache. */
    static final int BLOCK = 1024;
    private static final ThreadLocal<int[]> WORDS = ThreadLocal.withInitial(() -> new int[BLOCK]);

    /** This thread's scratch block of {@link #BLOCK} words (also for the other float32 words' bulk paths). */
    static int[] scratchWords() {
        return WORDS.get();
    }

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
        // varies per value.
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
     * Converts IBM float bits whose bytes are in the other order to IEEE float32 bits in place, for
     * {@code words[0..n)}: the swap is written as shifts and masks, which C2 vectorises with the
     * conversion (Integer.reverseBytes is not vectorised in Java 17, and a swapping bulk copy
     * runs scalar).
     */
    static void toIeeeBitsOfSwapped(int[] words, int n) {
        for (int i = 0; i < n; i++) {
            words[i] = toIeeeBits(swapBytes(words[i]));
        }
    }

    /** Integer.reverseBytes, as shifts and masks that vectorise. */
    static int swapBytes(int x) {
        return (x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24);
    }

    /**
     * Converts {@code count} IBM floats starting at {@code src[srcOffset]} into {@code dst[dstOffset..]},
     * a block of words at a time through this thread's scratch array.
     */
    public static void convert(byte[] src, int srcOffset, boolean bigEndian, float[] dst, int dstOffset, int count) {
        IntBuffer words = ByteBuffer.wrap(src, srcOffset, 4 * count).slice().order(ByteOrder.nativeOrder()).asIntBuffer();
        boolean swap = bigEndian != (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
        int[] block = WORDS.get();
        for (int done = 0; done < count; done += BLOCK) {
            int n = Math.min(BLOCK, count - done);
            toIeeeBits(words, swap, done, block, n);
            for (int i = 0; i < n; i++) {
                dst[dstOffset + done + i] = Float.intBitsToFloat(block[i]);
            }
        }
    }

    /**
     * Converts the {@code count} IBM floats at {@code src[srcIndex..]} into IEEE float32 bits at
     * {@code dst[dstIndex..]}. {@code src} is in this machine's byte order and {@code swap} says
     * whether the file's is the other one; {@code dst} is in the output's order (Zarr's {@code <f4}
     * is little-endian). A block of words at a time is copied into this thread's scratch array,
     * converted there and copied out: the bytes are read where they lie (a file's view) and written
     * where they go (a chunk), by plain memory copies, with no loop over single bytes.
     */
    public static void convert(IntBuffer src, boolean swap, int srcIndex, IntBuffer dst, int dstIndex, int count) {
        int[] block = WORDS.get();
        for (int done = 0; done < count; done += BLOCK) {
            int n = Math.min(BLOCK, count - done);
            toIeeeBits(src, swap, srcIndex + done, block, n);
            dst.put(dstIndex + done, block, 0, n);
        }
    }

    private static void toIeeeBits(IntBuffer src, boolean swap, int srcIndex, int[] block, int n) {
        src.get(srcIndex, block, 0, n);
        if (swap) {
            toIeeeBitsOfSwapped(block, n);
        } else {
            toIeeeBits(block, 0, n);
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
