package org.fieldwork.em;

import java.io.IOException;

/**
 * Motion correction of a movie (MotionCor2 / RELION style) in three passes, reading each frame in
 * the first and the last, so that a 4k x 4k x 40 movie needs well under 2 GB:
 * <ol>
 * <li>every frame's spectrum, cropped to the alignment band ({@link AlignmentSampling}); two real
 * frames share one complex transform. Without patches, the full spectra of the first pairs are
 * kept for the sum as long as they fit in an eighth of the heap (all of a 1k x 1k x 20 movie in a
 * 1 GB heap, one pair of a 4k one in 2 GB);</li>
 * <li>global alignment of the cropped spectra ({@link FrameAligner}), the trajectory smoothed in
 * time ({@link TrajectoryFit}), then with patches > 0 local
 * alignment on a grid of patches and a smooth model ({@link PatchMotion}, {@link MotionModel});</li>
 * <li>the full-size aligned sum, frame by frame: the local part of the motion applied by cubic
 * interpolation ({@link FrameWarp}), the global shift by a phase ramp, the dose weights in Fourier
 * space ({@link AlignedSum}).</li>
 * </ol>
 * Single-threaded apart from what JTransforms is allowed (the caller sets its thread count).
 */
public final class MotionCorrection {
    private MotionCorrection() {
    }

    public static MotionResult correct(MovieFrames movie, MotionSettings s) throws IOException {
        int w = movie.width();
        int h = movie.height();
        int n = movie.frames();
        if (n < 1) {
            throw new IllegalArgumentException(movie.location() + " has no frames");
        }
        AlignmentSampling sampling = new AlignmentSampling(w, h, s);
        int aw = sampling.alignWidth();
        int ah = sampling.alignHeight();
        Fft2 full = Fft2.of(w, h);
        float[] z = new float[2 * w * h];

        // Without local motion the sum needs the frames' full spectra again: keep those of the first
        // pairs while they fit in an eighth of the heap, transform the others again later.
        int pairs = (n + 1) / 2;
        long pairBytes = 8L * w * h;
        int kept = s.patches() > 0 ? 0 : (int) Math.min(pairs, Runtime.getRuntime().maxMemory() / 8 / pairBytes);
        float[][] pairSpectra = new float[kept][];
        float[][] spectra = new float[n][];
        for (int i = 0; i < n; i += 2) {
            boolean pair = i + 1 < n;
            float[] za = i / 2 < kept ? new float[2 * w * h] : z;
            interleave(frame(movie, i), pair ? frame(movie, i + 1) : null, za);
            spectra[i] = new float[FrameAligner.spectrumLength(aw, ah)];
            if (pair) {
                spectra[i + 1] = new float[FrameAligner.spectrumLength(aw, ah)];
            }
            if (za != z) {
                full.forwardInPlace(za);
                sampling.cropPair(za, spectra[i], pair ? spectra[i + 1] : null);
                pairSpectra[i / 2] = za;
            } else {
                sampling.transformPair(z, spectra[i], pair ? spectra[i + 1] : null);
            }
        }

        FrameAligner aligner = new FrameAligner(aw, ah);
        FrameAligner.Alignment global = aligner.align(spectra, s.maxShiftPx(), s.iterations(), s.tolerancePx());
        double[] dx = TrajectoryFit.smooth(global.dx());
        double[] dy = TrajectoryFit.smooth(global.dy());
        double[] gx = new double[n];
        double[] gy = new double[n];
        float[] shiftX = new float[n];
        float[] shiftY = new float[n];
        for (int i = 0; i < n; i++) {
            gx[i] = (dx[i] - dx[0]) * sampling.binX();
            gy[i] = (dy[i] - dy[0]) * sampling.binY();
            shiftX[i] = (float) gx[i];
            shiftY[i] = (float) gy[i];
        }

        LocalMotion local = null;
        if (s.patches() > 0 && n > 1) {
            for (float[] spectrum : spectra) {
                aligner.shift(spectrum, -dx[0], -dy[0]);
            }
            local = PatchMotion.measure(spectra, sampling, s, gx, gy, w, h);
        }
        spectra = null;

        AlignedSum sum = new AlignedSum(w, h, s.pixelSizeA(), s.dosePerFrame(), s.voltageKv());
        FrameWarp warp = local == null ? null : new FrameWarp(w, h);
        for (int i = 0; i < n; i += 2) {
            boolean pair = i + 1 < n;
            if (warp == null && i / 2 < kept) {
                sum.addPair(pairSpectra[i / 2], gx[i], gy[i], pair, pair ? gx[i + 1] : 0, pair ? gy[i + 1] : 0);
                pairSpectra[i / 2] = null;
                continue;
            }
            if (warp == null) {
                interleave(frame(movie, i), pair ? frame(movie, i + 1) : null, z);
            } else {
                warp.warp(frame(movie, i), local.model(), i, gx[i], gy[i], z, 0);
                if (pair) {
                    warp.warp(frame(movie, i + 1), local.model(), i + 1, gx[i + 1], gy[i + 1], z, 1);
                } else {
                    for (int j = 1; j < z.length; j += 2) {
                        z[j] = 0;
                    }
                }
            }
            full.forwardInPlace(z);
            sum.addPair(z, gx[i], gy[i], pair, pair ? gx[i + 1] : 0, pair ? gy[i + 1] : 0);
        }
        float[] average = sum.result(z);
        return new MotionResult(w, h, shiftX, shiftY, local, average, global.iterations());
    }

    private static float[] frame(MovieFrames movie, int i) throws IOException {
        float[] f = movie.frame(i);
        if (f.length != movie.width() * movie.height()) {
            throw new IOException(movie.location() + ": frame " + i + " has " + f.length + " values, expected "
                    + movie.width() + "x" + movie.height());
        }
        return f;
    }

    /** z = a + i b (b null: 0). */
    private static void interleave(float[] a, float[] b, float[] z) {
        if (b == null) {
            for (int i = 0; i < a.length; i++) {
                z[2 * i] = a[i];
                z[2 * i + 1] = 0;
            }
            return;
        }
        for (int i = 0; i < a.length; i++) {
            z[2 * i] = a[i];
            z[2 * i + 1] = b[i];
        }
    }
}
