package org.fieldwork.kernels;

import java.util.Arrays;

/**
 * One axis of a separable filter: odd-length taps centred on the middle one, plus the evaluation
 * order used for them.
 *
 * <p>Float sums depend on the order of operations, so the order is part of the definition. It is
 * the order of OpenCV 4.x's vectorised (FMA) row and column filters, which makes our results equal
 * OpenCV's bit for bit on the pixels OpenCV computes with SIMD (all pixels of images whose width is a
 * multiple of 8 on an AVX2 machine) and within a couple of ulps elsewhere. The kernel's one body
 * runs on OpenCL and in Java with {@code fma} fused on both (OpenCL {@code fma}, Java
 * {@code Math.fma}, both correctly rounded), so the two agree bit for bit on every pixel.
 *
 * <p>Row pass, {@code x[i]} = pixel at offset i from the centre, {@code k[i]} = tap at offset i:
 * <ul>
 *   <li>symmetric, 3 taps: {@code fma(x[0], k[0], (x[-1] + x[1]) * k[1])}</li>
 *   <li>symmetric, 5 taps: {@code fma(x[-2] + x[2], k[2], <3-tap value>)}</li>
 *   <li>antisymmetric, 3 taps: {@code (x[1] - x[-1]) * k[1]}</li>
 *   <li>otherwise: {@code s = k[-a] * x[-a]; s = fma(x[i], k[i], s)} for i = -a+1 .. a</li>
 * </ul>
 * Column pass (on the row results):
 * <ul>
 *   <li>symmetric: {@code s = fma(x[0], k[0], 0); s = fma(x[i] + x[-i], k[i], s)} for i = 1 .. a</li>
 *   <li>antisymmetric: {@code s = 0; s = fma(x[i] - x[-i], k[i], s)} for i = 1 .. a</li>
 *   <li>otherwise: {@code s = fma(x[-a], k[-a], 0); s = fma(x[i], k[i], s)} for i = -a+1 .. a</li>
 * </ul>
 */
public final class FilterTaps {
    static final int ROW_SEQUENTIAL = 0;
    static final int ROW_SYMMETRIC_3 = 1;
    static final int ROW_SYMMETRIC_5 = 2;
    static final int ROW_ANTISYMMETRIC_3 = 3;

    static final int COLUMN_SEQUENTIAL = 0;
    static final int COLUMN_SYMMETRIC = 1;
    static final int COLUMN_ANTISYMMETRIC = 2;

    private final float[] taps;
    final int rowMode;
    final int columnMode;

    private FilterTaps(float[] taps) {
        if (taps.length % 2 != 1) {
            throw new IllegalArgumentException("filter taps must have odd length, got " + taps.length);
        }
        this.taps = taps.clone();
        boolean symmetric = true;
        boolean antisymmetric = true;
        int n = taps.length;
        for (int i = 0; i < n; i++) {
            symmetric &= taps[i] == taps[n - 1 - i];
            antisymmetric &= taps[i] == -taps[n - 1 - i];
        }
        if (symmetric && n == 3) {
            rowMode = ROW_SYMMETRIC_3;
        } else if (symmetric && n == 5) {
            rowMode = ROW_SYMMETRIC_5;
        } else if (antisymmetric && n == 3) {
            rowMode = ROW_ANTISYMMETRIC_3;
        } else {
            rowMode = ROW_SEQUENTIAL;
        }
        columnMode = symmetric ? COLUMN_SYMMETRIC : antisymmetric ? COLUMN_ANTISYMMETRIC : COLUMN_SEQUENTIAL;
    }

    /** Taps in order from offset -a to +a. */
    public static FilterTaps of(float... taps) {
        return new FilterTaps(taps);
    }

    public int size() {
        return taps.length;
    }

    /** A copy of the taps. */
    public float[] taps() {
        return taps.clone();
    }

    float[] tapsView() {
        return taps;
    }

    /** Sum of |tap|, used to bound how far two evaluation orders can drift apart. */
    public double absSum() {
        double s = 0;
        for (float t : taps) {
            s += Math.abs(t);
        }
        return s;
    }

    @Override
    public String toString() {
        return "FilterTaps" + Arrays.toString(taps);
    }
}
