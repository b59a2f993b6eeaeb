package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_LIST;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Size;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the paper's edge and warps the page upright: blur, normalize, truncate at 200, close with
 * morphKernel, Canny, convex hulls of the five largest contours, the first of area >= 80000 whose
 * 0.025*perimeter polygon has four corners that are nearly right angles.
 */
public final class CropPage implements Preprocessor {
    private static final long serialVersionUID = 1L;

    static final double MIN_PAGE_AREA = 80000;
    static final double MAX_COSINE = 0.35;

    private final int kernelWidth;
    private final int kernelHeight;

    CropPage(ConfigReader r, String key, JsonNode options) {
        r.checkKeys(options, key, List.of("morphKernel"), List.of());
        int[] k = options.has("morphKernel") ? r.integers(options.get("morphKernel"), key + ".morphKernel", 2)
                : new int[] {10, 10};
        if (k[0] <= 0 || k[1] <= 0) {
            throw r.error(key + ".morphKernel", "must be two positive integers");
        }
        kernelWidth = k[0];
        kernelHeight = k[1];
    }

    @Override
    public String name() {
        return "CropPage";
    }

    @Override
    public Mat apply(Mat image, SheetWork stages) {
        Mat blurred = stages.gaussianBlur(image, 3, 3, 0);
        Mat normalized = GrayMats.normalize(blurred);
        double[][] sheet = findPage(normalized, stages);
        if (sheet == null) {
            throw new PreprocessorFailure("CropPage: paper boundary not found");
        }
        return GrayMats.fourPointTransform(normalized, sheet);
    }

    private double[][] findPage(Mat input, SheetWork stages) {
        Mat image = GrayMats.normalize(input);
        Mat truncated = new Mat();
        opencv_imgproc.threshold(image, truncated, 200, 255, THRESH_TRUNC);
        image = GrayMats.normalize(truncated);
        Mat kernel = opencv_imgproc.getStructuringElement(MORPH_RECT, new Size(kernelWidth, kernelHeight));
        Mat closed = new Mat();
        opencv_imgproc.morphologyEx(image, closed, MORPH_CLOSE, kernel);
        Mat edge = new Mat();
        opencv_imgproc.Canny(closed, edge, 185, 55);
        stages.add(5, "CropPage edges", edge);

        MatVector contours = new MatVector();
        opencv_imgproc.findContours(edge, contours, new Mat(), RETR_LIST, CHAIN_APPROX_SIMPLE);
        // Convex hulls smooth out ragged edges; the sort is stable like Python's sorted(reverse=True).
        List<Mat> hulls = new ArrayList<>();
        List<Double> areas = new ArrayList<>();
        for (long i = 0; i < contours.size(); i++) {
            Mat hull = new Mat();
            opencv_imgproc.convexHull(contours.get(i), hull);
            hulls.add(hull);
        }
        for (Mat h : hulls) {
            areas.add(opencv_imgproc.contourArea(h));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < hulls.size(); i++) {
            order.add(i);
        }
        order.sort((a, b) -> Double.compare(areas.get(b), areas.get(a)));
        for (int n = 0; n < Math.min(5, order.size()); n++) {
            int i = order.get(n);
            if (areas.get(i) < MIN_PAGE_AREA) {
                continue;
            }
            Mat c = hulls.get(i);
            double peri = opencv_imgproc.arcLength(c, true);
            Mat approx = new Mat();
            opencv_imgproc.approxPolyDP(c, approx, 0.025 * peri, true);
            if (approx.total() == 4) {
                int[][] p = points(approx);
                if (isRectangle(p)) {
                    double[][] out = new double[4][];
                    for (int k = 0; k < 4; k++) {
                        out[k] = new double[] {p[k][0], p[k][1]};
                    }
                    return out;
                }
            }
        }
        return null;
    }

    private static int[][] points(Mat approx) {
        IntPointer ip = new IntPointer(approx.data());
        int n = (int) approx.total();
        int[][] p = new int[n][2];
        for (int k = 0; k < n; k++) {
            p[k][0] = ip.get(2L * k);
            p[k][1] = ip.get(2L * k + 1);
        }
        return p;
    }

    /** OMRChecker checks the cosine at three of the four corners (i = 2, 3, 4 over indices mod 4). */
    static boolean isRectangle(int[][] p) {
        double maxCosine = 0;
        for (int i = 2; i < 5; i++) {
            double cosine = Math.abs(angle(p[i % 4], p[i - 2], p[i - 1]));
            maxCosine = Math.max(cosine, maxCosine);
        }
        return maxCosine < MAX_COSINE;
    }

    private static double angle(int[] p1, int[] p2, int[] p0) {
        double dx1 = p1[0] - p0[0];
        double dy1 = p1[1] - p0[1];
        double dx2 = p2[0] - p0[0];
        double dy2 = p2[1] - p0[1];
        return (dx1 * dx2 + dy1 * dy2) / Math.sqrt((dx1 * dx1 + dy1 * dy1) * (dx2 * dx2 + dy2 * dy2) + 1e-10);
    }
}
