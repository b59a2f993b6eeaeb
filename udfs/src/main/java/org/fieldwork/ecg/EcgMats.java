package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.kernels.ColorImage;
import org.fieldwork.kernels.GrayImage;

/** Between this package's OpenCV matrices and the kernel layer's images: one copy each way. */
final class EcgMats {
    private EcgMats() {
    }

    static ColorImage color(Mat bgr) {
        Mat m = bgr.isContinuous() ? bgr : bgr.clone();
        byte[] b = new byte[m.rows() * m.cols() * 3];
        m.data().get(b);
        return new ColorImage(m.cols(), m.rows(), b);
    }

    static GrayImage gray(Mat gray) {
        Mat m = gray.isContinuous() ? gray : gray.clone();
        byte[] b = new byte[m.rows() * m.cols()];
        m.data().get(b);
        return new GrayImage(m.cols(), m.rows(), b);
    }

    static Mat mat(GrayImage image) {
        Mat m = new Mat(image.height(), image.width(), CV_8UC1);
        BytePointer data = m.data();
        data.put(image.pixels());
        return m;
    }
}
