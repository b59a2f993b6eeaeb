package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Motion correction of synthetic movies with known drift, Poisson noise at 1 e/px/frame. */
class MotionCorrectionTest {
    private static final double CONTRAST = 0.3;

    /** Smooth global drift, pixels: frame t shows the specimen moved by (dx(t), dy(t)). */
    private static final BlobMovie.Motion DRIFT = new BlobMovie.Motion() {
        @Override
        public double dx(double x, double y, int t) {
            return 0.8 * t + 2 * Math.sin(0.35 * t);
        }

        @Override
        public double dy(double x, double y, int t) {
            return -0.5 * t + 3 * (1 - Math.cos(0.25 * t));
        }
    };

    @Test
    void globalDriftIsRecoveredToATenthOfAPixelAndSharpensTheSum() throws IOException {
        int size = 512;
        int frames = 20;
        BlobMovie movie = BlobMovie.render(size, size, frames, 1.0, CONTRAST, DRIFT, 30, 42);
        MotionResult r = MotionCorrection.correct(movie, MotionSettings.defaults(1.35).withPatches(0));

        assertNull(r.local());
        assertEquals(0, r.shiftX()[0]);
        double truthMotion = 0;
        for (int t = 1; t < frames; t++) {
            truthMotion += Math.hypot(DRIFT.dx(0, 0, t) - DRIFT.dx(0, 0, t - 1), DRIFT.dy(0, 0, t) - DRIFT.dy(0, 0, t - 1));
        }
        double rms = rmsError(r, DRIFT);
        System.out.printf("global drift: RMS error %.3f px, mean motion %.3f px (truth %.3f)%n", rms, r.meanMotionPx(),
                truthMotion / (frames - 1));
        assertTrue(rms < 0.1, "drift RMS error " + rms + " px");
        assertEquals(truthMotion / (frames - 1), r.meanMotionPx(), 0.05);

        double aligned = BlobMovie.correlation(r.average(), movie.clean(0), size, size, 40);
        double unaligned = BlobMovie.correlation(movie.unalignedSum(), movie.clean(0), size, size, 40);
        System.out.printf("global drift: correlation with the clean frame 0 %.3f aligned, %.3f unaligned%n", aligned,
                unaligned);
        assertTrue(aligned > 0.75 && aligned > 2 * unaligned,
                "correlation with the clean frame 0: aligned " + aligned + ", unaligned " + unaligned);
        double total = 0;
        for (float v : r.average()) {
            total += v;
        }
        double counts = 0;
        for (int t = 0; t < frames; t++) {
            for (float v : movie.frame(t)) {
                counts += v;
            }
        }
        assertEquals(counts, total, 1e-4 * counts, "the average is the sum of the frames");
    }

    /**
     * With almost no noise what is left is the estimator's own bias: alignment samples are 2 to 3
     * frame pixels apart at the usual bands, and a parabola through three samples of the peak
     * misses sub-pixel shifts by up to a tenth of a pixel; the exact peak does not.
     */
    @Test
    void subPixelShiftsAreUnbiasedOnANearlyNoiseFreeMovie() throws IOException {
        SyntheticMovie movie = new SyntheticMovie(SyntheticMovie.Spec.small().withSize(768, 768, 12).withDose(1000)
                .withParticles(6, 200).withDrift(6, 35, 60).withSeed(7));
        MotionResult r = MotionCorrection.correct(movie, MotionSettings.defaults(movie.pixelSizeA()).withPatches(0));
        double rms = TruthScore.driftRmsPx(movie.truth(), asList(r.shiftX()), asList(r.shiftY()));
        System.out.printf("nearly noise-free drift: RMS error %.4f px%n", rms);
        assertTrue(rms < 0.08, "drift RMS error " + rms + " px");
    }

    @Test
    void frequenciesWithoutSignalAreWeightedOutOfTheCorrelation() throws IOException {
        // blobs have their signal at low frequencies; up to Nyquist with no B-factor, most of the band is noise
        int size = 512;
        int frames = 20;
        BlobMovie movie = BlobMovie.render(size, size, frames, 1.0, CONTRAST, DRIFT, 30, 42);
        MotionSettings wide = new MotionSettings(1.35, 500, 2 * 1.35, 0, 40, 5, 0.5, 0, 0, 300);
        MotionResult r = MotionCorrection.correct(movie, wide);
        double rms = rmsError(r, DRIFT);
        System.out.printf("whole band, no B-factor: RMS error %.3f px%n", rms);
        assertTrue(rms < 0.1, "drift RMS error " + rms + " px");
    }

