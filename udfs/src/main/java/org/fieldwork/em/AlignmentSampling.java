package org.fieldwork.em;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * The coarser sampling frames are aligned at: their spectra cropped to the alignment band's upper
 * frequency (Fourier binning, {@code maxResolution / 2} Å per pixel, rounded up to a fast transform
 * size and never finer than the frames), with the band applied as a mask and the B-factor as the
 * amplitude factor exp(B k² / 8) on each spectrum, so that a cross-power spectrum carries
 * W(k) = exp(B k² / 4). The mean (k = 0) and the Nyquist row and column are zero.
 *
 * <p>Only the cropped part of each spectrum is computed: every row is transformed, then only the
 * columns of kept frequencies (under half of them at the defaults on a 4k frame), and of those only
 * the kept rows are stored. Alignment pixel i sits at full-resolution position i x {@link #binX()}
 * (the cropped transform keeps the field of view).
 */
final class AlignmentSampling {
    private final int width;
    private final int height;
    private final int alignWidth;
    private final int alignHeight;
    /** Per cropped frequency (row-major, alignWidth x alignHeight): band mask times exp(B k² / 8). */
    private final float[] filter;
    /** Full-size column and row of each cropped frequency. */
    private final int[] column;
    private final int[] row;
    /** Columns transformed together: their values in one row are adjacent in memory. */
    private static final int BLOCK = 16;
    private final FloatFFT_1D rowFft;
    private final FloatFFT_1D columnFft;
    private final float[] block;
    private final float[] cropped;

    AlignmentSampling(int width, int height, MotionSettings s) {
        this.width = width;
        this.height = height;
        double keep = 2 * s.pixelSizeA() / s.maxResolutionA();
        this.alignWidth = croppedSize(width, keep);
        this.alignHeight = croppedSize(height, keep);
        this.filter = new float[alignWidth * alignHeight];
        double kMin2 = 1 / (s.minResolutionA() * s.minResolutionA());
        double kMax2 = 1 / (s.maxResolutionA() * s.maxResolutionA());
        for (int cy = 0; cy < alignHeight; cy++) {
            int fy = Fft2.frequency(cy, alignHeight);
            double ky = fy / (height * s.pixelSizeA());
            boolean nyquistY = alignHeight % 2 == 0 && cy == alignHeight / 2;
            for (int cx = 0; cx < alignWidth; cx++) {
                int fx = Fft2.frequency(cx, alignWidth);
                double kx = fx / (width * s.pixelSizeA());
                double k2 = kx * kx + ky * ky;
                boolean nyquistX = alignWidth % 2 == 0 && cx == alignWidth / 2;
                boolean inBand = k2 >= kMin2 && k2 <= kMax2 && (fx != 0 || fy != 0);
                filter[cy * alignWidth + cx] = nyquistX || nyquistY || !inBand
                        ? 0f : (float) Math.exp(s.bFactorA2() * k2 / 8);
            }
        }
        column = new int[alignWidth];
        for (int cx = 0; cx < alignWidth; cx++) {
            column[cx] = Math.floorMod(Fft2.frequency(cx, alignWidth), width);
        }
        row = new int[alignHeight];
        for (int cy = 0; cy < alignHeight; cy++) {
            row[cy] = Math.floorMod(Fft2.frequency(cy, alignHeight), height);
        }
        rowFft = new FloatFFT_1D(width);
        columnFft = new FloatFFT_1D(height);
        block = new float[2 * BLOCK * height];
        cropped = new float[2 * alignWidth * alignHeight];
    }

    private static int croppedSize(int n, double keep) {
        int want = (int) Math.ceil(n * keep);
        return want >= n ? n : Math.min(n, FftSizes.fastAtLeast(want));
    }

    int alignWidth() {
        return alignWidth;
    }

    int alignHeight() {
        return alignHeight;
    }

    /** Full-resolution pixels per alignment pixel along x. */
    double binX() {
        return (double) width / alignWidth;
    }

    double binY() {
        return (double) height / alignHeight;
    }

    /**
     * The filtered, cropped spectra of two real frames a and b (b may be null) given as z = a + i b
     * (interleaved, full size; overwritten): with Z the transform of z,
     * A(k) = (Z(k) + conj Z(-k)) / 2 and B(k) = (Z(k) - conj Z(-k)) / 2i; a and b hold
     * {@link FrameAligner#spectrumLength} floats (the rows of non-negative frequency).
     */
    void transformPair(float[] z, float[] a, float[] b) {
        for (int y = 0; y < height; y++) {
            rowFft.complexForward(z, 2 * y * width);
        }
        for (int c0 = 0; c0 < alignWidth; c0 += BLOCK) {
            int n = Math.min(BLOCK, alignWidth - c0);
            // kept columns come in two contiguous runs (non-negative, then negative frequencies)
            for (int y = 0; y < height; y++) {
                int o = 2 * y * width;
                for (int j = 0; j < n; j++) {
                    int x = 2 * column[c0 + j];
                    block[2 * (j * height + y)] = z[o + x];
                    block[2 * (j * height + y) + 1] = z[o + x + 1];
                }
            }
            for (int j = 0; j < n; j++) {
                columnFft.complexForward(block, 2 * j * height);
            }
            for (int cy = 0; cy < alignHeight; cy++) {
                int y = row[cy];
                for (int j = 0; j < n; j++) {
                    int to = 2 * (cy * alignWidth + c0 + j);
                    cropped[to] = block[2 * (j * height + y)];
                    cropped[to + 1] = block[2 * (j * height + y) + 1];
                }
            }
        }
        splitCropped(a, b);
    }

    /** As {@link #transformPair}, from the full spectrum of a + i b (left as it is). */
    void cropPair(float[] spectrum, float[] a, float[] b) {
        for (int cy = 0; cy < alignHeight; cy++) {
            int o = row[cy] * width;
            for (int cx = 0; cx < alignWidth; cx++) {
                int from = 2 * (o + column[cx]);
                int to = 2 * (cy * alignWidth + cx);
                cropped[to] = spectrum[from];
                cropped[to + 1] = spectrum[from + 1];
            }
        }
        splitCropped(a, b);
    }

    /** The stored rows of A and B ({@link FrameAligner#halfRows}) from the cropped spectrum, filtered. */
    private void splitCropped(float[] a, float[] b) {
        FrameAligner.splitHalves(cropped, alignWidth, alignHeight, a, b);
        int n = FrameAligner.spectrumLength(alignWidth, alignHeight);
        for (int j = 0; j < n; j += 2) {
            float f = filter[j >> 1];
            a[j] *= f;
            a[j + 1] *= f;
            if (b != null) {
                b[j] *= f;
                b[j + 1] *= f;
            }
        }
    }
}
