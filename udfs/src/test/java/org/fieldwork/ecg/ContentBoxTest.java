package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;

class ContentBoxTest {
    static org.fieldwork.kernels.KernelSession kernels;

    @org.junit.jupiter.api.BeforeAll
    static void openKernels() {
        kernels = org.fieldwork.kernels.KernelSession.open();
    }

    @org.junit.jupiter.api.AfterAll
    static void closeKernels() {
        kernels.close();
    }

    @Test
    void drawnRectangleIsFoundWithinTheMorphologyMargin() {
        Mat white = new Mat(150, 200, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
        opencv_imgproc.rectangle(white, new Point(50, 40), new Point(120, 100), new Scalar(0, 0, 0, 0), 3,
                opencv_imgproc.LINE_8, 0);
        ContentBox box = ContentBox.of(EcgImage.of("rectangle", white), kernels);
        // the drawn outline spans x 49..121, y 39..101; Canny marks the pixel beside the
        // step, the 3x3 dilation adds one more: up to 3 px outside
        assertTrue(Math.abs(box.x() - 49) <= 3 && Math.abs(box.y() - 39) <= 3, box.toString());
        assertTrue(Math.abs(box.x() + box.width() - 122) <= 3 && Math.abs(box.y() + box.height() - 102) <= 3,
                box.toString());
    }

    @Test
    void blankImageIsItsOwnBox() {
        Mat white = new Mat(30, 40, opencv_core.CV_8UC1, new Scalar(255));
        ContentBox box = ContentBox.of(EcgImage.of("blank", white), kernels);
        assertTrue(box.wholeImage(), box.toString());
    }

    @Test
    void sampleAndRealScanBoxesCoverTheTrace() {
        for (String file : new String[] {SharedEcg.SAMPLE, SharedEcg.RED_SCAN}) {
            EcgImage image = SharedEcg.read(file);
            ContentBox box = ContentBox.of(image, kernels);
            assertTrue(box.width() > 0 && box.height() > 0, file + " " + box);
            assertTrue(traceShareInside(image, box) > 0.9, file + " " + box);
        }
    }

    @Test
    void paddingIsClampedToTheImage() {
        ContentBox box = new ContentBox(5, 30, 100, 160, 120, 200);
        ContentBox p = box.padded(10);
        assertEquals(new ContentBox(0, 20, 115, 180, 120, 200), p);
        assertEquals(box, box.padded(0));
        assertThrows(IllegalArgumentException.class, () -> box.padded(-1));

        EcgImage sample = SharedEcg.read(SharedEcg.SAMPLE);
        ContentBox found = ContentBox.of(sample, kernels);
        Mat crop = found.crop(sample);
        ContentBox padded = found.padded(ContentBox.DEFAULT_PADDING);
        assertEquals(padded.width(), crop.cols());
        assertEquals(padded.height(), crop.rows());
        assertTrue(padded.x() + padded.width() <= sample.width() && padded.y() + padded.height() <= sample.height());
    }

    @Test
    void boxOutsideTheImageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ContentBox(10, 0, 100, 10, 105, 10));
    }

    /** Share of dark (gray < 80) pixels, the trace and lettering, that lie inside the box. */
    private static double traceShareInside(EcgImage image, ContentBox box) {
        Mat dark = new Mat();
        opencv_imgproc.threshold(image.gray(kernels), dark, 79, 255, opencv_imgproc.THRESH_BINARY_INV);
        int all = opencv_core.countNonZero(dark);
        int inside = opencv_core.countNonZero(dark.apply(new org.bytedeco.opencv.opencv_core.Rect(box.x(), box.y(),
                box.width(), box.height())));
        return all == 0 ? 1 : inside / (double) all;
    }
}
