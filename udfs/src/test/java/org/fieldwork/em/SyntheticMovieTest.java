package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SyntheticMovieTest {

    private static final SyntheticMovie.Spec SPEC = SyntheticMovie.Spec.small().withSize(1024, 1024, 7);

    @Test
    void noiselessFramesAreShiftedByTheTruthShifts() {
        SyntheticMovie m = new SyntheticMovie(SPEC.withDrift(11.3, 35, 80));
        SyntheticMovie.Truth t = m.truth();
        int last = SPEC.frames() - 1;
        assertEquals(0, t.shiftX()[0]);
        assertEquals(0, t.shiftY()[0]);
        assertTrue(Math.hypot(t.shiftX()[last], t.shiftY()[last]) > 8, "the drift is large enough to see");
        float[] first = m.cleanFrame(0);
        for (int i : new int[] {1, last}) {
            double[] found = shiftBetween(first, m.cleanFrame(i), 1024, 1024, 256);
            assertEquals(t.shiftX()[i], found[0], 0.05, "x shift of frame " + i);
            assertEquals(t.shiftY()[i], found[1], 0.05, "y shift of frame " + i);
        }
    }

    @Test
    void driftIsASmoothPathOfTheAskedLengthThatSlowsDown() {
        SyntheticMovie.Spec spec = SPEC.withSize(256, 256, 30).withDrift(20, 0, 0);
        double[][] s = SyntheticMovie.drift(spec);
        assertEquals(20, s[0][29], 1e-9);
        double previousStep = Double.MAX_VALUE;
        for (int i = 1; i < 30; i++) {
            assertEquals(0, s[1][i], 1e-12);
            double step = s[0][i] - s[0][i - 1];
            assertTrue(step > 0 && step < previousStep, "monotonic, slowing step " + i);
            previousStep = step;
        }
        // a quarter turn: the path is an arc, its ends a chord of length * sin(turn/2) / (turn/2) apart
        double[][] turned = SyntheticMovie.drift(spec.withDrift(20, 0, 90));
        double chord = 20 * Math.sin(Math.PI / 4) / (Math.PI / 4);
        assertEquals(chord, Math.hypot(turned[0][29], turned[1][29]), 1e-9);
    }

    @Test
    void particlesAreWhereTheCleanImageIsDarkAndApartFromEachOther() {
        SyntheticMovie m = new SyntheticMovie(SPEC);
        List<SyntheticMovie.Particle> ps = m.truth().particles();
        assertEquals(SPEC.particleCount(), ps.size());
        double diameter = SPEC.particleDiameterA() / SPEC.pixelSizeA(), radius = diameter / 2;
        for (int i = 0; i < ps.size(); i++) {
            SyntheticMovie.Particle p = ps.get(i);
            assertTrue(p.x() >= radius && p.y() >= radius && p.x() <= 1024 - radius && p.y() <= 1024 - radius);
            for (int j = 0; j < i; j++) {
                assertTrue(Math.hypot(p.x() - ps.get(j).x(), p.y() - ps.get(j).y()) >= diameter);
            }
        }
        float[] clean = m.cleanFrame(0);
        // mean intensity in a disc of half the particle radius: at every particle below every background place
        double darkestBackground = Double.MAX_VALUE;
        Random r = new Random(5);
        int found = 0;
        while (found < 200) {
            double x = radius + r.nextDouble() * (1024 - diameter), y = radius + r.nextDouble() * (1024 - diameter);
            if (ps.stream().anyMatch(p -> Math.hypot(p.x() - x, p.y() - y) < diameter)) {
                continue;
            }
            darkestBackground = Math.min(darkestBackground, discMean(clean, 1024, x, y, radius / 2));
            found++;
        }
        for (SyntheticMovie.Particle p : ps) {
            double v = discMean(clean, 1024, p.x(), p.y(), radius / 2);
            assertTrue(v < darkestBackground - 0.05, "particle at " + p + ": " + v + " vs background " + darkestBackground);
        }
    }

    @Test
    void countsArePoissonWithTheDoseAsMean() {
        SyntheticMovie m = new SyntheticMovie(SPEC.withDose(1.5));
        float[] clean = m.cleanFrame(2);
        float[] counts = m.frame(2);
        double meanClean = 0, mean = 0, sq = 0;
        for (int i = 0; i < counts.length; i++) {
            assertEquals(Math.rint(counts[i]), counts[i]);
            meanClean += clean[i];
            mean += counts[i];
        }
        meanClean /= counts.length;
        mean /= counts.length;
        double excess = 0;
        for (int i = 0; i < counts.length; i++) {
            double expected = 1.5 * clean[i];
            excess += (counts[i] - expected) * (counts[i] - expected) / expected;
            sq += (counts[i] - mean) * (counts[i] - mean);
        }
        assertEquals(1.5, mean, 0.03, "mean counts per pixel ~ dose");
        assertEquals(1.5 * meanClean, mean, 0.005, "mean counts = dose x mean intensity");
        // Poisson: the variance around the expected value equals the expected value
        assertEquals(1, excess / counts.length, 0.01);
        assertTrue(sq / counts.length > mean * 0.99);
    }

    @Test
    void framesDependOnlyOnTheSeedAndIndex() {
        SyntheticMovie.Spec spec = SPEC.withSize(256, 256, 5).withParticles(2, 150);
        SyntheticMovie a = new SyntheticMovie(spec), b = new SyntheticMovie(spec);
        float[] a3 = a.frame(3);
        float[] a2 = a.frame(2);
        for (int i = 0; i < 5; i++) {
            float[] bi = b.frame(i);
            if (i == 2) {
                assertArrayEquals(a2, bi);
            }
            if (i == 3) {
                assertArrayEquals(a3, bi);
            }
        }
        assertArrayEquals(a.frame(4), b.frame(4));
        assertEquals(a.truth().particles(), b.truth().particles());
        SyntheticMovie c = new SyntheticMovie(spec.withSeed(2));
        assertFalse(Arrays.equals(a3, c.frame(3)));
        assertFalse(a.truth().particles().equals(c.truth().particles()));
    }

    @Test
    void truthIsPlainJson() throws Exception {
        SyntheticMovie m = new SyntheticMovie(SPEC.withDefocus(14000, 16000, 10));
        JsonNode j = new ObjectMapper().readTree(m.truthJson());
        assertEquals(7, j.get("shiftX").size());
        assertEquals(m.truth().shiftY()[6], j.get("shiftY").get(6).asDouble());
        // U is the larger defocus; the angle turns with it
        assertEquals(1.6, j.get("defocusUUm").asDouble(), 1e-12);
        assertEquals(1.4, j.get("defocusVUm").asDouble(), 1e-12);
        assertEquals(100, j.get("astigmatismAngleDeg").asDouble(), 1e-9);
        assertEquals(SPEC.particleCount(), j.get("particles").size());
        assertEquals(m.truth().particles().get(0).x(), j.get("particles").get(0).get("x").asDouble());
        assertEquals(1.35, j.get("pixelSizeA").asDouble());
        assertEquals(1.0, j.get("dose").asDouble());
        assertEquals(1024, m.width());
        assertEquals(7, m.frames());
        assertEquals(1.35, m.pixelSizeA());
    }

    @Test
    void theSpectrumOfTheCleanImageIsTheCtf() {
        // the zeros of the spec's CTF are minima of the clean image's power: the generator applies the CtfModel
        SyntheticMovie.Spec spec = SPEC.withSize(512, 512, 1).withParticles(0, 200).withDefocus(13000, 11000, 70);
        SyntheticMovie m = new SyntheticMovie(spec);
        int n = 512;
        float[] f = Fft2.of(n, n).forward(window(m.cleanFrame(0), n, 0, 0, n));
        CtfModel ctf = spec.ctf();
        double onZeros = 0, onPeaks = 0;
        int zeros = 0, peaks = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double kx = Fft2.frequency(x, n) / (n * 1.35), ky = Fft2.frequency(y, n) / (n * 1.35);
                double k = Math.hypot(kx, ky);
                if (k < 0.05 || k > 0.2) {
                    continue;
                }
                double c = ctf.value(kx, ky);
                int i = 2 * (y * n + x);
                double p = (f[i] * f[i] + f[i + 1] * f[i + 1]) / Math.exp(-spec.bFactorA2() * k * k / 2);
                if (c * c < 0.02) {
                    onZeros += p;
                    zeros++;
                } else if (c * c > 0.98) {
                    onPeaks += p;
                    peaks++;
                }
            }
        }
        assertTrue(onZeros / zeros < 0.1 * onPeaks / peaks, "power at CTF zeros " + onZeros / zeros + " vs peaks "
                + onPeaks / peaks);
    }

    /** Sub-pixel shift of {@code b} relative to {@code a}: the peak of their cross-correlation, refined by DFT. */
    static double[] shiftBetween(float[] a, float[] b, int width, int height, int n) {
        int x0 = (width - n) / 2, y0 = (height - n) / 2;
        float[] fa = Fft2.of(n, n).forward(window(a, width, x0, y0, n));
        float[] fb = Fft2.of(n, n).forward(window(b, width, x0, y0, n));
        // X = conj(A) B: its inverse peaks at the displacement of b's content
        float[] x = new float[fa.length];
        for (int i = 0; i < fa.length; i += 2) {
            x[i] = fa[i] * fb[i] + fa[i + 1] * fb[i + 1];
            x[i + 1] = fa[i] * fb[i + 1] - fa[i + 1] * fb[i];
        }
        float[] cc = Fft2.of(n, n).inverseReal(x.clone());
        int best = 0;
        for (int i = 1; i < cc.length; i++) {
            if (cc[i] > cc[best]) {
                best = i;
            }
        }
        double sx = Fft2.frequency(best % n, n), sy = Fft2.frequency(best / n, n);
        for (double step : new double[] {0.1, 0.01, 0.002}) {
            double bestValue = Double.NEGATIVE_INFINITY, bx = sx, by = sy;
            for (int j = -10; j <= 10; j++) {
                for (int i = -10; i <= 10; i++) {
                    double v = correlationAt(x, n, sx + i * step, sy + j * step);
                    if (v > bestValue) {
                        bestValue = v;
                        bx = sx + i * step;
                        by = sy + j * step;
                    }
                }
            }
            sx = bx;
            sy = by;
        }
        return new double[] {sx, sy};
    }

    /** Re sum_k X(k) exp(2 pi i k.t / n): the cross-correlation at a sub-pixel displacement. */
    private static double correlationAt(float[] x, int n, double tx, double ty) {
        double[] ex = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 2 * Math.PI * Fft2.frequency(i, n) * tx / n;
            ex[2 * i] = Math.cos(a);
            ex[2 * i + 1] = Math.sin(a);
        }
        double total = 0;
        for (int y = 0; y < n; y++) {
            double re = 0, im = 0;
            for (int i = 0; i < n; i++) {
                int k = 2 * (y * n + i);
                re += x[k] * ex[2 * i] - x[k + 1] * ex[2 * i + 1];
                im += x[k] * ex[2 * i + 1] + x[k + 1] * ex[2 * i];
            }
            double a = 2 * Math.PI * Fft2.frequency(y, n) * ty / n;
            total += re * Math.cos(a) - im * Math.sin(a);
        }
        return total;
    }

    /** The n x n region at (x0, y0), mean-subtracted and Hann-windowed. */
    private static float[] window(float[] img, int width, int x0, int y0, int n) {
        double mean = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                mean += img[(y0 + y) * width + x0 + x];
            }
        }
        mean /= (double) n * n;
        float[] out = new float[n * n];
        for (int y = 0; y < n; y++) {
            double wy = 0.5 - 0.5 * Math.cos(2 * Math.PI * (y + 0.5) / n);
            for (int x = 0; x < n; x++) {
                double wx = 0.5 - 0.5 * Math.cos(2 * Math.PI * (x + 0.5) / n);
                out[y * n + x] = (float) ((img[(y0 + y) * width + x0 + x] - mean) * wx * wy);
            }
        }
        return out;
    }

    private static double discMean(float[] img, int width, double cx, double cy, double r) {
        double sum = 0;
        int count = 0;
        for (int y = (int) Math.floor(cy - r); y <= cy + r; y++) {
            for (int x = (int) Math.floor(cx - r); x <= cx + r; x++) {
                if (Math.hypot(x - cx, y - cy) <= r) {
                    sum += img[y * width + x];
                    count++;
                }
            }
        }
        return sum / count;
    }
}
