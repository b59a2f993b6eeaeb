package org.fieldwork.ecg;

import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.testing.SharedData;

/** ECG images from ../shared/data/ecg decoded by OpenCV, and the edits tests make to them. */
final class SharedEcg {
    /** Synthetic render with a known grid: 1 px fine lines every 20 px, 3 px bold lines every 100 px (blue). */
    static final String SAMPLE = "ecg/sample_ecg.png";
    /** Real scan, red grid, 999x403 palette PNG. */
    static final String RED_SCAN = "ecg/ecg00015.png";
    /** ecg-image-kit render of a PTB-XL record, red grid, 2200x1700 (200 dpi on letter paper). */
    static final String RED_RENDER = "ecg/SampleData_PTB_XL_op_00002_hr-0.png";

    private SharedEcg() {
    }

    static EcgImage read(String relative) {
        return EcgImage.read(SharedData.require(relative));
    }

    /** A copy of the image with every pixel under the mask set to one BGR colour. */
    static EcgImage paint(EcgImage image, Mat mask, int b, int g, int r, String suffix) {
        Mat copy = image.bgr().clone();
        // a 4x1 CV_64F matrix is what setTo reads as a per-channel scalar
        copy.setTo(new Mat(new double[] {b, g, r, 0}), mask);
        return EcgImage.of(image.name() + suffix, copy);
    }
}
