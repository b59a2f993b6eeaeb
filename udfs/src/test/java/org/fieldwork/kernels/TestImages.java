package org.fieldwork.kernels;

import static org.bytedeco.opencv.global.opencv_core.CV_16SC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.testing.SharedData;

/** Test images: random ones of awkward sizes, real ECG scans decoded by OpenCV, and Mat conversions. */
final class TestImages {
    /** Sizes that exercise borders: single pixels, thin strips, odd widths, non-multiples of 8. */
    static final int[][] SIZES = {{1, 1}, {2, 3}, {3, 2}, {1, 9}, {9, 1}, {5, 5}, {37, 29}, {64, 48}, {101, 7}};

    /** Real ECG images: synthetic render, scan with odd width, progressive JPEG photo. */
    static final List<String> ECG = List.of("ecg/sample_ecg.png", "ecg/ecg00015.png", "ecg/ecg00013.jpg");

    private TestImages() {
    }

    static FloatImage randomFloat(int w, int h, long seed) {
        Random r = new Random(seed);
        float[] p = new float[w * h];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat() * 255f;
        }
        return new FloatImage(w, h, p);
    }

    static GrayImage randomGray(int w, int h, long seed) {
        byte[] p = new byte[w * h];
        new Random(seed).nextBytes(p);
        return new GrayImage(w, h, p);
    }

    /** An ECG image from ../shared/data as 8-bit gray, decoded and converted by OpenCV. */
    static GrayImage ecgGray(String relative) {
        Path file = SharedData.require(relative);
        Mat bgr = opencv_imgcodecs.imread(file.toString());
        assertFalse(bgr.empty(), "OpenCV could not decode " + file);
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
        return fromMat8(gray);
    }

    static Mat toMat(FloatImage img) {
        Mat m = new Mat(img.height(), img.width(), CV_32FC1);
        ((FloatBuffer) m.createBuffer()).put(img.pixels());
        return m;
    }

    static Mat toMat(GrayImage img) {
        Mat m = new Mat(img.height(), img.width(), CV_8UC1);
        ((ByteBuffer) m.createBuffer()).put(img.pixels());
        return m;
    }

    static FloatImage fromMat32(Mat m) {
        assertEquals(CV_32FC1, m.type(), "expected a CV_32FC1 Mat");
        float[] p = new float[m.rows() * m.cols()];
        ((FloatBuffer) m.createBuffer()).get(p);
        return new FloatImage(m.cols(), m.rows(), p);
    }

    static ShortImage fromMat16(Mat m) {
        assertEquals(CV_16SC1, m.type(), "expected a CV_16SC1 Mat");
        short[] p = new short[m.rows() * m.cols()];
        ((ShortBuffer) m.createBuffer()).get(p);
        return new ShortImage(m.cols(), m.rows(), p);
    }

    static GrayImage fromMat8(Mat m) {
        assertEquals(CV_8UC1, m.type(), "expected a CV_8UC1 Mat");
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] p = new byte[c.rows() * c.cols()];
        ((ByteBuffer) c.createBuffer()).get(p);
        return new GrayImage(c.cols(), c.rows(), p);
    }

    static int openCvBorder(Border b) {
        return b == Border.REPLICATE ? org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE
                : org.bytedeco.opencv.global.opencv_core.BORDER_REFLECT_101;
    }

    static float maxAbs(FloatImage img) {
        float m = 0;
        for (float v : img.pixels()) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
