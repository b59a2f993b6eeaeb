package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The picker against synthetic micrographs with known particle centres (see {@link SyntheticMicrograph}):
 * a pick is right when it lies within 0.3 diameters of a particle not yet matched.
 */
class LogPickerTest {
    private static final double PIXEL_A = 1.35;
    private static final double DIAMETER_A = 200;
    private static final double MATCH_PX = 0.3 * DIAMETER_A / PIXEL_A;

    private static SyntheticMicrograph.Builder micrograph(int count, double noise, long seed) {
        SyntheticMicrograph.Builder b = new SyntheticMicrograph.Builder();
        b.pixelSizeA = PIXEL_A;
        b.diameterA = DIAMETER_A;
        b.count = count;
        b.noiseStd = noise;
        b.seed = seed;
        return b;
    }

    private static double[] score(SyntheticMicrograph m, List<Pick> picks, String what) {
        double[] rp = m.recallPrecision(picks, MATCH_PX);
        double rms = m.rmsError(picks, MATCH_PX);
        System.out.printf("%s: %d particles, %d picks, recall %.3f, precision %.3f, rms error %.1f px%n", what,
                m.centres.size(), picks.size(), rp[0], rp[1], rms);
        return new double[] {rp[0], rp[1], rms};
    }

    @Test
    void darkSpheresOnANoisyGradientAreFoundAtPixelSnrOneSixth() {
        SyntheticMicrograph m = micrograph(60, 6, 1).build();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
        double[] r = score(m, picks, "spheres, noise 6x contrast");
        assertTrue(r[0] >= 0.9, "recall " + r[0]);
        assertTrue(r[1] >= 0.9, "precision " + r[1]);
        assertTrue(r[2] < 0.05 * DIAMETER_A / PIXEL_A, "rms error " + r[2] + " px");
    }

    @Test
    void gaussianBlobsAtNoiseEqualToTheirContrast() {
        SyntheticMicrograph.Builder b = micrograph(45, 1, 2);
        b.shape = SyntheticMicrograph.Shape.GAUSSIAN;
        b.gradient = 5;
        SyntheticMicrograph m = b.build();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
        double[] r = score(m, picks, "gaussian blobs, noise 1x contrast");
        assertTrue(r[0] >= 0.9 && r[1] >= 0.9, "recall " + r[0] + " precision " + r[1]);
    }

    @Test
    void particlesSeenThroughAnUnderfocusCtfAreFound() {
        SyntheticMicrograph.Builder b = micrograph(50, 6, 3);
        b.defocusA = 20000;
        SyntheticMicrograph m = b.build();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
        double[] r = score(m, picks, "spheres through a 2 um underfocus CTF, noise 6x");
        assertTrue(r[0] >= 0.9 && r[1] >= 0.9, "recall " + r[0] + " precision " + r[1]);
    }

