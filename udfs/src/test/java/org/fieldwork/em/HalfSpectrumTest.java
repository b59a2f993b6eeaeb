package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Alignment keeps only the rows of non-negative frequency of each real frame's spectrum: splitting
 * the transform of a + i b into those halves, and putting two halves back together into the whole
 * transform, must match the transforms computed directly, for even and odd sides.
 */
class HalfSpectrumTest {

    @ParameterizedTest
    @CsvSource({"8, 6", "7, 5", "6, 9", "9, 8", "2, 3"})
    void halvesSplitFromAndCombineIntoTheWholeTransform(int w, int h) {
        SplittableRandom rng = new SplittableRandom(w * 31L + h);
        float[] a = new float[w * h];
        float[] b = new float[w * h];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) rng.nextGaussian();
            b[i] = (float) rng.nextGaussian();
        }
        Fft2 fft = Fft2.of(w, h);
        float[] wholeA = fft.forward(a);
        float[] wholeB = fft.forward(b);
        float[] z = new float[2 * w * h];
        for (int i = 0; i < a.length; i++) {
            z[2 * i] = a[i];
            z[2 * i + 1] = b[i];
        }
        fft.forwardInPlace(z);

        int half = FrameAligner.spectrumLength(w, h);
        float[] halfA = new float[half];
        float[] halfB = new float[half];
        FrameAligner.splitHalves(z, w, h, halfA, halfB);
        for (int j = 0; j < half; j++) {
            assertEquals(wholeA[j], halfA[j], 1e-4, "A at " + j);
            assertEquals(wholeB[j], halfB[j], 1e-4, "B at " + j);
        }

        float[] combined = new float[2 * w * h];
        FrameAligner.combineHalves(halfA, halfB, w, h, combined);
        for (int j = 0; j < z.length; j++) {
            assertEquals(z[j], combined[j], 1e-4, "A + iB at " + j);
        }
        FrameAligner.combineHalves(halfA, null, w, h, combined);
        for (int j = 0; j < z.length; j++) {
            assertEquals(wholeA[j], combined[j], 1e-4, "A at " + j);
        }
    }
}
