package org.fieldwork.em;

import java.util.HashMap;
import java.util.Map;

import org.jtransforms.fft.FloatFFT_1D;
import org.jtransforms.fft.FloatFFT_2D;

/**
 * 2-D discrete Fourier transforms of one size through JTransforms. Spectra are full complex arrays,
 * row-major, interleaved (re, im): element (y, x) at {@code 2 * (y * width + x)}; frequency index
 * x above width / 2 stands for x - width. Instances are cached per thread and size: use one from
 * {@link #of} in the thread that got it.
 */
public final class Fft2 {
    private static final ThreadLocal<Map<Long, Fft2>> CACHE = ThreadLocal.withInitial(HashMap::new);

    private final int width;
    private final int height;
    private final FloatFFT_2D fft;
    /** For {@link #inverseNearOrigin}, made on first use. */
    private FloatFFT_1D rowFft;
    private FloatFFT_1D columnFft;
    private float[] column;

    private Fft2(int width, int height) {
        this.width = width;
        this.height = height;
        this.fft = new FloatFFT_2D(height, width);
    }

    /** The transform of images {@code width} x {@code height}, created once per thread. */
    public static Fft2 of(int width, int height) {
        if (width < 2 || height < 2) {
            throw new IllegalArgumentException("FFT size must be at least 2x2, got " + width + "x" + height);
        }
        return CACHE.get().computeIfAbsent(((long) height << 32) | width, k -> new Fft2(width, height));
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** The spectrum of a real image ({@code width * height} values, row-major), unscaled. */
    public float[] forward(float[] image) {
        if (image.length != width * height) {
            throw new IllegalArgumentException("image has " + image.length + " values, FFT size is " + width + "x" + height);
        }
        float[] c = new float[2 * width * height];
        for (int i = 0; i < image.length; i++) {
            c[2 * i] = image[i];
        }
        fft.complexForward(c);
        return c;
    }

    /** Forward transform of a complex array in place, unscaled. */
    public void forwardInPlace(float[] complex) {
        check(complex);
        fft.complexForward(complex);
    }

    /** Inverse transform in place, scaled by 1 / (width * height), so inverse(forward(x)) == x. */
    public void inverseInPlace(float[] complex) {
        check(complex);
        fft.complexInverse(complex, true);
    }

    /**
     * The scaled inverse transform, correct only at offsets up to {@code reach} from the origin along
     * both axes (x and y in -reach..reach, wrapped); the rest of {@code complex} is left partly
     * transformed. Every row is transformed along x, then only the 2 reach + 1 columns along y: about
     * half the work of {@link #inverseInPlace} when only a small window of the result is needed.
     */
    public void inverseNearOrigin(float[] complex, int reach) {
        check(complex);
        if (2 * reach + 1 > Math.min(width, height)) {
            throw new IllegalArgumentException("reach " + reach + " does not fit a " + width + "x" + height + " transform");
        }
        if (column == null) {
            rowFft = new FloatFFT_1D(width);
            columnFft = new FloatFFT_1D(height);
            column = new float[2 * height];
        }
        for (int y = 0; y < height; y++) {
            rowFft.complexInverse(complex, 2 * y * width, true);
        }
        for (int dx = -reach; dx <= reach; dx++) {
            int x = 2 * ((dx + width) % width);
            for (int y = 0; y < height; y++) {
                column[2 * y] = complex[2 * y * width + x];
                column[2 * y + 1] = complex[2 * y * width + x + 1];
            }
            columnFft.complexInverse(column, true);
            for (int dy = -reach; dy <= reach; dy++) {
                int y = (dy + height) % height;
                complex[2 * y * width + x] = column[2 * y];
                complex[2 * y * width + x + 1] = column[2 * y + 1];
            }
        }
    }

    /** The real part of the scaled inverse transform; {@code complex} is overwritten. */
    public float[] inverseReal(float[] complex) {
        inverseInPlace(complex);
        float[] out = new float[width * height];
        for (int i = 0; i < out.length; i++) {
            out[i] = complex[2 * i];
        }
        return out;
    }

    /** Signed frequency index of array index {@code i} along an axis of {@code n} samples. */
    public static int frequency(int i, int n) {
        return i <= n / 2 ? i : i - n;
    }

    private void check(float[] complex) {
        if (complex.length != 2 * width * height) {
            throw new IllegalArgumentException("spectrum has " + complex.length / 2 + " values, FFT size is "
                    + width + "x" + height);
        }
    }
}
