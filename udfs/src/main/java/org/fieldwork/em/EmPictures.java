package org.fieldwork.em;

import static org.bytedeco.opencv.global.opencv_core.CV_32FC1;
import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.FILLED;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.fieldwork.io.ImageCodec;

/**
 * The diagnostic pictures of a processed movie, as PNG bytes: the power spectrum beside its CTF fit,
 * the drift trajectory, and a thumbnail of the micrograph with the picks circled. Drawn with OpenCV
 * and encoded through {@link ImageCodec}.
 */
public final class EmPictures {
    /** Side of the drift plot in pixels. */
    public static final int DRIFT_SIZE = 400;
    /** Sub-pixel bits for OpenCV's drawing calls. */
    private static final int SHIFT = 4;
    private static final double ONE = 1 << SHIFT;
    /** Gaussian smoothing of the picks thumbnail, in thumbnail pixels. */
    private static final double SMOOTH_SIGMA = 1;

    private EmPictures() {
    }

    /**
     * CTFFIND-style diagnostic, {@code size x size} grey: the left half shows {@code spectrum}, the right
     * half {@code model} (the fitted CTF^2, or any model on the same grid), so that the Thon rings of
     * the data continue into those of the fit across the middle line when the fit is right. Both arrays
     * are {@code size x size}, row-major, with zero frequency at (size / 2, size / 2); pass the
     * background-subtracted spectrum (as CTFFIND shows it) or its logarithm. Each half is stretched
     * linearly between its 1st and 99th percentiles, leaving out the lowest frequencies (radius
     * size / 32), which would dominate. A null {@code model} shows the spectrum across the whole width.
     */
    public static byte[] spectrum(float[] spectrum, float[] model, int size) {
        if (size < 2 || spectrum.length != size * size || (model != null && model.length != size * size)) {
            throw new IllegalArgumentException("spectrum and model must hold " + size + "x" + size + " values");
        }
        byte[] grey = new byte[size * size];
        int half = size / 2;
        if (model == null) {
            stretchInto(grey, spectrum, size, 0, size);
        } else {
            stretchInto(grey, spectrum, size, 0, half);
            stretchInto(grey, model, size, half, size);
        }
        try (PointerScope scope = new PointerScope()) {
            Mat m = new Mat(size, size, CV_8UC1);
            m.data().put(grey);
            return ImageCodec.encode(m, ".png");
        }
    }

    /** Stretches columns x0..x1-1 of {@code values} into {@code grey}. */
    private static void stretchInto(byte[] grey, float[] values, int size, int x0, int x1) {
        int c = size / 2;
        double r2 = Math.pow(Math.max(1, size / 32.0), 2);
        float[] sample = new float[(x1 - x0) * size];
        int n = 0;
        for (int y = 0; y < size; y++) {
            for (int x = x0; x < x1; x++) {
                if ((x - c) * (x - c) + (y - c) * (y - c) > r2) {
                    sample[n++] = values[y * size + x];
                }
            }
        }
        double[] range = Contrast.percentiles(sample, n, 0.01, 0.99);
        for (int y = 0; y < size; y++) {
            for (int x = x0; x < x1; x++) {
                grey[y * size + x] = Contrast.grey(values[y * size + x], range[0], range[1]);
            }
        }
    }

