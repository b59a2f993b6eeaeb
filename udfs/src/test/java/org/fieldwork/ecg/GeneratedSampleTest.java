package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The shared ECG-image-kit sample (two 10 s strips, V5 and MLII, on a green grid) against its
 * trace-only mask. The header gives no scale, so px/mm is measured here from the grid's period.
 */
class GeneratedSampleTest {

    /** Period of the grid's vertical lines: autocorrelation of the per-column count of green pixels, refined over 5, 15, 45, 135 periods. */
    static double gridPeriodPx(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        double[] profile = new double[w];
        try (UByteIndexer ix = bgr.createIndexer()) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int b = ix.get(y, x, 0);
                    int g = ix.get(y, x, 1);
                    int r = ix.get(y, x, 2);
                    if (g - Math.max(r, b) > 8) {
                        profile[x]++;
                    }
                }
            }
        }
        double mean = java.util.Arrays.stream(profile).average().orElse(0);
        for (int x = 0; x < w; x++) {
            profile[x] -= mean;
        }
        double period = bestLag(profile, 3, 30);
        for (int periods = 5; periods * period < w / 2.0; periods *= 3) {
            int expected = (int) Math.round(periods * period);
            period = bestLag(profile, expected - 3, expected + 3) / (double) periods;
        }
        return period;
    }

    private static int bestLag(double[] p, int from, int to) {
        int best = from;
        double bestC = Double.NEGATIVE_INFINITY;
        for (int lag = from; lag <= to; lag++) {
            double c = 0;
            for (int x = 0; x + lag < p.length; x++) {
                c += p[x] * p[x + lag];
            }
            c /= p.length - lag;
            if (c > bestC) {
                bestC = c;
                best = lag;
            }
        }
        return best;
    }

    @Test
    void tracedPointsFallOnTheMask() {
        Path image = SharedData.require("ecg/SampleData_GeneratedData_sel100-0.png");
        Path maskFile = SharedData.require("ecg/SampleData_GeneratedData_sel100-0-gt.png");
        Mat bgr = opencv_imgcodecs.imread(image.toString(), opencv_imgcodecs.IMREAD_COLOR);
        Mat mask = opencv_imgcodecs.imread(maskFile.toString(), opencv_imgcodecs.IMREAD_GRAYSCALE);
        double pxPerMm = gridPeriodPx(bgr);
        assertEquals(7.03, pxPerMm, 0.05, "grid period " + pxPerMm + " px/mm");
        EcgLayout layout = new EcgLayout(List.of(List.of("V5"), List.of("MLII")), 10);
        DigitizedEcg d = EcgDigitizer.digitize(bgr, EcgCalibration.standard(pxPerMm, 250), layout);
        int onMask = 0;
        int total = 0;
        double distanceSum = 0;
        try (UByteIndexer m = mask.createIndexer()) {
            for (DigitizedEcg.Panel p : d.panels()) {
                for (int j = 0; j < p.xs().length; j++) {
                    int x = (int) Math.round(p.xs()[j]);
                    int y = (int) Math.round(p.ys()[j]);
                    int nearest = Integer.MAX_VALUE;
                    for (int dy = -20; dy <= 20; dy++) {
                        int yy = y + dy;
                        if (yy >= 0 && yy < mask.rows() && m.get(yy, x) < 128) {
                            nearest = Math.min(nearest, Math.abs(dy));
                        }
                    }
                    total++;
                    if (nearest <= 1) {
                        onMask++;
                    }
                    distanceSum += Math.min(nearest, 20);
                }
            }
        }
        double fraction = onMask / (double) total;
        double meanDistance = distanceSum / total;

        assertTrue(fraction > 0.97, "traced points within 1 px of the mask: " + fraction + " of " + total
                + " (measured 0.993 at 7.022 px/mm), mean distance " + meanDistance + " px");
        assertTrue(meanDistance < 0.2, "mean distance to the mask " + meanDistance + " px (measured 0.037)");
    }
}
