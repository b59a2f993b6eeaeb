package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.io.ImageCodec;

/** Small ECG-like pages drawn by the tests: a red grid (fine and bold lines) on white, a black wave. */
public final class EcgPages {
    public static final int FINE_PX = 8;
    static final int BOLD_PX = 40;

    private EcgPages() {
    }

    /** A page {@code width} x {@code height}; {@code phase} shifts the wave so that pages differ. */
    public static Mat page(int width, int height, double phase) {
        Mat m = new Mat(height, width, CV_8UC3, new Scalar(255, 255, 255, 0));
        for (int x = 0; x < width; x += FINE_PX) {
            boolean bold = x % BOLD_PX == 0;
            opencv_imgproc.line(m, new Point(x, 0), new Point(x, height - 1), bold ? new Scalar(60, 60, 230, 0)
                    : new Scalar(170, 170, 250, 0), bold ? 2 : 1, opencv_imgproc.LINE_8, 0);
        }
        for (int y = 0; y < height; y += FINE_PX) {
            boolean bold = y % BOLD_PX == 0;
            opencv_imgproc.line(m, new Point(0, y), new Point(width - 1, y), bold ? new Scalar(60, 60, 230, 0)
                    : new Scalar(170, 170, 250, 0), bold ? 2 : 1, opencv_imgproc.LINE_8, 0);
        }
        Point previous = null;
        for (int x = 20; x < width - 20; x += 2) {
            int y = (int) (height / 2 + height / 5.0 * Math.sin(x / 37.0 + phase) * (x % 150 < 8 ? 2 : 0.3));
            Point p = new Point(x, y);
            if (previous != null) {
                opencv_imgproc.line(m, previous, p, new Scalar(0, 0, 0, 0), 2, opencv_imgproc.LINE_AA, 0);
            }
            previous = p;
        }
        return m;
    }

    /** Encodes a page by the file's extension (.png, .jpg, .webp, .tif) and writes it. */
    public static Path write(Path file, Mat page) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, encode(page, file.getFileName().toString().replaceAll(".*(\\.[A-Za-z]+)$", "$1")));
        return file;
    }

    public static byte[] encode(Mat page, String extension) {
        return ImageCodec.encode(page, extension);
    }
}