    @Test
    void thePolaritySettingDecidesWhichBlobsArePicked() {
        SyntheticMicrograph.Builder b = micrograph(50, 4, 4);
        b.dark = false;
        SyntheticMicrograph m = b.build();
        PickSettings bright = PickSettings.defaults(PIXEL_A).withDarkParticles(false);
        double[] r = score(m, LogPicker.pick(m.pixels, m.width, m.height, bright), "bright spheres, bright setting");
        assertTrue(r[0] >= 0.9 && r[1] >= 0.9, "recall " + r[0] + " precision " + r[1]);
        double[] wrong = score(m, LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A)),
                "bright spheres, dark setting");
        assertTrue(wrong[0] < 0.2, "the dark setting found " + wrong[0] + " of the bright particles");
    }

    @Test
    void pureNoiseGivesFewPicksAndTheThresholdControlsHowMany() {
        int total = 0;
        int lowered = 0;
        for (long seed = 10; seed < 13; seed++) {
            SyntheticMicrograph m = micrograph(0, 3, seed).build();
            List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
            for (Pick p : picks) {
                assertTrue(p.score() > PickSettings.DEFAULT_THRESHOLD_SIGMA, "score " + p.score());
            }
            total += picks.size();
            lowered += LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A).withThresholdSigma(2.5)).size();
        }
        System.out.printf("pure noise, three 2048^2 micrographs: %d picks at k = 4, %d at k = 2.5%n", total, lowered);
        // A 2048^2 micrograph at this density holds 60 particles; noise alone must stay near zero.
        assertTrue(total <= 9, total + " picks on pure noise");
        assertTrue(lowered > 3 * Math.max(total, 1), "k = 2.5 gave " + lowered + " picks");
    }

    @Test
    void crowdedMicrographsKeepTheirParticlesAtTheSameThreshold() {
        SyntheticMicrograph.Builder b = micrograph(300, 6, 5).size(4096, 4096);
        SyntheticMicrograph m = b.build();
        PickSettings s = PickSettings.defaults(PIXEL_A);
        LogPicker.pick(m.pixels, m.width, m.height, s);
        long t = System.nanoTime();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, s);
        double ms = (System.nanoTime() - t) / 1e6;
        double[] r = score(m, picks, String.format("4096^2, 300 particles (31%% of the area), %.0f ms", ms));
        assertTrue(r[0] >= 0.9 && r[1] >= 0.9, "recall " + r[0] + " precision " + r[1]);
        assertTrue(ms < 2000, "picking a 4096^2 micrograph took " + ms + " ms");
    }

    @Test
    void nonSquareMicrographsKeepXAndYApart() {
        SyntheticMicrograph m = micrograph(25, 4, 6).size(2400, 1300).build();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
        double[] r = score(m, picks, "2400x1300");
        assertTrue(r[0] >= 0.9 && r[1] >= 0.9, "recall " + r[0] + " precision " + r[1]);
    }

    @Test
    void picksAreSortedInsideTheMarginAndCappedByMaxPicks() {
        SyntheticMicrograph.Builder b = micrograph(60, 3, 7);
        b.edgeA = 0;
        SyntheticMicrograph m = b.build();
        PickSettings s = PickSettings.defaults(PIXEL_A);
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, s);
        double margin = s.edgeMarginA() / PIXEL_A;
        for (int i = 0; i < picks.size(); i++) {
            Pick p = picks.get(i);
            assertTrue(p.xPx() >= margin && p.xPx() <= m.width - 1 - margin, "x " + p.xPx());
            assertTrue(p.yPx() >= margin && p.yPx() <= m.height - 1 - margin, "y " + p.yPx());
            if (i > 0) {
                assertTrue(picks.get(i - 1).score() >= p.score(), "scores not sorted at " + i);
            }
        }
        long inside = m.centres.stream().filter(c -> c[0] >= margin && c[0] <= m.width - 1 - margin
                && c[1] >= margin && c[1] <= m.height - 1 - margin).count();
        assertTrue(picks.size() >= 0.9 * inside && picks.size() <= inside + 3,
                picks.size() + " picks for " + inside + " particles inside the margin");
        List<Pick> top = LogPicker.pick(m.pixels, m.width, m.height, s.withMaxPicks(10));
        assertEquals(picks.subList(0, 10), top);
    }

    @Test
    void aSingleParticleIsLocatedToAPixel() {
        SyntheticMicrograph.Builder b = micrograph(1, 0.5, 8).size(1024, 1024);
        SyntheticMicrograph m = b.build();
        List<Pick> picks = LogPicker.pick(m.pixels, m.width, m.height, PickSettings.defaults(PIXEL_A));
        assertEquals(1, picks.size(), "picks " + picks);
        double[] c = m.centres.get(0);
        assertEquals(c[0], picks.get(0).xPx(), 1.0, "x");
        assertEquals(c[1], picks.get(0).yPx(), 1.0, "y");
    }
}
