package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;

import org.junit.jupiter.api.Test;

class Fft2Test {

    @Test
    void aCosineIsTwoPeaksAndTheInverseGivesTheImageBack() {
        int w = 48, h = 30;
        float[] img = new float[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img[y * w + x] = (float) Math.cos(2 * Math.PI * (5.0 * x / w + 3.0 * y / h));
            }
        }
        Fft2 fft = Fft2.of(w, h);
        float[] c = fft.forward(img);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int fx = Fft2.frequency(x, w), fy = Fft2.frequency(y, h);
                double re = c[2 * (y * w + x)];
                double expected = (fx == 5 && fy == 3) || (fx == -5 && fy == -3) ? w * h / 2.0 : 0;
                assertEquals(expected, re, 1e-2, "re at " + fx + "," + fy);
                assertEquals(0, c[2 * (y * w + x) + 1], 1e-2, "im at " + fx + "," + fy);
            }
        }
        float[] back = fft.inverseReal(c);
        for (int i = 0; i < img.length; i++) {
            assertEquals(img[i], back[i], 1e-4);
        }
    }

    @Test
    void oddAndPrimeSizesRoundTrip() {
        Random r = new Random(3);
        for (int[] s : new int[][] {{37, 11}, {100, 81}, {2, 7}}) {
            float[] img = new float[s[0] * s[1]];
            for (int i = 0; i < img.length; i++) {
                img[i] = r.nextFloat();
            }
            Fft2 fft = Fft2.of(s[0], s[1]);
            float[] back = fft.inverseReal(fft.forward(img));
            for (int i = 0; i < img.length; i++) {
                assertEquals(img[i], back[i], 1e-4);
            }
        }
    }
}
