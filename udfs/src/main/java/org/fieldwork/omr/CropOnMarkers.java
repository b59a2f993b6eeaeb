package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.TM_CCOEFF_NORMED;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.javacpp.PointerScope;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Finds the four corner markers by multi-scale template matching and warps the sheet so the marker
 * centres become its corners. The image is split into quarters (top third / bottom two thirds, left
 * / right halves); the marker scale is the one that matches best anywhere, then each quarter must
 * match at least min_matching_threshold and within max_matching_variation of that best match.
 * Drawing side effects of OMRChecker (separator lines, match rectangles on the searched and on the
 * warped image) are reproduced because they change the pixels that later steps read.
 */
public final class CropOnMarkers implements Preprocessor {
    private static final long serialVersionUID = 1L;
    /**
     * A scale whose fast maximum is this far below the best cannot be the best, and a variation this
     * far from the limit cannot cross it: the fast maxima differ from matchTemplate's by under 1e-4
     * (MarkerScaleSearchTest; 2e-7 at the markers of the shared samples).
     */
    static final float NEAR_BEST = 1e-3f;
    /**
     * Below this best fast maximum every scale is matched exactly: without a clear marker match the
     * maxima may sit in near-flat windows, where float32 correlation noise (ours and OpenCV's) is
     * no longer small against the normalization.
     */
    static final float EXACT_BELOW = 0.5f;

    private final String markerPath;
    private final double minMatchingThreshold;
    private final double maxMatchingVariation;
    private final int rescaleLow;
    private final int rescaleHigh;
    private final int rescaleSteps;
    private final boolean applyErodeSubtract;
    /** The marker as prepared once at load time: resized, blurred, normalized (and eroded-subtracted). */
    private final byte[] marker;
    private final int markerWidth;
    private final int markerHeight;

    CropOnMarkers(ConfigReader r, String key, JsonNode options, Path templateDir, TuningConfig config) {
        r.checkKeys(options, key, List.of("relativePath", "sheetToMarkerWidthRatio", "min_matching_threshold",
                "max_matching_variation", "marker_rescale_range", "marker_rescale_steps", "apply_erode_subtract"),
                List.of("relativePath"));
        String relative = r.string(options.get("relativePath"), key + ".relativePath");
        markerPath = templateDir.resolve(relative).toAbsolutePath().normalize().toString();
        minMatchingThreshold = r.number(options, key, "min_matching_threshold", 0.3);
        maxMatchingVariation = r.number(options, key, "max_matching_variation", 0.41);
        int[] range = options.has("marker_rescale_range")
                ? r.integers(options.get("marker_rescale_range"), key + ".marker_rescale_range", 2)
                : new int[] {35, 100};
        rescaleLow = range[0];
        rescaleHigh = range[1];
        if (rescaleLow <= 0 || rescaleHigh <= rescaleLow) {
            throw r.error(key + ".marker_rescale_range", "must be [low, high] with 0 < low < high");
        }
        rescaleSteps = r.integer(options, key, "marker_rescale_steps", 10);
        if (rescaleSteps <= 0 || (rescaleHigh - rescaleLow) / rescaleSteps == 0) {
            throw r.error(key + ".marker_rescale_steps", "must be positive and at most the rescale range width");
        }
        applyErodeSubtract = r.bool(options, key, "apply_erode_subtract", true);
        Integer ratio = null;
        if (options.has("sheetToMarkerWidthRatio")) {
            ratio = (int) r.number(options.get("sheetToMarkerWidthRatio"), key + ".sheetToMarkerWidthRatio");
            if (ratio <= 0) {
                throw r.error(key + ".sheetToMarkerWidthRatio", "must be positive");
            }
        }
        byte[] file = Preprocessors.readReferencedImage(r, key + ".relativePath", templateDir, relative);
        try (PointerScope scope = new PointerScope()) {
            Mat m;
            try {
                m = GrayMats.decode(file);
            } catch (org.fieldwork.io.ImageProbe.UnreadableImage e) {
                throw r.error(key + ".relativePath", r.tree.name(templateDir.resolve(relative)) + ": " + e.getMessage());
            }
            if (ratio != null) {
                // resize_util: width = processing_width / ratio (float), height from the float width.
                double w = (double) config.processingWidth / ratio;
                int h = (int) (m.rows() * w / m.cols());
                if ((int) w <= 0 || h <= 0) {
                    throw r.error(key + ".sheetToMarkerWidthRatio", "makes the marker smaller than one pixel");
                }
                m = GrayMats.resize(m, (int) w, h);
            }
            Mat blurred = new Mat();
            opencv_imgproc.GaussianBlur(m, blurred, new Size(5, 5), 0);
            Mat norm = new Mat();
            opencv_core.normalize(blurred, norm, 0, 255, opencv_core.NORM_MINMAX, -1, new Mat());
            if (applyErodeSubtract) {
                opencv_core.subtract(norm, erode5(norm), norm);
            }
            marker = GrayMats.pixels(norm);
            markerWidth = norm.cols();
            markerHeight = norm.rows();
        }
    }

