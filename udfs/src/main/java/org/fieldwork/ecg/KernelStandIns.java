package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The per-pixel operations this package needs that {@code org.fieldwork.kernels} is to supply,
 * called through OpenCV until then. Each is one method so that moving to the kernel layer is a
 * one-line change per operation; the kernels match OpenCV pixel for pixel, so results stay the same.
 */
final class KernelStandIns {
    private KernelStandIns() {
    }

    /**
     * 8-bit gray from 8-bit BGR, OpenCV's integer formula. To be replaced by the kernel layer's
     * grayscale.
     */
    static Mat gray(Mat bgr) {
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(bgr, gray, COLOR_BGR2GRAY);
        return gray;
    }

    /**
     * Laplacian of an 8-bit gray image as CV_64F with OpenCV's defaults (ksize 1, REFLECT_101). To
     * be replaced by the kernel layer's Laplacian.
     */
    static Mat laplacian(Mat gray) {
        Mat lap = new Mat();
        opencv_imgproc.Laplacian(gray, lap, CV_64F);
        return lap;
    }

    /**
     * Canny edges (aperture 3, L1 gradient) of an 8-bit gray image, 255 on edges. To be replaced by
     * the kernel layer's Canny.
     */
    static Mat canny(Mat gray, double lo, double hi) {
        Mat edges = new Mat();
        opencv_imgproc.Canny(gray, edges, lo, hi);
        return edges;
    }
}
