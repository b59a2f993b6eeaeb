package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QualityGatesTest {
    static org.fieldwork.kernels.KernelSession kernels;

    @org.junit.jupiter.api.BeforeAll
    static void openKernels() {
        kernels = org.fieldwork.kernels.KernelSession.open();
    }

    @org.junit.jupiter.api.AfterAll
    static void closeKernels() {
        kernels.close();
    }

    private static EcgImage good;

    @BeforeAll
    static void load() {
        good = SharedEcg.read(SharedEcg.RED_RENDER);
    }

    @Test
    void goodImagesPass() {
        QualityReport r = QualityGates.check(good, kernels);
        assertTrue(r.passed(), r.toString());
        assertTrue(r.failures().isEmpty());
        assertEquals(2200 / 210.0 * 25.4, r.dpiEstimate(), 1e-9);
        QualityReport scan = QualityGates.check(SharedEcg.read("ecg/ecg00003.png"), kernels);
        assertTrue(scan.passed(), scan.toString());
    }

    @Test
    void blurredImageFailsOnBlur() {
        Mat blurred = new Mat();
        opencv_imgproc.GaussianBlur(good.bgr(), blurred, new Size(0, 0), 8);
        QualityReport r = QualityGates.check(EcgImage.of("blurred", blurred), kernels);
        assertFalse(r.sharp(), r.toString());
        assertTrue(r.blurScore() < QualityGates.MIN_BLUR);
        assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("blur:")), r.failures().toString());
        assertTrue(r.enoughResolution());
    }

    @Test
    void quarterSizeImageFailsOnResolution() {
        Mat small = new Mat();
        opencv_imgproc.resize(good.bgr(), small, new Size(good.width() / 4, good.height() / 4), 0, 0,
                opencv_imgproc.INTER_AREA);
        QualityReport r = QualityGates.check(EcgImage.of("quarter size", small), kernels);
        assertFalse(r.enoughResolution(), r.toString());
        assertEquals(550 / 210.0 * 25.4, r.dpiEstimate(), 1e-9);
        assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("resolution:")), r.failures().toString());
    }

    @Test
    void imageWithoutItsGridFailsOnGridLines() {
        Mat mask = ColorSeparation.separate(good, ColorSeparation.Method.LAB).gridMask();
        EcgImage gridless = SharedEcg.paint(good, mask, 255, 255, 255, " (grid painted white)");
        QualityReport r = QualityGates.check(gridless, kernels);
        assertFalse(r.gridFound(), r.toString());
        assertTrue(r.gridLines() < QualityGates.MIN_GRID_LINES);
        assertTrue(r.failures().stream().anyMatch(f -> f.startsWith("grid:")), r.failures().toString());
        assertTrue(r.sharp() && r.enoughResolution() && r.enoughContrast(), r.toString());
    }

    @Test
    void laplacianVarianceOfAFlatImageIsZeroAndOfACheckerboardKnown() {
        Mat flat = new Mat(20, 20, opencv_core.CV_8UC1, new org.bytedeco.opencv.opencv_core.Scalar(128));
        assertEquals(0, QualityGates.laplacianVariance(flat, kernels), 1e-12);
        // a one-pixel checkerboard of 0 and 100: Laplacian +-400 everywhere (REFLECT_101 keeps the pattern)
        Mat board = new Mat(8, 8, opencv_core.CV_8UC1);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                board.ptr(y, x).put((byte) ((x + y) % 2 == 0 ? 100 : 0));
            }
        }
        assertEquals(400.0 * 400.0, QualityGates.laplacianVariance(board, kernels), 1e-6);
    }
}