    /** Drift of the odd-sized movies: a line and a parabola, up to about 10 px. */
    private static final BlobMovie.Motion STEPS = new BlobMovie.Motion() {
        @Override
        public double dx(double x, double y, int t) {
            return -1.7 * t;
        }

        @Override
        public double dy(double x, double y, int t) {
            return 2.3 * t - 0.1 * t * t;
        }
    };

    @Test
    void oddFrameCountsAndNonSquareFramesAlign() throws IOException {
        assertStepsFound(384, 256, MotionSettings.defaults(2.0).withPatches(0));
    }

    @Test
    void oddFrameSizesAlignOverTheWholeBand() throws IOException {
        // up to Nyquist the alignment sampling is the frame itself: odd sides, whose spectra have no Nyquist row
        assertStepsFound(255, 171, MotionSettings.defaults(2.0).withPatches(0).withBand(500, 4.0));
    }

    private static void assertStepsFound(int w, int h, MotionSettings settings) throws IOException {
        int frames = 7;
        BlobMovie movie = BlobMovie.render(w, h, frames, 4.0, CONTRAST, STEPS, 20, 3);
        MotionResult r = MotionCorrection.correct(movie, settings);
        for (int t = 0; t < frames; t++) {
            double ex = r.shiftX()[t] - STEPS.dx(0, 0, t);
            double ey = r.shiftY()[t] - STEPS.dy(0, 0, t);
            assertTrue(Math.abs(ex) < 0.2 && Math.abs(ey) < 0.2, "frame " + t + " off by " + ex + ", " + ey);
        }
        double rms = rmsError(r, STEPS);
        System.out.printf("%d frames of %d x %d: RMS error %.3f px%n", frames, w, h, rms);
        assertTrue(rms < 0.1, "drift RMS error " + rms + " px");
    }

    /** RMS over frames of the error of the found shifts against a blob movie's motion relative to frame 0. */
    private static double rmsError(MotionResult r, BlobMovie.Motion motion) {
        int frames = r.shiftX().length;
        double sq = 0;
        for (int t = 0; t < frames; t++) {
            double ex = r.shiftX()[t] - (motion.dx(0, 0, t) - motion.dx(0, 0, 0));
            double ey = r.shiftY()[t] - (motion.dy(0, 0, t) - motion.dy(0, 0, 0));
            sq += ex * ex + ey * ey;
        }
        return Math.sqrt(sq / frames);
    }

    @Test
    void localMotionFollowsARotatingField() throws IOException {
        int size = 768;
        int frames = 20;
        double c = size / 2.0;
        double theta = 3 / (size * 0.707); // corners move 3 px by the last frame
        BlobMovie.Motion rotation = new BlobMovie.Motion() {
            @Override
            public double dx(double x, double y, int t) {
                double a = theta * t / (frames - 1);
                return DRIFT.dx(x, y, t) + (Math.cos(a) - 1) * (x - c) - Math.sin(a) * (y - c);
            }

            @Override
            public double dy(double x, double y, int t) {
                double a = theta * t / (frames - 1);
                return DRIFT.dy(x, y, t) + Math.sin(a) * (x - c) + (Math.cos(a) - 1) * (y - c);
            }
        };
        BlobMovie movie = BlobMovie.render(size, size, frames, 1.0, CONTRAST, rotation, 40, 11);
        MotionSettings settings = MotionSettings.defaults(1.35);
        MotionResult local = MotionCorrection.correct(movie, settings);
        MotionResult global = MotionCorrection.correct(movie, settings.withPatches(0));

        LocalMotion lm = local.local();
        assertNotNull(lm);
        assertEquals(25, lm.centerX().length);
        double sqMeasured = 0;
        double sqModel = 0;
        double sqGlobal = 0;
        for (int p = 0; p < 25; p++) {
            double x0 = lm.centerX()[p];
            double y0 = lm.centerY()[p];
            double sqPatch = 0;
            for (int t = 0; t < frames; t++) {
                double[] truth = displacement(rotation, x0, y0, t);
                double ex = lm.shiftX()[p][t] - truth[0];
                double ey = lm.shiftY()[p][t] - truth[1];
                double mx = local.shiftXAt(x0, y0, t) - truth[0];
                double my = local.shiftYAt(x0, y0, t) - truth[1];
                double gx = global.shiftX()[t] - truth[0];
                double gy = global.shiftY()[t] - truth[1];
                sqMeasured += ex * ex + ey * ey;
                sqPatch += mx * mx + my * my;
                sqGlobal += gx * gx + gy * gy;
            }
            sqModel += sqPatch;
            double patchRms = Math.sqrt(sqPatch / frames);
            assertTrue(patchRms < 0.3, "model RMS error " + patchRms + " px at patch " + p);
        }
        int n = 25 * frames;
        double measured = Math.sqrt(sqMeasured / n);
        double model = Math.sqrt(sqModel / n);
        double globalOnly = Math.sqrt(sqGlobal / n);
        double withLocal = BlobMovie.correlation(local.average(), movie.clean(0), size, size, 40);
        double withGlobal = BlobMovie.correlation(global.average(), movie.clean(0), size, size, 40);
        System.out.printf("local motion: RMS error per patch %.3f px, model %.3f px, global only %.3f px;"
                + " correlation with the clean frame 0 %.3f local, %.3f global only%n", measured, model, globalOnly,
                withLocal, withGlobal);
        assertTrue(measured < 0.3, "per-patch shifts RMS error " + measured + " px");
        assertTrue(model < 0.15, "model RMS error " + model + " px");
        assertTrue(globalOnly > 0.7, "global shifts alone miss the rotation: " + globalOnly + " px");
        assertTrue(withLocal > withGlobal + 0.03,
                "correlation with the clean frame 0: local " + withLocal + ", global only " + withGlobal);
    }

