package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;
import java.util.Arrays;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The reference ECG project's edge maps rebuilt from OpenCV calls and numpy's rules, written
 * independently of {@link EdgeMethod}: float64 filters straight from OpenCV, the median and the
 * percentile by sorting a copy of every value, thresholds compared in double.
 */
final class ReferenceEdges {
    private ReferenceEdges() {
    }

    /** The map {@code edges = detect(gray, method)} of the reference, as 8-bit bytes row by row. */
    static byte[] edges(Mat gray, EdgeMethod method) {
        return switch (method) {
            case CANNY -> bytes(canny(gray));
            case SOBEL -> sobel(gray);
            case LAPLACIAN -> laplacian(gray);
            case CONTOUR -> bytes(contour(gray));
        };
    }

    /** np.median(gray): the middle value, or the mean of the two middle values for an even count. */
    static double median(Mat gray) {
        byte[] px = bytes(gray);
        int[] sorted = new int[px.length];
        for (int i = 0; i < px.length; i++) {
            sorted[i] = px[i] & 0xff;
        }
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** {lo, hi} = {max(0, int(0.66 m)), min(255, int(1.33 m))}. */
    static int[] cannyThresholds(Mat gray) {
        double m = median(gray);
        return new int[] {Math.max(0, (int) (0.66 * m)), Math.min(255, (int) (1.33 * m))};
    }

    /** cv2.Canny(gray, lo, hi, apertureSize=3), then MORPH_CLOSE and MORPH_DILATE with np.ones((3, 3)). */
    static Mat canny(Mat gray) {
        int[] t = cannyThresholds(gray);
        return canny(gray, t[0], t[1]);
    }

    static Mat canny(Mat gray, int lo, int hi) {
        Mat edges = new Mat();
        opencv_imgproc.Canny(gray, edges, lo, hi, 3, false);
        Mat ones = new Mat(3, 3, CV_8UC1, new Scalar(1));
        Mat closed = new Mat();
        opencv_imgproc.morphologyEx(edges, closed, opencv_imgproc.MORPH_CLOSE, ones);
        Mat dilated = new Mat();
        opencv_imgproc.morphologyEx(closed, dilated, opencv_imgproc.MORPH_DILATE, ones);
        return dilated;
    }

    /** sqrt(Sobel_x^2 + Sobel_y^2) (CV_64F, ksize 3, default border), 255 above its 90th percentile. */
    static byte[] sobel(Mat gray) {
        Mat sx = new Mat();
        Mat sy = new Mat();
        opencv_imgproc.Sobel(gray, sx, CV_64F, 1, 0, 3, 1, 0, opencv_core.BORDER_DEFAULT);
        opencv_imgproc.Sobel(gray, sy, CV_64F, 0, 1, 3, 1, 0, opencv_core.BORDER_DEFAULT);
        Mat mag = new Mat();
        opencv_core.magnitude(sx, sy, mag);
        return above90th(doubles(mag));
    }

    /** |Laplacian| (CV_64F, ksize 3, default border), 255 above its 90th percentile. */
    static byte[] laplacian(Mat gray) {
        Mat l = new Mat();
        opencv_imgproc.Laplacian(gray, l, CV_64F, 3, 1, 0, opencv_core.BORDER_DEFAULT);
        double[] v = doubles(l);
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.abs(v[i]);
        }
        return above90th(v);
    }

    /** cv2.threshold(gray, 0, 255, THRESH_BINARY + THRESH_OTSU). */
    static Mat contour(Mat gray) {
        Mat out = new Mat();
        opencv_imgproc.threshold(gray, out, 0, 255, opencv_imgproc.THRESH_BINARY | opencv_imgproc.THRESH_OTSU);
        return out;
    }

    /** (v &gt; np.percentile(v, 90)) * 255. */
    static byte[] above90th(double[] v) {
        double p = percentile(v, 90);
        byte[] out = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > p ? (byte) 255 : 0;
        }
        return out;
    }

    /**
     * np.percentile(values, q) with the default "linear" method: virtual index (n - 1) * q / 100 in
     * the sorted values, numpy's _lerp between its two neighbours (from above when t &gt;= 0.5).
     */
    static double percentile(double[] values, double q) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        double virtual = (n - 1) * (q / 100);
        if (virtual >= n - 1) {
            return s[n - 1];
        }
        int below = (int) Math.floor(virtual);
        double t = virtual - below;
        double a = s[below];
        double b = s[below + 1];
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    static byte[] bytes(Mat m) {
        assertEquals(CV_8UC1, m.type(), "expected an 8-bit single-channel Mat");
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] p = new byte[c.rows() * c.cols()];
        ((ByteBuffer) c.createBuffer()).get(p);
        return p;
    }

    static double[] doubles(Mat m) {
        assertEquals(CV_64FC1, m.type(), "expected a float64 single-channel Mat");
        Mat c = m.isContinuous() ? m : m.clone();
        double[] p = new double[c.rows() * c.cols()];
        ((DoubleBuffer) c.createBuffer()).get(p);
        return p;
    }

    /** An 8-bit gray Mat holding {@code pixels} row by row. */
    static Mat gray(int width, int height, byte[] pixels) {
        Mat m = new Mat(height, width, CV_8U);
        ((ByteBuffer) m.createBuffer()).put(pixels);
        return m;
    }
}
