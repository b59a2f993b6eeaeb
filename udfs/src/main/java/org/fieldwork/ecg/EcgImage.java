package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.io.ImageProbe;
import org.fieldwork.io.ImageCodec;
import org.fieldwork.kernels.KernelSession;

/**
 * One ECG paper image: its name (for messages) and its pixels as 8-bit BGR, the layout OpenCV's
 * {@code imread} gives. Gray and BGRA inputs are converted on the way in.
 */
public final class EcgImage {
    private final String name;
    private final Mat bgr;

    private EcgImage(String name, Mat bgr) {
        this.name = name;
        this.bgr = bgr;
    }

    /** Decodes a file with OpenCV ({@code imread}, colour); fails naming the file when it cannot. */
    public static EcgImage read(Path file) {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ECG image " + name + ": no such file");
        }
        Mat m = opencv_imgcodecs.imread(name, opencv_imgcodecs.IMREAD_COLOR);
        if (m == null || m.empty()) {
            throw new IllegalArgumentException("ECG image " + name + ": OpenCV could not decode it");
        }
        return new EcgImage(name, m);
    }

    /**
     * Decodes an encoded image by its content (PNG, JPEG, WebP, TIFF or BMP, whatever its name says)
     * with OpenCV ({@code imdecode}, colour). An empty, truncated, oversized or non-image file is
     * refused with the reason, naming {@code name}.
     */
    public static EcgImage decode(String name, byte[] bytes) {
        try {
            return new EcgImage(name, ImageCodec.decode(bytes, opencv_imgcodecs.IMREAD_COLOR));
        } catch (ImageProbe.UnreadableImage e) {
            throw new ImageProbe.UnreadableImage("ECG image " + name + ": " + e.getMessage());
        }
    }

    /** Wraps decoded pixels: 8-bit with 1 (gray), 3 (BGR) or 4 (BGRA) channels. */
    public static EcgImage of(String name, Mat pixels) {
        Objects.requireNonNull(name, "name");
        if (pixels == null || pixels.empty()) {
            throw new IllegalArgumentException("ECG image " + name + ": no pixels");
        }
        if (pixels.depth() != CV_8U) {
            throw new IllegalArgumentException("ECG image " + name + ": expected 8-bit pixels, got OpenCV depth "
                    + pixels.depth());
        }
        switch (pixels.channels()) {
            case 3:
                return new EcgImage(name, pixels);
            case 1:
                return new EcgImage(name, convert(pixels, COLOR_GRAY2BGR));
            case 4:
                return new EcgImage(name, convert(pixels, COLOR_BGRA2BGR));
            default:
                throw new IllegalArgumentException("ECG image " + name + ": expected 1, 3 or 4 channels, got "
                        + pixels.channels());
        }
    }

    private static Mat convert(Mat src, int code) {
        Mat dst = new Mat();
        opencv_imgproc.cvtColor(src, dst, code);
        return dst;
    }

    public String name() {
        return name;
    }

    /** The pixels, 8-bit BGR; shared, not copied: do not write into it. */
    public Mat bgr() {
        return bgr;
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    /** 8-bit gray as OpenCV's BGR2GRAY computes it, through the kernel layer. */
    public Mat gray(KernelSession kernels) {
        return EcgMats.mat(kernels.grayscale(EcgMats.color(bgr)));
    }

    /** An exception whose message names this image. */
    IllegalArgumentException failure(String what) {
        return new IllegalArgumentException("ECG image " + name + ": " + what);
    }

    @Override
    public String toString() {
        return name + " (" + width() + "x" + height() + ")";
    }
}
