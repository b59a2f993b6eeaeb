package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** The Fourier-space sum with known shifts, on periodic images where a phase-ramp shift is exact. */
class AlignedSumTest {

    /** A periodic random image with a smooth spectrum, shifted exactly by (sx, sy) pixels. */
    private static float[] shifted(float[] spectrum, int w, int h, double sx, double sy) {
        float[] s = spectrum.clone();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double p = -2 * Math.PI * (Fft2.frequency(x, w) * sx / w + Fft2.frequency(y, h) * sy / h);
                int i = 2 * (y * w + x);
                double re = s[i] * Math.cos(p) - s[i + 1] * Math.sin(p);
                double im = s[i] * Math.sin(p) + s[i + 1] * Math.cos(p);
                s[i] = (float) re;
                s[i + 1] = (float) im;
            }
        }
        return Fft2.of(w, h).inverseReal(s);
    }

    private static float[] smoothSpectrum(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] img = new float[w * h];
        for (int i = 0; i < img.length; i++) {
            img[i] = (float) r.nextGaussian();
        }
        float[] s = Fft2.of(w, h).forward(img);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = (double) Fft2.frequency(x, w) / w;
                double fy = (double) Fft2.frequency(y, h) / h;
                double g = Math.exp(-40 * (fx * fx + fy * fy));
                boolean nyquist = (w % 2 == 0 && x == w / 2) || (h % 2 == 0 && y == h / 2);
                s[2 * (y * w + x)] *= nyquist ? 0 : g;
                s[2 * (y * w + x) + 1] *= nyquist ? 0 : g;
            }
        }
        return s;
    }

    @Test
    void subPixelShiftsAreUndoneExactlyInPairsAndAlone() {
        int w = 64;
        int h = 48;
        float[] spectrum = smoothSpectrum(w, h, 1);
        float[] base = shifted(spectrum, w, h, 0, 0);
        double[][] shifts = {{0, 0}, {1.25, -0.5}, {-3.7, 2.2}};
        AlignedSum sum = new AlignedSum(w, h, 1.0, 0, 300);
        Fft2 fft = Fft2.of(w, h);
        float[] z = new float[2 * w * h];
        float[] f0 = shifted(spectrum, w, h, shifts[0][0], shifts[0][1]);
        float[] f1 = shifted(spectrum, w, h, shifts[1][0], shifts[1][1]);
        float[] f2 = shifted(spectrum, w, h, shifts[2][0], shifts[2][1]);
        for (int i = 0; i < w * h; i++) {
            z[2 * i] = f0[i];
            z[2 * i + 1] = f1[i];
        }
        fft.forwardInPlace(z);
        sum.addPair(z, shifts[0][0], shifts[0][1], true, shifts[1][0], shifts[1][1]);
        for (int i = 0; i < w * h; i++) {
            z[2 * i] = f2[i];
            z[2 * i + 1] = 0;
        }
        fft.forwardInPlace(z);
        sum.addPair(z, shifts[2][0], shifts[2][1], false, 0, 0);
        float[] out = sum.result(z);
        for (int i = 0; i < w * h; i++) {
            assertEquals(3 * base[i], out[i], 1e-4, "pixel " + i);
        }
    }

    @Test
    void doseWeightsFollowTheExposureFilterAndItsNormalisation() {
        int w = 32;
        int h = 32;
        double pixel = 1.5;
        double dose = 2.5;
        int frames = 5;
        float[] spectrum = smoothSpectrum(w, h, 2);
        float[] image = shifted(spectrum, w, h, 0, 0);
        AlignedSum sum = new AlignedSum(w, h, pixel, dose, 300);
        Fft2 fft = Fft2.of(w, h);
        float[] z = new float[2 * w * h];
        for (int t = 0; t < frames; t += 2) {
            boolean pair = t + 1 < frames;
            for (int i = 0; i < w * h; i++) {
                z[2 * i] = image[i];
                z[2 * i + 1] = pair ? image[i] : 0;
            }
            fft.forwardInPlace(z);
            sum.addPair(z, 0, 0, pair, 0, 0);
        }
        float[] got = fft.forward(sum.result(z));
        float[] one = fft.forward(image);
        double peak = 0;
        for (float v : one) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double k = Math.hypot(Fft2.frequency(x, w) / (w * pixel), Fft2.frequency(y, h) / (h * pixel));
                double sq = 0;
                double lin = 0;
                for (int t = 0; t < frames; t++) {
                    double q = Math.exp(-(t + 1) * dose / (2 * DoseWeights.criticalExposure(k, 300)));
                    sq += q * q;
                    lin += q;
                }
                double factor = lin * Math.sqrt(frames / sq);
                int i = 2 * (y * w + x);
                double tolerance = 1e-5 * peak * frames;
                assertEquals(factor * one[i], got[i], tolerance, "re at " + x + "," + y);
                assertEquals(factor * one[i + 1], got[i + 1], tolerance, "im at " + x + "," + y);
            }
        }
    }
}
