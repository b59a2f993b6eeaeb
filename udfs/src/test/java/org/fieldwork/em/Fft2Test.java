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

    @Test
    void theInverseNearTheOriginEqualsTheWholeInverseThere() {
        Random r = new Random(5);
        for (int[] s : new int[][] {{48, 30}, {37, 11}, {9, 12}}) {
            int w = s[0], h = s[1], reach = Math.min(w, h) / 2 - 1;
            float[] spectrum = new float[2 * w * h];
            for (int i = 0; i < spectrum.length; i++) {
                spectrum[i] = r.nextFloat() - 0.5f;
            }
            Fft2 fft = Fft2.of(w, h);
            float[] whole = spectrum.clone();
            fft.inverseInPlace(whole);
            float[] near = spectrum.clone();
            fft.inverseNearOrigin(near, reach);
            for (int dy = -reach; dy <= reach; dy++) {
                for (int dx = -reach; dx <= reach; dx++) {
                    int j = 2 * (((dy + h) % h) * w + (dx + w) % w);
                    assertEquals(whole[j], near[j], 1e-6, "re at " + dx + "," + dy + " of " + w + "x" + h);
                    assertEquals(whole[j + 1], near[j + 1], 1e-6, "im at " + dx + "," + dy + " of " + w + "x" + h);
                }
            }
        }
    }
}
