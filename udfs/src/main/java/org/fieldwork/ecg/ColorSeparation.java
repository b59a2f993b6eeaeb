package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;

import java.util.Locale;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;

/**
 * Splits an ECG image into a trace image and a grid mask by the reference rules (8-bit OpenCV
 * colour spaces).
 * <ul>
 * <li>{@link Method#LAB}: mean(a) &gt; 127 means a red grid, mask a &gt; 140; otherwise black, mask
 * L &lt; 127. The trace image is L.</li>
 * <li>{@link Method#HSV}: mean(S) &gt; 100 means red, mask hue in [0,10] or [170,180] with S and V
 * &gt;= 50; otherwise black, mask V &lt; 100. The trace image is V.</li>
 * </ul>
 * The decisions are the reference's and have known blind spots: neutral pixels have a = 128 in
 * 8-bit Lab, so LAB calls a neutral black-on-white grid (and a blue one) red; mostly white paper
 * keeps mean(S) far below 100, so HSV calls most red-grid printouts black.
 */
public final class ColorSeparation {
    /** The colour space the decision and the mask come from. */
    public enum Method {
        LAB, HSV;

        /** "lab" or "hsv" (the service's {@code color_method} values), case-insensitive. */
        public static Method parse(String text) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(text)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("colour method must be lab or hsv, got '" + text + "'");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The separation: the grid colour decided, the statistic it was decided on (mean a for LAB,
     * mean S for HSV), the trace image (8-bit L or V) and the grid mask (255 on grid pixels). The
     * two images are new; inside a caller's PointerScope they are freed with it.
     */
    public record Result(Method method, GridColour gridColour, double decisionScore, Mat traceImage, Mat gridMask) {
    }

    private ColorSeparation() {
    }

    public static Result separate(EcgImage image, Method method) {
        return method == Method.LAB ? lab(image) : hsv(image);
    }

    private static Result lab(EcgImage image) {
        Mat l = new Mat();
        Mat mask = new Mat();
        MatVector planes = new MatVector();
        Mat lab = new Mat();
        opencv_imgproc.cvtColor(image.bgr(), lab, COLOR_BGR2Lab);
        opencv_core.split(lab, planes);
        planes.get(0).copyTo(l);
        Mat a = planes.get(1);
        double meanA = opencv_core.mean(a).get(0);
        GridColour colour = meanA > 127 ? GridColour.RED : GridColour.BLACK;
        if (colour == GridColour.RED) {
            opencv_imgproc.threshold(a, mask, 140, 255, THRESH_BINARY);
        } else {
            opencv_imgproc.threshold(l, mask, 126, 255, THRESH_BINARY_INV);
        }
        lab.close();
        planes.close();
        return new Result(Method.LAB, colour, meanA, l, mask);
    }

    /** An inRange bound: a 4x1 CV_64F matrix, which OpenCV reads as a per-channel scalar. */
    private static Mat bound(int h, int s, int v) {
        return new Mat(new double[] {h, s, v, 0});
    }

    private static Result hsv(EcgImage image) {
        Mat v = new Mat();
        Mat mask = new Mat();
        MatVector planes = new MatVector();
        Mat hsv = new Mat();
        opencv_imgproc.cvtColor(image.bgr(), hsv, COLOR_BGR2HSV);
        opencv_core.split(hsv, planes);
        planes.get(2).copyTo(v);
        double meanS = opencv_core.mean(planes.get(1)).get(0);
        GridColour colour = meanS > 100 ? GridColour.RED : GridColour.BLACK;
        if (colour == GridColour.RED) {
            Mat low = new Mat();
            Mat high = new Mat();
            try (Mat lo0 = bound(0, 50, 50); Mat lo1 = bound(10, 255, 255);
                    Mat hi0 = bound(170, 50, 50); Mat hi1 = bound(180, 255, 255)) {
                opencv_core.inRange(hsv, lo0, lo1, low);
                opencv_core.inRange(hsv, hi0, hi1, high);
            }
            opencv_core.bitwise_or(low, high, mask);
            low.close();
            high.close();
        } else {
            opencv_imgproc.threshold(v, mask, 99, 255, THRESH_BINARY_INV);
        }
        hsv.close();
        planes.close();
        return new Result(Method.HSV, colour, meanS, v, mask);
    }
}
