package org.fieldwork.ecg;

import java.util.Locale;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.fieldwork.kernels.Border;
import org.fieldwork.kernels.GrayImage;
import org.fieldwork.kernels.KernelSession;
import org.fieldwork.kernels.ShortImage;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_OTSU;

/**
 * The reference edge detector's four ways to turn an 8-bit gray image into an edge map (255 on
 * edges, 0 elsewhere). The per-pixel filters run through the kernel layer; the thresholds follow
 * numpy (median, 90th percentile with linear interpolation) so the maps equal the reference's.
 */
public enum EdgeMethod {
    /** Canny with thresholds from the median m (lo = max(0, int(0.66 m)), hi = min(255, int(1.33 m))), closed and dilated 3x3. */
    CANNY,
    /** Sobel gradient magnitude (ksize 3, float64) above its 90th percentile. */
    SOBEL,
    /** |Laplacian| (ksize 3) above its 90th percentile. */
    LAPLACIAN,
    /** Otsu's threshold of the gray levels (bright = 255). */
    CONTOUR;

    /** The percentile of the gradient that the Sobel and Laplacian maps keep above. */
    static final double PERCENTILE = 90;

    /** "canny", "sobel", "laplacian" or "contour", any case. */
    public static EdgeMethod parse(String text) {
        for (EdgeMethod m : values()) {
            if (m.label().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown edge method '" + text + "' (canny, sobel, laplacian or contour)");
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The edge map of an 8-bit gray image (CV_8UC1), a new matrix. */
    public Mat edges(Mat gray, KernelSession kernels) {
        return switch (this) {
            case CANNY -> canny(gray, kernels);
            case SOBEL -> sobel(gray, kernels);
            case LAPLACIAN -> laplacian(gray, kernels);
            case CONTOUR -> otsu(gray);
        };
    }

    private static Mat canny(Mat gray, KernelSession kernels) {
        double m = GrayHistogram.of(gray).median();
        int lo = Math.max(0, (int) (0.66 * m));
        int hi = Math.min(255, (int) (1.33 * m));
        Mat edges = EcgMats.mat(kernels.canny(EcgMats.gray(gray), lo, hi));
        Mat square = Mat.ones(3, 3, CV_8U).asMat();
        opencv_imgproc.morphologyEx(edges, edges, MORPH_CLOSE, square);
        opencv_imgproc.dilate(edges, edges, square, new Point(-1, -1), 1, BORDER_CONSTANT,
                opencv_imgproc.morphologyDefaultBorderValue());
        return edges;
    }

    /** Squared magnitudes are integers (|dx|, |dy| &lt;= 1020), so the percentile is taken on them exactly, then rooted. */
    private static Mat sobel(Mat gray, KernelSession kernels) {
        GrayImage g = EcgMats.gray(gray);
        short[] dx = kernels.sobel(g, 1, 0, Border.REFLECT_101).pixels();
        short[] dy = kernels.sobel(g, 0, 1, Border.REFLECT_101).pixels();
        int[] squared = new int[dx.length];
        for (int i = 0; i < squared.length; i++) {
            squared[i] = dx[i] * dx[i] + dy[i] * dy[i];
        }
        return above(squared, g, 2 * 1020 * 1020, true);
    }

    private static Mat laplacian(Mat gray, KernelSession kernels) {
        GrayImage g = EcgMats.gray(gray);
        short[] l = kernels.laplacian(g, 3).pixels();
        int[] magnitude = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            magnitude[i] = Math.abs(l[i]);
        }
        return above(magnitude, g, 16 * 255, false);
    }

    /**
     * 255 where the value (or its square root, for squared magnitudes) is above the 90th percentile
     * of all values, numpy's default linear interpolation between the two nearest ranks.
     */
    private static Mat above(int[] values, GrayImage shape, int max, boolean rooted) {
        int[] counts = new int[max + 1];
        for (int v : values) {
            counts[v]++;
        }
        int n = values.length;
        double position = PERCENTILE / 100 * (n - 1);
        long below = (long) Math.floor(position);
        double t = position - below;
        int a = valueAtRank(counts, below);
        int b = valueAtRank(counts, Math.min(n - 1, below + 1));
        double va = rooted ? Math.sqrt(a) : a;
        double vb = rooted ? Math.sqrt(b) : b;
        double threshold = lerp(va, vb, t);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            double v = rooted ? Math.sqrt(values[i]) : values[i];
            out[i] = v > threshold ? (byte) 255 : 0;
        }
        return EcgMats.mat(new GrayImage(shape.width(), shape.height(), out));
    }

    /** numpy's _lerp: from below for t &lt; 0.5, from above otherwise, so that t = 1 gives b exactly. */
    static double lerp(double a, double b, double t) {
        double diff = b - a;
        return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
    }

    private static int valueAtRank(int[] counts, long rank) {
        long seen = 0;
        for (int v = 0; v < counts.length; v++) {
            seen += counts[v];
            if (seen > rank) {
                return v;
            }
        }
        throw new IllegalStateException("rank " + rank + " past " + seen + " values");
    }

    private static Mat otsu(Mat gray) {
        Mat out = new Mat();
        opencv_imgproc.threshold(gray, out, 0, 255, THRESH_BINARY | THRESH_OTSU);
        return out;
    }
}
