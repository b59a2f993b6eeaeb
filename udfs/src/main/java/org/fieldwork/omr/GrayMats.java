package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.NORM_MINMAX;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_GRAYSCALE;
import static org.bytedeco.opencv.global.opencv_imgproc.getPerspectiveTransform;
import static org.bytedeco.opencv.global.opencv_imgproc.warpPerspective;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.fieldwork.io.ImageCodec;
import org.fieldwork.io.ImageProbe;

/**
 * The few whole-image operations OMRChecker applies to 8-bit gray sheets, done with the same OpenCV
 * calls so that results match pixel for pixel. Callers run inside a PointerScope.
 */
final class GrayMats {
    private GrayMats() {
    }

    /**
     * Decodes by content (a JPEG named .png, a WebP named .jpg) straight to gray, as cv2.imread(...,
     * IMREAD_GRAYSCALE). The header is checked first ({@link ImageProbe}), so a truncated or oversized
     * file is refused with its reason instead of reaching the decoder; throws {@link ImageProbe.UnreadableImage}.
     */
    static Mat decode(byte[] bytes) {
        return ImageCodec.decode(bytes, IMREAD_GRAYSCALE);
    }

    /** cv2.resize(img, (w, h)): bilinear, aspect ratio ignored. */
    static Mat resize(Mat src, int width, int height) {
        Mat dst = new Mat();
        org.bytedeco.opencv.global.opencv_imgproc.resize(src, dst, new Size(width, height));
        return dst;
    }

    /** Resize to a height keeping the aspect ratio, width truncated as OMRChecker's resize_util_h does. */
    static Mat resizeToHeight(Mat src, int height) {
        int width = (int) (src.cols() * (double) height / src.rows());
        return resize(src, width, height);
    }

    /** Min-max stretch to 0..255 (OMRChecker passes alpha=255, beta=0, which spans the same range). */
    static Mat normalize(Mat src) {
        Mat dst = new Mat();
        opencv_core.normalize(src, dst, 255, 0, NORM_MINMAX, -1, new Mat());
        return dst;
    }

    /**
     * Warps the quadrilateral {@code pts} to an upright rectangle. Corner order and the output size
     * follow OMRChecker: top-left has the smallest x+y, bottom-right the largest, top-right the
     * smallest y-x, bottom-left the largest; sides measured in float32 and truncated.
     */
    static Mat fourPointTransform(Mat image, double[][] pts) {
        float[][] rect = orderPoints(pts);
        float[] tl = rect[0], tr = rect[1], br = rect[2], bl = rect[3];
        int maxWidth = Math.max((int) dist(br, bl), (int) dist(tr, tl));
        int maxHeight = Math.max((int) dist(tr, br), (int) dist(tl, bl));
        float[] src = {tl[0], tl[1], tr[0], tr[1], br[0], br[1], bl[0], bl[1]};
        float[] dst = {0, 0, maxWidth - 1, 0, maxWidth - 1, maxHeight - 1, 0, maxHeight - 1};
        Mat srcM = new Mat(4, 2, CV_32F, new FloatPointer(src));
        Mat dstM = new Mat(4, 2, CV_32F, new FloatPointer(dst));
        Mat transform = getPerspectiveTransform(srcM, dstM);
        Mat warped = new Mat();
        warpPerspective(image, warped, transform, new Size(maxWidth, maxHeight));
        return warped;
    }

    private static float dist(float[] a, float[] b) {
        float dx = a[0] - b[0];
        float dy = a[1] - b[1];
        float s = dx * dx + dy * dy;
        return (float) Math.sqrt(s);
    }

    static float[][] orderPoints(double[][] pts) {
        int minSum = 0, maxSum = 0, minDiff = 0, maxDiff = 0;
        for (int i = 1; i < pts.length; i++) {
            double s = pts[i][0] + pts[i][1];
            double d = pts[i][1] - pts[i][0];
            if (s < pts[minSum][0] + pts[minSum][1]) {
                minSum = i;
            }
            if (s > pts[maxSum][0] + pts[maxSum][1]) {
                maxSum = i;
            }
            if (d < pts[minDiff][1] - pts[minDiff][0]) {
                minDiff = i;
            }
            if (d > pts[maxDiff][1] - pts[maxDiff][0]) {
                maxDiff = i;
            }
        }
        return new float[][] {f(pts[minSum]), f(pts[minDiff]), f(pts[maxSum]), f(pts[maxDiff])};
    }

    private static float[] f(double[] p) {
        return new float[] {(float) p[0], (float) p[1]};
    }

    /** The pixels of an 8-bit single-channel image, row by row. */
    static byte[] pixels(Mat m) {
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] out = new byte[c.rows() * c.cols()];
        c.data().get(out);
        return out;
    }

    static Mat fromPixels(byte[] pixels, int width, int height) {
        Mat m = new Mat(height, width, CV_8UC1);
        m.data().put(pixels);
        return m;
    }

    static byte[] png(Mat m) {
        return encode(m, ".png");
    }

    /** Encodes in the format a file name's extension names (".png", ".jpg", ".jpeg"), so content and name agree. */
    static byte[] encodeFor(Mat m, String fileName) {
        String lower = fileName.toLowerCase(java.util.Locale.ROOT);
        return encode(m, lower.endsWith(".jpg") || lower.endsWith(".jpeg") ? ".jpg" : ".png");
    }

    private static byte[] encode(Mat m, String ext) {
        return ImageCodec.encode(m, ext);
    }
}
