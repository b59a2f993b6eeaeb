package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;

import java.util.Arrays;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.Vec2fVector;

/**
 * The rotation of a printed ECG, measured on the grid's horizontal lines with OpenCV's Hough
 * transform (angles within {@link #MAX_DEGREES} of horizontal, 0.05 degree steps), and its undoing.
 * Angles are counter-clockwise as displayed, as in {@code getRotationMatrix2D}.
 */
final class PageSkew {
    static final double MAX_DEGREES = 6;
    private static final double STEP_DEGREES = 0.05;
    private static final int LINES_USED = 25;

    private PageSkew() {
    }

    /** The page's rotation in degrees, or 0 when the grid shows no long horizontal lines. */
    static double estimateDegrees(TraceInk ink) {
        Mat grid = ink.gridMat();
        Vec2fVector lines = new Vec2fVector();
        double minTheta = Math.toRadians(90 - MAX_DEGREES);
        double maxTheta = Math.toRadians(90 + MAX_DEGREES);
        int threshold = (int) (0.3 * ink.width);
        opencv_imgproc.HoughLines(grid, lines, 1, Math.toRadians(STEP_DEGREES), threshold, 0, 0, minTheta, maxTheta);
        int n = (int) Math.min(lines.size(), LINES_USED);
        if (n == 0) {
            return 0;
        }
        double[] degrees = new double[n];
        for (int i = 0; i < n; i++) {
            degrees[i] = 90 - Math.toDegrees(lines.get(i).get(1));
        }
        Arrays.sort(degrees);
        return n % 2 == 1 ? degrees[n / 2] : 0.5 * (degrees[n / 2 - 1] + degrees[n / 2]);
    }

    /** The image rotated by {@code -degrees} about its centre, the uncovered corners white. */
    static Mat undo(Mat bgr, double degrees) {
        Mat m = opencv_imgproc.getRotationMatrix2D(new Point2f(bgr.cols() / 2f, bgr.rows() / 2f), -degrees, 1);
        Mat out = new Mat();
        opencv_imgproc.warpAffine(bgr, out, m, new Size(bgr.cols(), bgr.rows()), INTER_LINEAR, BORDER_CONSTANT,
                new Scalar(255, 255, 255, 0));
        return out;
    }

    /**
     * Maps a point of the deskewed image back to the original image: the inverse of {@link #undo},
     * a rotation by {@code +degrees} about the same centre, as OpenCV's matrix defines it.
     */
    static double[] toOriginal(double x, double y, double degrees, int width, int height) {
        double a = Math.toRadians(degrees);
        double cx = width / 2.0;
        double cy = height / 2.0;
        double cos = Math.cos(a);
        double sin = Math.sin(a);
        double dx = x - cx;
        double dy = y - cy;
        return new double[] {cos * dx + sin * dy + cx, -sin * dx + cos * dy + cy};
    }
}