    /**
     * The drift trajectory, {@value #DRIFT_SIZE} px square, colour: frame shifts in pixels (x right, y
     * down as in the image) joined in frame order, every frame a dot, the first frame a green disc and
     * the last a red one, on a grid whose spacing (1, 2 or 5 times a power of ten pixels) is written
     * along the axes; x and y share one scale so the path keeps its shape.
     */
    public static byte[] drift(float[] shiftX, float[] shiftY) {
        int n = shiftX.length;
        if (n == 0 || shiftY.length != n) {
            throw new IllegalArgumentException("need as many x as y shifts, at least one, got " + n + " and "
                    + shiftY.length);
        }
        double minX = Double.POSITIVE_INFINITY, maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY, maxY = Double.NEGATIVE_INFINITY;
        double path = 0;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, shiftX[i]);
            maxX = Math.max(maxX, shiftX[i]);
            minY = Math.min(minY, shiftY[i]);
            maxY = Math.max(maxY, shiftY[i]);
            if (i > 0) {
                path += Math.hypot(shiftX[i] - shiftX[i - 1], shiftY[i] - shiftY[i - 1]);
            }
        }
        double span = Math.max(Math.max(maxX - minX, maxY - minY), 1);
        double step = niceStep(span / 4);
        int left = 56, top = 36, plot = DRIFT_SIZE - left - 24;
        double scale = plot / (span * 1.15);
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        double ox = left + plot / 2.0 - cx * scale;
        double oy = top + plot / 2.0 - cy * scale;
        double lowX = (left - ox) / scale, highX = (left + plot - ox) / scale;
        double lowY = (top - oy) / scale, highY = (top + plot - oy) / scale;

        try (PointerScope scope = new PointerScope()) {
            Mat m = new Mat(DRIFT_SIZE, DRIFT_SIZE, CV_8UC3, new Scalar(255, 255, 255, 0));
            Scalar gridColour = new Scalar(225, 225, 225, 0);
            Scalar ink = new Scalar(60, 60, 60, 0);
            for (double v = Math.ceil(lowX / step) * step; v <= highX; v += step) {
                int x = (int) Math.round(ox + v * scale);
                opencv_imgproc.line(m, new Point(x, top), new Point(x, top + plot), gridColour, 1, LINE_AA, 0);
                text(m, label(v), x - 10, top + plot + 16, ink);
            }
            for (double v = Math.ceil(lowY / step) * step; v <= highY; v += step) {
                int y = (int) Math.round(oy + v * scale);
                opencv_imgproc.line(m, new Point(left, y), new Point(left + plot, y), gridColour, 1, LINE_AA, 0);
                text(m, label(v), 4, y + 4, ink);
            }
            opencv_imgproc.rectangle(m, new Point(left, top), new Point(left + plot, top + plot), ink, 1, LINE_AA, 0);
            text(m, String.format(Locale.ROOT, "drift (px): %d frames, path %.1f px", n, path), left, 22, ink);
            text(m, "x", left + plot / 2, DRIFT_SIZE - 2, ink);
            text(m, "y", 6, top - 4, ink);

            int[] xy = new int[2 * n];
            for (int i = 0; i < n; i++) {
                xy[2 * i] = (int) Math.round((ox + shiftX[i] * scale) * ONE);
                xy[2 * i + 1] = (int) Math.round((oy + shiftY[i] * scale) * ONE);
            }
            Scalar lineColour = new Scalar(200, 90, 30, 0);
            if (n > 1) {
                Mat pts = new Mat(n, 1, CV_32SC2);
                new IntPointer(pts.data()).put(xy);
                opencv_imgproc.polylines(m, new MatVector(pts), false, lineColour, 2, LINE_AA, SHIFT);
            }
            for (int i = 0; i < n; i++) {
                opencv_imgproc.circle(m, new Point(xy[2 * i], xy[2 * i + 1]), (int) (2.5 * ONE), lineColour, FILLED,
                        LINE_AA, SHIFT);
            }
            opencv_imgproc.circle(m, new Point(xy[0], xy[1]), (int) (6 * ONE), new Scalar(0, 170, 0, 0), FILLED, LINE_AA,
                    SHIFT);
            opencv_imgproc.circle(m, new Point(xy[2 * n - 2], xy[2 * n - 1]), (int) (6 * ONE), new Scalar(0, 0, 220, 0),
                    FILLED, LINE_AA, SHIFT);
            return ImageCodec.encode(m, ".png");
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code rough}. */
    static double niceStep(double rough) {
        double p = Math.pow(10, Math.floor(Math.log10(rough)));
        for (double f : new double[] {1, 2, 5, 10}) {
            if (f * p >= rough) {
                return f * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v) {
        double r = Math.abs(v) < 1e-9 ? 0 : v;
        return r == Math.rint(r) ? String.valueOf((long) r) : String.format(Locale.ROOT, "%.1f", r);
    }

    private static void text(Mat m, String s, int x, int y, Scalar colour) {
        opencv_imgproc.putText(m, s, new Point(x, y), FONT_HERSHEY_SIMPLEX, 0.4, colour, 1, LINE_AA, false);
    }

    /**
     * A thumbnail of the micrograph with the picks circled in green: box-binned by the smallest integer
     * factor that brings its longer side to at most {@code maxSide} pixels, smoothed by a Gaussian of
     * sigma 1 thumbnail pixel (so that particles stand out of the shot noise), stretched linearly
     * between the 0.5th and 99.5th percentiles; circles of {@code radiusPx} (full-resolution pixels)
     * around each pick.
     */
    public static byte[] picks(float[] micrograph, int width, int height, List<Pick> picks, double radiusPx, int maxSide) {
        if (micrograph.length != width * height || maxSide < 1) {
            throw new IllegalArgumentException("micrograph has " + micrograph.length + " values, expected " + width
                    + "x" + height + " (max side " + maxSide + ")");
        }
        int factor = Math.max(1, (Math.max(width, height) + maxSide - 1) / maxSide);
        int w = BoxBinning.binnedSize(width, factor);
        int h = BoxBinning.binnedSize(height, factor);
        float[] small = BoxBinning.bin(micrograph, width, height, factor);
        try (PointerScope scope = new PointerScope()) {
            Mat f = new Mat(h, w, CV_32FC1);
            new FloatPointer(f.data()).put(small);
            opencv_imgproc.GaussianBlur(f, f, new Size(0, 0), SMOOTH_SIGMA);
            new FloatPointer(f.data()).get(small);
            double[] range = Contrast.percentiles(small, small.length, 0.005, 0.995);
            byte[] grey = new byte[small.length];
            for (int i = 0; i < small.length; i++) {
                grey[i] = Contrast.grey(small[i], range[0], range[1]);
            }
            Mat g = new Mat(h, w, CV_8UC1);
            g.data().put(grey);
            Mat m = new Mat();
            opencv_imgproc.cvtColor(g, m, COLOR_GRAY2BGR);
            Scalar colour = new Scalar(0, 220, 0, 0);
            int r = (int) Math.round(radiusPx / factor * ONE);
            int thickness = Math.max(1, Math.min(w, h) / 400);
            for (Pick p : picks) {
                int x = (int) Math.round(BoxBinning.toBinned(p.xPx(), factor) * ONE);
                int y = (int) Math.round(BoxBinning.toBinned(p.yPx(), factor) * ONE);
                opencv_imgproc.circle(m, new Point(x, y), r, colour, thickness, LINE_AA, SHIFT);
            }
            return ImageCodec.encode(m, ".png");
        }
    }
}
