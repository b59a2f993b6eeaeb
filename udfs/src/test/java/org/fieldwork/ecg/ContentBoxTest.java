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
    void emptyEdgeMapIsTheWholeImage() {
        Mat none = new Mat(30, 40, opencv_core.CV_8UC1, new Scalar(0));
        assertEquals(new ContentBox(0, 0, 40, 30, 40, 30), ContentBox.ofEdges(none));
    }

    /**
     * Largest by contour area, not by extent: a long diagonal line (100 x 80 extent, area about 0),
     * a 20 x 20 filled square and a 30 x 12 outline (inner area smaller than the square's), drawn
     * at known pixels; the square wins, its box exactly its pixels.
     */
    @Test
    void largestContourByAreaGivesTheBox() {
        Mat edges = new Mat(120, 160, opencv_core.CV_8UC1, new Scalar(0));
        opencv_imgproc.line(edges, new Point(5, 5), new Point(104, 84), new Scalar(255), 1, opencv_imgproc.LINE_8, 0);
        opencv_imgproc.rectangle(edges, new Point(120, 90), new Point(139, 109), new Scalar(255), opencv_imgproc.FILLED,
                opencv_imgproc.LINE_8, 0);
        opencv_imgproc.rectangle(edges, new Point(110, 10), new Point(139, 21), new Scalar(255), 1, opencv_imgproc.LINE_8, 0);
        Mat before = edges.clone();
        assertEquals(new ContentBox(120, 90, 20, 20, 160, 120), ContentBox.ofEdges(edges));
        assertEquals(0, opencv_core.countNonZero(diff(before, edges)), "ofEdges must not write into its input");
        // the outline grows past the square: 50 x 42 outline, area 49 x 41 = 2009 > 19 x 19 = 361
        opencv_imgproc.rectangle(edges, new Point(20, 60), new Point(69, 101), new Scalar(255), 1, opencv_imgproc.LINE_8, 0);
        assertEquals(new ContentBox(20, 60, 50, 42, 160, 120), ContentBox.ofEdges(edges));
    }

    /** An outline inside another is not an external contour; the outer one's box is the answer. */
    @Test
    void nestedContoursGiveTheOuterBox() {
        Mat edges = new Mat(100, 100, opencv_core.CV_8UC1, new Scalar(0));
        opencv_imgproc.rectangle(edges, new Point(10, 15), new Point(89, 84), new Scalar(255), 2, opencv_imgproc.LINE_8, 0);
        opencv_imgproc.rectangle(edges, new Point(30, 30), new Point(60, 60), new Scalar(255), opencv_imgproc.FILLED,
                opencv_imgproc.LINE_8, 0);
        // a thickness-2 outline from (10, 15) to (89, 84) covers x 9..90, y 14..85
        assertEquals(new ContentBox(9, 14, 82, 72, 100, 100), ContentBox.ofEdges(edges));
    }

    /** Edges on the border and any non-zero value count; a region of a larger map works as well. */
    @Test
    void edgesOnTheBorderAndInARegion() {
        Mat edges = new Mat(50, 70, opencv_core.CV_8UC1, new Scalar(0));
        opencv_imgproc.rectangle(edges, new Point(0, 0), new Point(69, 49), new Scalar(1), 1, opencv_imgproc.LINE_8, 0);
        assertTrue(ContentBox.ofEdges(edges).wholeImage());

        Mat big = new Mat(200, 300, opencv_core.CV_8UC1, new Scalar(0));
        opencv_imgproc.rectangle(big, new Point(150, 110), new Point(179, 139), new Scalar(255), opencv_imgproc.FILLED,
                opencv_imgproc.LINE_8, 0);
        Mat region = big.apply(new org.bytedeco.opencv.opencv_core.Rect(100, 100, 120, 80));
        assertEquals(new ContentBox(50, 10, 30, 30, 120, 80), ContentBox.ofEdges(region));
    }

    private static Mat diff(Mat a, Mat b) {
        Mat d = new Mat();
        opencv_core.absdiff(a, b, d);
        return d;
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
