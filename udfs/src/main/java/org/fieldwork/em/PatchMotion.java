package org.fieldwork.em;

/**
 * Local motion: the globally aligned frames at alignment sampling are cut into a grid of patches,
 * each patch stack is aligned like the whole frames ({@link FrameAligner}), and a smooth
 * {@link MotionModel} is fitted to the per-patch residual shifts.
 *
 * <p>Patches tile the frame (side: the tile rounded up to a fast transform size, so neighbours
 * overlap by a few pixels). Each patch has its window-weighted mean removed and is tapered with a
 * raised cosine over an eighth of its side, so that its box edges, which do not move with the
 * content, add no correlation peak at zero shift.
 */
final class PatchMotion {
    /** Smallest patch side, in alignment pixels, worth aligning. */
    static final int MIN_PATCH = 32;

    private PatchMotion() {
    }

    /** Patch side along an axis of {@code n} alignment pixels cut into {@code m} tiles. */
    static int patchSide(int n, int m) {
        return Math.min(n - (n & 1), FftSizes.fastAtLeast((n + m - 1) / m));
    }

    /**
     * Measures local motion from the alignment spectra, which are aligned globally to frame 0 and
     * are released one by one ({@code spectra[i]} becomes null) as the patches are cut.
     * {@code gx, gy}: global shifts in full-resolution pixels. Returns null when patches would be
     * smaller than {@link #MIN_PATCH}.
     */
    static LocalMotion measure(float[][] spectra, AlignmentSampling sampling, MotionSettings s,
            double[] gx, double[] gy, int width, int height) {
        int aw = sampling.alignWidth();
        int ah = sampling.alignHeight();
        int m = s.patches();
        int pw = patchSide(aw, m);
        int ph = patchSide(ah, m);
        if (pw < MIN_PATCH || ph < MIN_PATCH) {
            return null;
        }
        int n = spectra.length;
        int patches = m * m;
        int[] x0 = starts(aw, m, pw);
        int[] y0 = starts(ah, m, ph);
        float[] wx = taper(pw);
        float[] wy = taper(ph);
        float[][][] patchSpectra = new float[patches][n][];
        Fft2 binned = Fft2.of(aw, ah);
        Fft2 patchFft = Fft2.of(pw, ph);
        float[] image = new float[2 * aw * ah];
        float[] zp = new float[2 * pw * ph];
        for (int i = 0; i < n; i += 2) {
            boolean pair = i + 1 < n;
            float[] a = spectra[i];
            float[] b = pair ? spectra[i + 1] : null;
            FrameAligner.combineHalves(a, b, aw, ah, image);
            spectra[i] = null;
            if (pair) {
                spectra[i + 1] = null;
            }
            binned.inverseInPlace(image);
            for (int part = 0; part < (pair ? 2 : 1); part++) {
                int frame = i + part;
                for (int p = 0; p < patches; p += 2) {
                    boolean twoPatches = p + 1 < patches;
                    cut(image, aw, part, x0[p % m], y0[p / m], pw, ph, wx, wy, zp, 0);
                    if (twoPatches) {
                        cut(image, aw, part, x0[(p + 1) % m], y0[(p + 1) / m], pw, ph, wx, wy, zp, 1);
                    } else {
                        for (int j = 1; j < zp.length; j += 2) {
                            zp[j] = 0;
                        }
                    }
                    patchFft.forwardInPlace(zp);
                    patchSpectra[p][frame] = new float[FrameAligner.spectrumLength(pw, ph)];
                    float[] second = twoPatches ? new float[FrameAligner.spectrumLength(pw, ph)] : null;
                    if (twoPatches) {
                        patchSpectra[p + 1][frame] = second;
                    }
                    FrameAligner.splitHalves(zp, pw, ph, patchSpectra[p][frame], second);
                }
            }
        }
        FrameAligner aligner = new FrameAligner(pw, ph, wx, wy);
        double maxShift = Math.max(1, Math.min(s.maxShiftPx(), Math.min(pw, ph) / 4.0));
        double[] cx = new double[patches];
        double[] cy = new double[patches];
        double[][] rx = new double[patches][];
        double[][] ry = new double[patches][];
        for (int p = 0; p < patches; p++) {
            FrameAligner.Alignment a = aligner.align(patchSpectra[p], maxShift, s.iterations(), s.tolerancePx());
            patchSpectra[p] = null;
            cx[p] = (x0[p % m] + (pw - 1) / 2.0) * sampling.binX();
            cy[p] = (y0[p / m] + (ph - 1) / 2.0) * sampling.binY();
            rx[p] = new double[n];
            ry[p] = new double[n];
            for (int t = 0; t < n; t++) {
                rx[p][t] = a.dx()[t] * sampling.binX();
                ry[p][t] = a.dy()[t] * sampling.binY();
            }
        }
        MotionModel model = MotionModel.fit(width, height, cx, cy, rx, ry, m);
        float[] centerX = new float[patches];
        float[] centerY = new float[patches];
        float[][] shiftX = new float[patches][n];
        float[][] shiftY = new float[patches][n];
        for (int p = 0; p < patches; p++) {
            centerX[p] = (float) cx[p];
            centerY[p] = (float) cy[p];
            double ox = model.rawX(cx[p], cy[p], 0);
            double oy = model.rawY(cx[p], cy[p], 0);
            for (int t = 0; t < n; t++) {
                shiftX[p][t] = (float) (gx[t] + rx[p][t] - ox);
                shiftY[p][t] = (float) (gy[t] + ry[p][t] - oy);
            }
        }
        return new LocalMotion(m, centerX, centerY, shiftX, shiftY, model);
    }

    /** Box starts of m patches of side size along n pixels, centred on the tiles, inside the frame. */
    private static int[] starts(int n, int m, int side) {
        int[] s = new int[m];
        for (int j = 0; j < m; j++) {
            int c = (int) Math.round((j + 0.5) * n / m - side / 2.0);
            s[j] = Math.max(0, Math.min(n - side, c));
        }
        return s;
    }

    /** Raised-cosine taper over an eighth of the side at each end, 1 inside. */
    private static float[] taper(int side) {
        float[] w = new float[side];
        int edge = Math.max(2, side / 8);
        for (int i = 0; i < side; i++) {
            int d = Math.min(i, side - 1 - i);
            w[i] = d >= edge ? 1f : (float) (0.5 - 0.5 * Math.cos(Math.PI * (d + 0.5) / edge));
        }
        return w;
    }

    /** Cuts a tapered, mean-removed patch from part {@code part} of a complex image into zp's part {@code to}. */
    private static void cut(float[] image, int aw, int part, int x0, int y0, int pw, int ph, float[] wx, float[] wy,
            float[] zp, int to) {
        double sw = 0;
        double swa = 0;
        for (int y = 0; y < ph; y++) {
            int o = 2 * ((y0 + y) * aw + x0) + part;
            for (int x = 0; x < pw; x++) {
                double w = wx[x] * wy[y];
                sw += w;
                swa += w * image[o + 2 * x];
            }
        }
        float mean = (float) (swa / sw);
        for (int y = 0; y < ph; y++) {
            int o = 2 * ((y0 + y) * aw + x0) + part;
            int q = 2 * y * pw + to;
            for (int x = 0; x < pw; x++) {
                zp[q + 2 * x] = (image[o + 2 * x] - mean) * wx[x] * wy[y];
            }
        }
    }

}
