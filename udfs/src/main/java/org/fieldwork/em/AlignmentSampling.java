package org.fieldwork.em;

/**
 * The coarser sampling frames are aligned at: their spectra cropped to the alignment band's upper
 * frequency (Fourier binning, {@code maxResolution / 2} Å per pixel, rounded up to a fast transform
 * size and never finer than the frames), with the band applied as a mask and the B-factor as the
 * amplitude factor exp(B k² / 8) on each spectrum, so that a cross-power spectrum carries
 * W(k) = exp(B k² / 4). The mean (k = 0) and the Nyquist row and column are zero.
 *
 * <p>Alignment pixel i sits at full-resolution position i x {@link #binX()} (the cropped transform
 * keeps the field of view).
 */
final class AlignmentSampling {
    private final int width;
    private final int height;
    private final int alignWidth;
    private final int alignHeight;
    /** Per cropped frequency (row-major, alignWidth x alignHeight): band mask times exp(B k² / 8). */
    private final float[] filter;
    /** Full-size array offset of each cropped column and of its negative frequency. */
    private final int[] column;
    private final int[] mirrorColumn;
    private final int[] row;
    private final int[] mirrorRow;

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
        mirrorColumn = new int[alignWidth];
        for (int cx = 0; cx < alignWidth; cx++) {
            int fx = Fft2.frequency(cx, alignWidth);
            column[cx] = Math.floorMod(fx, width);
            mirrorColumn[cx] = Math.floorMod(-fx, width);
        }
        row = new int[alignHeight];
        mirrorRow = new int[alignHeight];
        for (int cy = 0; cy < alignHeight; cy++) {
            int fy = Fft2.frequency(cy, alignHeight);
            row[cy] = Math.floorMod(fy, height) * width;
            mirrorRow[cy] = Math.floorMod(-fy, height) * width;
        }
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
     * The filtered, cropped spectra of two real frames a and b from the full-size spectrum z of
     * a + i b: A(k) = (Z(k) + conj Z(-k)) / 2 and B(k) = (Z(k) - conj Z(-k)) / 2i. {@code b} may be
     * null when z held one frame.
     */
    void cropPair(float[] z, float[] a, float[] b) {
        for (int cy = 0; cy < alignHeight; cy++) {
            int r = row[cy];
            int mr = mirrorRow[cy];
            int o = cy * alignWidth;
            for (int cx = 0; cx < alignWidth; cx++) {
                float f = filter[o + cx];
                int j = 2 * (o + cx);
                if (f == 0f) {
                    a[j] = 0;
                    a[j + 1] = 0;
                    if (b != null) {
                        b[j] = 0;
                        b[j + 1] = 0;
                    }
                    continue;
                }
                int k = 2 * (r + column[cx]);
                int m = 2 * (mr + mirrorColumn[cx]);
                float zr = z[k];
                float zi = z[k + 1];
                float mzr = z[m];
                float mzi = z[m + 1];
                float h = 0.5f * f;
                a[j] = h * (zr + mzr);
                a[j + 1] = h * (zi - mzi);
                if (b != null) {
                    b[j] = h * (zi + mzi);
                    b[j + 1] = h * (mzr - zr);
                }
            }
        }
    }
}
