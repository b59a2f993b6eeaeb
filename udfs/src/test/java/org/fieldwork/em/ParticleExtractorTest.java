package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParticleExtractorTest {
    private static final int W = 640;
    private static final int H = 480;

    /** Noise (std 1) on a ramp, with dark Gaussian blobs (depth 6, sigma 5 px) at the given centres. */
    private static float[] micrograph(double[][] blobs, long seed) {
        Random rnd = new Random(seed);
        float[] m = new float[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                double v = 10 + 0.02 * x - 0.03 * y + rnd.nextGaussian();
                for (double[] b : blobs) {
                    v -= 6 * Math.exp(-((x - b[0]) * (x - b[0]) + (y - b[1]) * (y - b[1])) / 50.0);
                }
                m[y * W + x] = (float) v;
            }
        }
        return m;
    }

    private static int argExtreme(float[] b, boolean max) {
        int best = 0;
        for (int i = 1; i < b.length; i++) {
            if (max ? b[i] > b[best] : b[i] < b[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Smooths a box with a 5x5 mean, so that the extreme is the blob's and not a noise pixel's. */
    private static float[] smooth(float[] b, int box) {
        float[] out = new float[b.length];
        for (int i = 2; i < box - 2; i++) {
            for (int j = 2; j < box - 2; j++) {
                float s = 0;
                for (int di = -2; di <= 2; di++) {
                    for (int dj = -2; dj <= 2; dj++) {
                        s += b[(i + di) * box + j + dj];
                    }
                }
                out[i * box + j] = s / 25;
            }
        }
        return out;
    }

    @Test
    void aBoxOnABlobHasItsMinimumAtTheCentreAndInvertedItsMaximum() {
        double[][] blobs = {{200, 150}, {400.7, 300.2}};
        float[] m = micrograph(blobs, 1);
        List<Pick> picks = List.of(new Pick(200, 150, 1), new Pick(400.7, 300.2, 1));
        int box = 64;
        List<float[]> raw = ParticleExtractor.extract(m, W, H, picks, box, false);
        assertEquals(2, raw.size());
        for (float[] b : raw) {
            float[] s = smooth(b, box);
            for (int i = 0; i < s.length; i++) {
                if (s[i] == 0) {
                    s[i] = Float.MAX_VALUE;
                }
            }
            int min = argExtreme(s, false);
            assertEquals(box / 2, min % box, 1, "x of the minimum");
            assertEquals(box / 2, min / box, 1, "y of the minimum");
        }
        // The raw box is the micrograph's pixels: (box/2, box/2) is pixel (400, 300) of the second pick.
        assertEquals(m[300 * W + 400], raw.get(1)[box / 2 * box + box / 2]);
        assertEquals(m[(300 - box / 2) * W + 400 - box / 2], raw.get(1)[0]);

        ParticleExtractor.Settings s = new ParticleExtractor.Settings(box, true, 24, true, true,
                ParticleExtractor.Edge.REPLICATE);
        for (float[] b : ParticleExtractor.extract(m, W, H, picks, s)) {
            float[] sm = smooth(b, box);
            int max = argExtreme(sm, true);
            assertEquals(box / 2, max % box, 1, "x of the maximum");
            assertEquals(box / 2, max / box, 1, "y of the maximum");
        }
    }

    @Test
    void normalisedBackgroundHasMeanZeroStdOneAndNoRamp() {
        float[] m = micrograph(new double[][] {{320, 240}}, 2);
        int box = 96;
        int radius = ParticleExtractor.defaultBackgroundRadius(box);
        assertEquals(36, radius);
        float[] b = ParticleExtractor.extract(m, W, H, List.of(new Pick(320, 240, 1)), box, true).get(0);
        double sum = 0, sum2 = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxz = 0, syz = 0;
        int n = 0;
        for (int i = 0; i < box; i++) {
            for (int j = 0; j < box; j++) {
                int x = j - box / 2, y = i - box / 2;
                if (x * x + y * y > radius * radius) {
                    double v = b[i * box + j];
                    sum += v;
                    sum2 += v * v;
                    sx += x;
                    sy += y;
                    sxx += x * x;
                    syy += y * y;
                    sxz += x * v;
                    syz += y * v;
                    n++;
                }
            }
        }
        double mean = sum / n;
        double std = Math.sqrt(sum2 / n - mean * mean);
        assertEquals(0, mean, 1e-5);
        assertEquals(1, std, 1e-5);
        // The micrograph's ramp (0.02 and -0.03 per px against noise 1) is gone: no slope left in x or y.
        double slopeX = (sxz / n - sx / n * mean) / (sxx / n - sx / n * sx / n);
        double slopeY = (syz / n - sy / n * mean) / (syy / n - sy / n * sy / n);
        assertEquals(0, slopeX, 1e-5);
        assertEquals(0, slopeY, 1e-5);
        // Without ramp subtraction the slope stays (0.02 / std of the background).
        float[] flat = ParticleExtractor.extract(m, W, H, List.of(new Pick(320, 240, 1)),
                new ParticleExtractor.Settings(box, true, radius, false, false, ParticleExtractor.Edge.REPLICATE)).get(0);
        double fx = 0;
        for (int i = 0; i < box; i++) {
            fx += flat[i * box + box - 1] - flat[i * box];
        }
        assertTrue(fx / box > 0.5, "ramp kept without subtraction: " + fx / box);
    }

    @Test
    void boxesOverTheBorderAreReplicatedOrSkipped() {
        float[] m = micrograph(new double[0][], 3);
        int box = 64;
        List<Pick> picks = List.of(new Pick(10, 240, 1), new Pick(320, 240, 1), new Pick(630, 470, 1));
        List<float[]> replicated = ParticleExtractor.extract(m, W, H, picks, box, false);
        assertEquals(3, replicated.size());
        float[] left = replicated.get(0);
        // Pick x = 10: box columns 0..21 lie left of the micrograph and repeat its column 0.
        for (int i = 0; i < box; i++) {
            for (int j = 0; j < 22; j++) {
                assertEquals(m[(240 - 32 + i) * W], left[i * box + j]);
            }
            assertEquals(m[(240 - 32 + i) * W + 1], left[i * box + 23]);
        }
        float[] corner = replicated.get(2);
        assertEquals(m[H * W - 1], corner[box * box - 1]);
        assertTrue(ParticleExtractor.fits(picks.get(1), W, H, box));
        assertFalse(ParticleExtractor.fits(picks.get(0), W, H, box));
        List<float[]> skipped = ParticleExtractor.extract(m, W, H, picks,
                new ParticleExtractor.Settings(box, false, 1, false, false, ParticleExtractor.Edge.SKIP));
        assertEquals(1, skipped.size());
        assertEquals(replicated.get(1)[100], skipped.get(0)[100]);
        assertThrows(IllegalArgumentException.class,
                () -> ParticleExtractor.extract(m, W, H, List.of(new Pick(-100, 10, 1)), box, false));
    }

    /**
     * RELION extracts the same boxes from the same coordinates: relion_preprocess --extract --norm
     * --invert_contrast on our MRC micrograph and our coordinate STAR file, against
     * {@link ParticleExtractor.Settings#relion}, boxes inside and over the border, fractional coordinates.
     */
    @Test
    void relionExtractsTheSameBoxes(@TempDir Path dir) throws Exception {
        Relion.require("relion_preprocess");
        double[][] blobs = {{200, 150}, {400.7, 300.2}, {20.4, 460.9}, {630, 5}};
        float[] m = micrograph(blobs, 4);
        List<Pick> picks = List.of(new Pick(200, 150, 5), new Pick(400.7, 300.2, 4), new Pick(20.4, 460.9, 3),
                new Pick(630, 5, 2), new Pick(333.99, 77.01, 1));
        int box = 64;
        Relion.writeMrc(dir.resolve("mic1.mrc"), m, W, H, 1.35);
        Files.writeString(dir.resolve("mic1_pick.star"), StarFile.coordinates(picks));
        Files.writeString(dir.resolve("mics.star"), "\ndata_optics\n\nloop_\n_rlnOpticsGroupName #1\n_rlnOpticsGroup #2\n"
                + "_rlnMicrographOriginalPixelSize #3\n_rlnVoltage #4\n_rlnSphericalAberration #5\n"
                + "_rlnAmplitudeContrast #6\n_rlnMicrographPixelSize #7\nopticsGroup1 1 1.35 300 2.7 0.07 1.35\n\n"
                + "data_micrographs\n\nloop_\n_rlnMicrographName #1\n_rlnOpticsGroup #2\nmic1.mrc 1\n");
        int radius = ParticleExtractor.defaultBackgroundRadius(box);
        Relion.run(dir, "relion_preprocess", "--i", "mics.star", "--coord_dir", "./", "--coord_suffix", "_pick.star",
                "--part_star", "particles.star", "--part_dir", "Out/", "--extract", "--extract_size",
                String.valueOf(box), "--norm", "--bg_radius", String.valueOf(radius), "--invert_contrast");
        List<float[]> theirs = Relion.readStack(dir.resolve("Out/mic1.mrcs"));
        List<float[]> ours = ParticleExtractor.extract(m, W, H, picks, ParticleExtractor.Settings.relion(box));
        assertEquals(picks.size(), theirs.size());
        double worst = 0;
        for (int k = 0; k < picks.size(); k++) {
            for (int i = 0; i < box * box; i++) {
                worst = Math.max(worst, Math.abs(theirs.get(k)[i] - ours.get(k)[i]));
            }
        }
        System.out.printf("RELION extraction vs ours: %d boxes of %d px, largest difference %.2e%n", picks.size(), box, worst);
        assertTrue(worst < 1e-4, "largest difference " + worst);
        List<StarFile.Block> star = StarFile.parse(Files.readString(dir.resolve("particles.star")));
        StarFile.Block parts = StarFile.block(star, "particles");
        assertEquals(StarFile.imageName(2, "Out/mic1.mrcs"), parts.value(1, "rlnImageName"));
    }
}
