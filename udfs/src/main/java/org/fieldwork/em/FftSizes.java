package org.fieldwork.em;

/** Transform sizes JTransforms handles with its fast radix-2/3/4/5 code (others go through Bluestein). */
final class FftSizes {
    private FftSizes() {
    }

    /** The smallest even n >= min whose only prime factors are 2, 3 and 5. */
    static int fastAtLeast(int min) {
        for (int n = Math.max(2, min + (min & 1)); ; n += 2) {
            int m = n;
            for (int p : new int[] {2, 3, 5}) {
                while (m % p == 0) {
                    m /= p;
                }
            }
            if (m == 1) {
                return n;
            }
        }
    }
}
