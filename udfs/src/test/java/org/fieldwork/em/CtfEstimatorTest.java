package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CtfEstimatorTest {

    /** 2048 x 2048 single frames at 1.35 Å/px with 40 e/px. */
    private static final SyntheticMovie.Spec MICROGRAPH = SyntheticMovie.Spec.small().withSize(2048, 2048, 1)
            .withDose(40).withParticles(20, 200);

    @ParameterizedTest
    @CsvSource({"10000, 9000, 30, 3", "25000, 23000, 120, 4", "18000, 18000, 0, 5"})
    void defocusAndAstigmatismOfSyntheticMicrographs(double u, double v, double angle, long seed) {
        SyntheticMovie m = new SyntheticMovie(MICROGRAPH.withDefocus(u, v, angle).withSeed(seed));
        CtfFit fit = CtfEstimator.estimate(m.frame(0), 2048, 2048, CtfSettings.defaults(1.35));
        checkAgainstTruth(fit, m.truth(), u != v);
        assertEquals(1.35, fit.spectrumPixelSizeA());
        assertEquals(512, fit.size());
        assertEquals(0, fit.phaseShiftPi());
        assertTrue(fit.fitResolutionA() >= 2.7 && fit.fitResolutionA() < 6, "fit resolution " + fit.fitResolutionA());
        assertTrue(fit.score() > 0.15, "score " + fit.score());
    }

    @Test
    void aSumOfFramesFitsLikeOneExposure() {
        SyntheticMovie m = new SyntheticMovie(MICROGRAPH.withSize(1536, 1536, 4).withDose(10).withDrift(0, 0, 0)
                .withDefocus(12000, 11000, 75));
        float[] sum = new float[1536 * 1536];
        for (int i = 0; i < m.frames(); i++) {
            float[] f = m.frame(i);
            for (int j = 0; j < sum.length; j++) {
                sum[j] += f[j];
            }
        }
        CtfFit fit = CtfEstimator.estimate(sum, 1536, 1536, CtfSettings.defaults(1.35));
        checkAgainstTruth(fit, m.truth(), true);
    }

    @Test
    void smallPixelsAreFourierBinnedAndStillFit() {
        // 10 e and twice the ice phase per quarter-size pixel: the usual micrograph once binned by 2
        SyntheticMovie m = new SyntheticMovie(MICROGRAPH.withPixelSize(0.675).withDose(10).withContrast(0.5, 0.1, 40)
                .withDefocus(15000, 13500, 50).withSeed(6));
        CtfSettings s = CtfSettings.defaults(0.675);
        assertEquals(2, CtfEstimator.binning(s, 2048, 2048));
        assertEquals(1, CtfEstimator.binning(s, 1000, 2048), "a 1024 px tile would not fit");
        CtfFit fit = CtfEstimator.estimate(m.frame(0), 2048, 2048, s);
        assertEquals(1.35, fit.spectrumPixelSizeA(), 1e-12);
        checkAgainstTruth(fit, m.truth(), true);
        assertTrue(fit.fitResolutionA() >= 2.7 && fit.fitResolutionA() < 8, "fit resolution " + fit.fitResolutionA());
    }

    @Test
    void phaseShiftIsFoundWhenAskedFor() {
        double shift = 0.4 * Math.PI;
        CtfModel truth = new CtfModel(300, 2.7, 0.07, 1.35, 9000, 8000, 140, shift);
        float[] img = weakPhaseMicrograph(truth, 2048, 40, 11);
        CtfFit fit = CtfEstimator.estimate(img, 2048, 2048, CtfSettings.defaults(1.35).withPhaseShift(true));
        assertEquals(0.4, fit.phaseShiftPi(), 0.05);
        assertEquals(0.9, fit.defocusUUm(), 0.009);
        assertEquals(0.8, fit.defocusVUm(), 0.008);
        assertTrue(angleBetween(140, fit.astigmatismAngleDeg()) < 5, "angle " + fit.astigmatismAngleDeg());
    }

    @Test
    void noiseAloneScoresLowAndHasNoFitResolution() {
        SyntheticMovie m = new SyntheticMovie(MICROGRAPH.withContrast(0, 0, 0).withParticles(0, 200));
        CtfFit fit = CtfEstimator.estimate(m.frame(0), 2048, 2048, CtfSettings.defaults(1.35));
        assertTrue(fit.score() < 0.05, "score " + fit.score());
        assertTrue(Double.isNaN(fit.fitResolutionA()), "fit resolution " + fit.fitResolutionA());
    }

    @Test
    void spectrumAndModelPictureShareTheGridAndTheRingsOfTheTruth() {
        SyntheticMovie m = new SyntheticMovie(MICROGRAPH.withDefocus(16000, 14000, 60).withSeed(8));
        CtfFit fit = CtfEstimator.estimate(m.frame(0), 2048, 2048, CtfSettings.defaults(1.35));
        int n = fit.size();
        assertEquals(n * n, fit.spectrum().length);
        assertEquals(n * n, fit.model().length);
        // the truth's CTF^2 on the grid, rendered independently of the fit
        float[] truth = m.spec().ctf().render(n, true);
        double rMin = n * 1.35 / 30, rMax = n * 1.35 / 4;
        double[] sums = new double[8];
        int count = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - n / 2, y - n / 2);
                int i = y * n + x;
                if (r < rMin - 1) {
                    assertEquals(0, fit.spectrum()[i]);
                }
                if (r < rMin || r > rMax) {
                    continue;
                }
                double sp = fit.spectrum()[i], mo = fit.model()[i], t = truth[i];
                sums[0] += sp;
                sums[1] += sp * sp;
                sums[2] += mo;
                sums[3] += mo * mo;
                sums[4] += t;
                sums[5] += t * t;
                sums[6] += sp * t;
                count++;
            }
        }
        double spMean = sums[0] / count, moMean = sums[2] / count, tMean = sums[4] / count;
        double spSd = Math.sqrt(sums[1] / count - spMean * spMean), moSd = Math.sqrt(sums[3] / count - moMean * moMean);
        assertEquals(spMean, moMean, 0.01 * spSd, "model scaled to the spectrum's mean");
        assertEquals(spSd, moSd, 0.01 * spSd, "and standard deviation");
        double tSd = Math.sqrt(sums[5] / count - tMean * tMean);
        double cc = (sums[6] / count - spMean * tMean) / (spSd * tSd);
        assertTrue(cc > 0.2, "spectrum correlates with the true CTF^2: " + cc);
    }

    private static void checkAgainstTruth(CtfFit fit, SyntheticMovie.Truth t, boolean astigmatic) {
        String found = fit.defocusUUm() + "/" + fit.defocusVUm() + " µm at " + fit.astigmatismAngleDeg() + "°";
        assertTrue(fit.defocusUUm() >= fit.defocusVUm());
        assertEquals(t.defocusUUm(), fit.defocusUUm(), 0.01 * t.defocusUUm(), "U: " + found);
        assertEquals(t.defocusVUm(), fit.defocusVUm(), 0.01 * t.defocusVUm(), "V: " + found);
        assertTrue(fit.astigmatismAngleDeg() >= 0 && fit.astigmatismAngleDeg() < 180);
        if (astigmatic) {
            assertTrue(angleBetween(t.astigmatismAngleDeg(), fit.astigmatismAngleDeg()) < 5, "angle: " + found);
        }
    }

    /** Difference of two axis directions in degrees, in [0, 90]. */
    private static double angleBetween(double a, double b) {
        double d = Math.abs(a - b) % 180;
        return Math.min(d, 180 - d);
    }

    /**
     * A micrograph made without {@link SyntheticMovie}: white phase noise imaged through {@code ctf}
     * ({@code 1 + 2 F^-1[CTF Phi]}), then Gaussian shot noise of variance equal to the mean count.
     */
    private static float[] weakPhaseMicrograph(CtfModel ctf, int n, double dose, long seed) {
        Random r = new Random(seed);
        float[] phase = new float[n * n];
        for (int i = 0; i < phase.length; i++) {
            phase[i] = (float) (0.05 * r.nextGaussian());
        }
        Fft2 fft = Fft2.of(n, n);
        float[] c = fft.forward(phase);
        ctf.applyTo(c, n, n, 40, 2);
        c[0] += (float) n * n;
        float[] img = fft.inverseReal(c);
        for (int i = 0; i < img.length; i++) {
            double mean = dose * Math.max(0, img[i]);
            img[i] = (float) (mean + Math.sqrt(mean) * r.nextGaussian());
        }
        return img;
    }
}
