package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CtfModelTest {

    @Test
    void wavelengthIsTheSpecsRelativisticValue() {
        // the spec's 0.019687 Å is 0.01968762 cut to six decimals
        assertEquals(0.019687, CtfModel.wavelengthA(300), 1e-6);
        // 200 kV: 12.2643247 / sqrt(2e5 (1 + 0.1956932)) = 0.02507949 Å
        assertEquals(0.02507949, CtfModel.wavelengthA(200), 1e-8);
    }

    @Test
    void withoutCsTheZerosLieAtSqrtOfNOverLambdaDf() {
        double df = 15000;
        CtfModel m = new CtfModel(300, 0, 0, 1, df, df, 0, 0);
        double lambda = CtfModel.wavelengthA(300);
        for (int n = 1; n <= 6; n++) {
            // chi = pi lambda k^2 df = n pi
            double k = Math.sqrt(n / (lambda * df));
            for (double angle : new double[] {0, 0.7, 2}) {
                double kx = k * Math.cos(angle), ky = k * Math.sin(angle);
                assertEquals(0, m.value(kx, ky), 1e-9, "zero " + n);
                double before = m.value(kx * 0.99, ky * 0.99), after = m.value(kx * 1.01, ky * 1.01);
                assertTrue(before * after < 0, "sign change at zero " + n);
            }
        }
    }

    @Test
    void astigmaticZerosFollowDefocusUAlongTheAngleAndVAcrossIt() {
        double u = 20000, v = 16000, angle = 35;
        CtfModel m = new CtfModel(300, 0, 0, 1, u, v, angle, 0);
        double lambda = CtfModel.wavelengthA(300);
        double a = Math.toRadians(angle), b = a + Math.PI / 2;
        for (int n = 1; n <= 4; n++) {
            double ku = Math.sqrt(n / (lambda * u)), kv = Math.sqrt(n / (lambda * v));
            assertEquals(0, m.value(ku * Math.cos(a), ku * Math.sin(a)), 1e-9);
            assertEquals(0, m.value(kv * Math.cos(b), kv * Math.sin(b)), 1e-9);
            assertEquals(0, m.value(-kv * Math.cos(b), -kv * Math.sin(b)), 1e-9);
        }
        assertEquals(u, m.defocusA(Math.cos(a), Math.sin(a)), 1e-6);
        assertEquals(v, m.defocusA(Math.cos(b), Math.sin(b)), 1e-6);
        // halfway between the axes, the mean
        assertEquals((u + v) / 2, m.defocusA(Math.cos(a + Math.PI / 4), Math.sin(a + Math.PI / 4)), 1e-6);
    }

    @Test
    void amplitudeContrastPhaseShiftAndCsEnterChiAsTheSpecSays() {
        // at k = 0 only the constant phases remain: -sin(atan(A / sqrt(1 - A^2)) + shift)
        CtfModel plain = new CtfModel(300, 2.7, 0.07, 1, 10000, 10000, 0, 0);
        assertEquals(-0.07, plain.value(0, 0), 1e-12);
        CtfModel shifted = new CtfModel(300, 2.7, 0.07, 1, 10000, 10000, 0, Math.PI / 2);
        assertEquals(-Math.sqrt(1 - 0.07 * 0.07), shifted.value(0, 0), 1e-12);
        // with Cs and no defocus, chi = -pi/2 lambda^3 Cs k^4 (plus the constant)
        double lambda = CtfModel.wavelengthA(300), k = 0.3;
        CtfModel csOnly = new CtfModel(300, 2.7, 0, 1, 0, 0, 0, 0);
        assertEquals(-Math.PI / 2 * Math.pow(lambda, 3) * 2.7e7 * Math.pow(k, 4), csOnly.chi(k, 0), 1e-9);
    }

    @Test
    void renderPutsTheOriginInTheCentreAndRingsAtTheirRadius() {
        int n = 256;
        double pixel = 1.5, df = 12000;
        CtfModel m = new CtfModel(300, 0, 0, pixel, df, df, 0, 0);
        float[] sq = m.render(n, true);
        assertEquals(0, sq[(n / 2) * n + n / 2], 1e-12);
        // first zero at k1 = 1/sqrt(lambda df): radius k1 * n * pixel grid steps
        double r1 = Math.sqrt(1 / (CtfModel.wavelengthA(300) * df)) * n * pixel;
        int lo = (int) Math.floor(r1), hi = lo + 1;
        float atLo = m.render(n, false)[(n / 2) * n + n / 2 + lo], atHi = m.render(n, false)[(n / 2) * n + n / 2 + hi];
        assertTrue(atLo * atHi < 0, "sign change between radius " + lo + " and " + hi);
    }

    @Test
    void applyToMultipliesAnFftLayoutSpectrumByTheEnvelopedCtf() {
        int w = 64, h = 48;
        double pixel = 1.2, b = 80;
        CtfModel m = new CtfModel(300, 2.7, 0.1, pixel, 21000, 17000, 110, 0.3);
        float[] c = new float[2 * w * h];
        for (int i = 0; i < w * h; i++) {
            c[2 * i] = 1;
            c[2 * i + 1] = -2;
        }
        m.applyTo(c, w, h, b, 2);
        for (int y = 0; y < h; y += 5) {
            for (int x = 0; x < w; x += 3) {
                double kx = Fft2.frequency(x, w) / (w * pixel), ky = Fft2.frequency(y, h) / (h * pixel);
                double expected = 2 * m.value(kx, ky) * Math.exp(-b * (kx * kx + ky * ky) / 4);
                assertEquals(expected, c[2 * (y * w + x)], 1e-5);
                assertEquals(-2 * expected, c[2 * (y * w + x) + 1], 1e-5);
            }
        }
    }
}