    @Test
    void doseWeightingKeepsTheLowFrequenciesOfThePlainSum() throws IOException {
        int size = 256;
        int frames = 12;
        BlobMovie movie = BlobMovie.render(size, size, frames, 2.0, CONTRAST, DRIFT, 30, 5);
        MotionSettings plain = MotionSettings.defaults(1.35).withPatches(0);
        MotionResult sum = MotionCorrection.correct(movie, plain);
        MotionResult weighted = MotionCorrection.correct(movie, plain.withDose(3.0, 300));
        float[] a = Fft2.of(size, size).forward(sum.average());
        float[] b = Fft2.of(size, size).forward(weighted.average());
        assertEquals(a[0], b[0], 1e-4 * Math.abs(a[0]), "mean");
        for (int[] f : new int[][] {{1, 0}, {0, 1}, {1, 1}, {2, -1}, {-1, 2}}) {
            int i = 2 * (Math.floorMod(f[1], size) * size + Math.floorMod(f[0], size));
            double ra = Math.hypot(a[i], a[i + 1]);
            assertEquals(a[i], b[i], 0.01 * ra, "re at " + f[0] + "," + f[1]);
            assertEquals(a[i + 1], b[i + 1], 0.01 * ra, "im at " + f[0] + "," + f[1]);
        }
        // near Nyquist the late frames count for little: the weighted sum differs from the plain one
        double differ = 0;
        double power = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double k = Math.hypot(Fft2.frequency(x, size), Fft2.frequency(y, size)) / size;
                if (k > 0.4) {
                    int i = 2 * (y * size + x);
                    differ += Math.pow(a[i] - b[i], 2) + Math.pow(a[i + 1] - b[i + 1], 2);
                    power += a[i] * a[i] + a[i + 1] * a[i + 1];
                }
            }
        }
        System.out.printf("dose weighting: high-frequency difference from the plain sum %.2f of its power%n",
                differ / power);
        assertTrue(differ > 0.3 * power, "high frequencies are reweighted: " + differ / power);
    }

    /**
     * Where the content at (x0, y0) of frame 0 is in frame t, relative to (x0, y0): it is the
     * specimen point s = p0 - D(p0, 0), which frame t shows at the p with p - D(p, t) = s.
     */
    private static List<Double> asList(float[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (float v : values) {
            out.add((double) v);
        }
        return out;
    }

    private static double[] displacement(BlobMovie.Motion m, double x0, double y0, int t) {
        double sx = x0 - m.dx(x0, y0, 0);
        double sy = y0 - m.dy(x0, y0, 0);
        double px = x0;
        double py = y0;
        for (int k = 0; k < 50; k++) {
            double nx = sx + m.dx(px, py, t);
            double ny = sy + m.dy(px, py, t);
            px = nx;
            py = ny;
        }
        return new double[] {px - x0, py - y0};
    }
}