    private static Mat erode5(Mat m) {
        Mat out = new Mat();
        opencv_imgproc.erode(m, out, Mat.ones(5, 5, CV_8U).asMat(), new Point(-1, -1), 5, BORDER_CONSTANT,
                opencv_imgproc.morphologyDefaultBorderValue());
        return out;
    }

    @Override
    public String name() {
        return "CropOnMarkers";
    }

    @Override
    public List<String> referencedFiles() {
        return List.of(markerPath);
    }

    @Override
    public Mat apply(Mat image, SheetWork stages) {
        Mat markerMat = GrayMats.fromPixels(marker, markerWidth, markerHeight);
        // OMRChecker's condition is inverted: with apply_erode_subtract (the default) it searches the
        // plain normalized sheet, otherwise the eroded-subtracted one. Kept for identical answers.
        Mat searched = GrayMats.normalize(applyErodeSubtract ? image : subtractEroded(image));
        int h1 = searched.rows();
        int w1 = searched.cols();
        int midh = h1 / 3;
        int midw = w1 / 2;
        int[][] origins = {{0, 0}, {midw, 0}, {0, midh}, {midw, midh}};
        Mat[] quads = {
            searched.apply(new Rect(0, 0, midw, midh)),
            searched.apply(new Rect(midw, 0, w1 - midw, midh)),
            searched.apply(new Rect(0, midh, midw, h1 - midh)),
            searched.apply(new Rect(midw, midh, w1 - midw, h1 - midh)),
        };
        // The quarter separator lines are drawn into the searched image (quarters are views of it).
        searched.colRange(midw, Math.min(midw + 2, w1)).put(new Scalar(255));
        searched.rowRange(midh, Math.min(midh + 2, h1)).put(new Scalar(255));

        // OMRChecker's scale search: the marker at every scale from high to low, best match anywhere.
        List<Double> scales = new ArrayList<>();
        List<Mat> rescaledMarkers = new ArrayList<>();
        int descent = (rescaleHigh - rescaleLow) / rescaleSteps;
        int largest = 0;
        int smallest = Integer.MAX_VALUE;
        for (int r0 = rescaleHigh; r0 > rescaleLow; r0 -= descent) {
            double s = r0 / 100.0;
            int height = (int) (markerHeight * s);
            if (height <= 0 || height > searched.rows()) {
                continue;
            }
            Mat rescaled = GrayMats.resizeToHeight(markerMat, height);
            if (rescaled.cols() <= 0 || rescaled.cols() > searched.cols()) {
                continue;
            }
            scales.add(s);
            rescaledMarkers.add(rescaled);
            largest = Math.max(largest, Math.max(rescaled.cols(), rescaled.rows()));
            smallest = Math.min(smallest, Math.min(rescaled.cols(), rescaled.rows()));
        }
        float[] approx = new float[scales.size()];
        float top = 0;
        if (!scales.isEmpty()) {
            approx = new MarkerScaleSearch(searched, largest, smallest).maxima(rescaledMarkers);
            for (float a : approx) {
                top = Math.max(top, a);
            }
        }
        // Only scales whose fast maximum comes near the best can win. One clear winner is taken as
        // it is; several close ones are matched again with matchTemplate itself, so the chosen
        // scale is exactly OMRChecker's.
        List<Integer> near = new ArrayList<>();
        for (int i = 0; i < scales.size(); i++) {
            if (top < EXACT_BELOW || approx[i] >= top - NEAR_BEST) {
                near.add(i);
            }
        }
        Double bestScale = null;
        float allMaxT = 0;
        boolean exactBest = near.size() != 1 || top < EXACT_BELOW;
        if (!exactBest) {
            bestScale = scales.get(near.get(0));
            allMaxT = approx[near.get(0)];
        } else {
            for (int i : near) {
                float maxT = maxOf(match(searched, rescaledMarkers.get(i)));
                if (allMaxT < maxT) {
                    bestScale = scales.get(i);
                    allMaxT = maxT;
                }
            }
        }
        if (bestScale == null) {
            stages.add(1, "CropOnMarkers quarters", searched);
            throw new PreprocessorFailure("CropOnMarkers: no marker match at any scale in "
                    + rescaleLow + ".." + rescaleHigh + "%");
        }
        Mat optimal = GrayMats.resizeToHeight(markerMat, (int) (markerHeight * bestScale));
        int w = optimal.cols();
        int h = optimal.rows();
        double[][] centres = new double[4][];
        // The quarters draw into the searched image; an exact best value, if needed, must not see that.
        Mat pristine = exactBest ? null : searched.clone();
        for (int k = 0; k < 4; k++) {
            if (quads[k].cols() < w || quads[k].rows() < h) {
                throw new PreprocessorFailure("CropOnMarkers: quarter " + (k + 1) + " is smaller than the marker");
            }
            Mat res = match(quads[k], optimal);
            float[] values = floats(res);
            float maxT = maxOf(values);
            if (!exactBest && Math.abs(Math.abs(allMaxT - maxT) - (float) maxMatchingVariation) < NEAR_BEST) {
                // Too close to the variation limit for the fast value to decide: OMRChecker's own number.
                allMaxT = maxOf(match(pristine, optimal));
                exactBest = true;
            }
            if (maxT < minMatchingThreshold || Math.abs(allMaxT - maxT) >= maxMatchingVariation) {
                stages.add(1, "CropOnMarkers quarters", searched);
                throw new PreprocessorFailure("CropOnMarkers: no marker found in quarter " + (k + 1) + " (match "
                        + maxT + ", best " + allMaxT + ", min_matching_threshold " + minMatchingThreshold
                        + ", max_matching_variation " + maxMatchingVariation + ")");
            }
            int idx = 0;
            while (values[idx] != maxT) {
                idx++;
            }
            int x = idx % res.cols() + origins[k][0];
            int y = idx / res.cols() + origins[k][1];
            opencv_imgproc.rectangle(image, new Point(x, y), new Point(x + w, y + h), new Scalar(150), 2,
                    opencv_imgproc.LINE_8, 0);
            opencv_imgproc.rectangle(searched, new Point(x, y), new Point(x + w, y + h),
                    new Scalar(applyErodeSubtract ? 50 : 155), 4, opencv_imgproc.LINE_8, 0);
            centres[k] = new double[] {x + w / 2.0, y + h / 2.0};
        }
        stages.add(2, "CropOnMarkers matches", searched);
        return GrayMats.fourPointTransform(image, centres);
    }

    private static Mat subtractEroded(Mat image) {
        Mat out = new Mat();
        opencv_core.subtract(image, erode5(image), out);
        return out;
    }

    private static Mat match(Mat image, Mat templ) {
        Mat res = new Mat();
        opencv_imgproc.matchTemplate(image, templ, res, TM_CCOEFF_NORMED);
        return res;
    }

    private static float maxOf(Mat res) {
        return maxOf(floats(res));
    }

    private static float maxOf(float[] v) {
        float m = Float.NEGATIVE_INFINITY;
        for (float f : v) {
            if (f > m) {
                m = f;
            }
        }
        return m;
    }

    private static float[] floats(Mat res) {
        Mat c = res.isContinuous() ? res : res.clone();
        float[] out = new float[(int) c.total()];
        new FloatPointer(c.data()).get(out);
        return out;
    }
}
