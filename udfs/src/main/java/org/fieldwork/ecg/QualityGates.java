package org.fieldwork.ecg;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.kernels.KernelSession;

/**
 * The reference's quality gates, all of which must pass: blur = variance of the Laplacian of the
 * gray image &gt;= 100; estimated dpi = width / 210 mm * 25.4 &gt;= 150 (the page taken to be 210 mm
 * wide as the reference does; a landscape A4 printout is 297 mm wide, so its dpi is overestimated
 * 1.41 times); contrast = standard deviation of the 256-bin gray histogram's counts &gt;= 30;
 * at least 5 grid lines.
 */
public final class QualityGates {
    public static final double MIN_BLUR = 100;
    public static final double MIN_DPI = 150;
    public static final double MIN_CONTRAST = 30;
    public static final int MIN_GRID_LINES = 5;
    /** The page width the dpi estimate assumes (A4), in mm. */
    public static final double PAGE_WIDTH_MM = 210;

    private QualityGates() {
    }

    /** Runs every gate, finding the grid with the LAB colour separation. */
    public static QualityReport check(EcgImage image, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            Grid grid = GridDetector.detect(ColorSeparation.separate(image, ColorSeparation.Method.LAB));
            return check(image, grid, kernels);
        }
    }

    /** Runs every gate with a grid already found. */
    public static QualityReport check(EcgImage image, Grid grid, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            return check(image, image.gray(kernels), grid, kernels);
        }
    }

    /** Runs every gate with the image's gray (from {@link EcgImage#gray}) and its grid already found. */
    public static QualityReport check(EcgImage image, Mat gray, Grid grid, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            double blur = laplacianVariance(gray, kernels);
            double dpi = image.width() / PAGE_WIDTH_MM * 25.4;
            double contrast = GrayHistogram.of(gray).countsStd();
            int lines = grid.lineCount();
            List<String> failures = new ArrayList<>();
            boolean sharp = blur >= MIN_BLUR;
            boolean resolution = dpi >= MIN_DPI;
            boolean contrasty = contrast >= MIN_CONTRAST;
            boolean gridFound = lines >= MIN_GRID_LINES;
            if (!sharp) {
                failures.add(String.format(Locale.ROOT, "blur: variance of the Laplacian %.1f < %.0f", blur, MIN_BLUR));
            }
            if (!resolution) {
                failures.add(String.format(Locale.ROOT, "resolution: estimated %.0f dpi (%d px over %.0f mm) < %.0f",
                        dpi, image.width(), PAGE_WIDTH_MM, MIN_DPI));
            }
            if (!contrasty) {
                failures.add(String.format(Locale.ROOT, "contrast: histogram count deviation %.1f < %.0f", contrast,
                        MIN_CONTRAST));
            }
            if (!gridFound) {
                failures.add(String.format(Locale.ROOT, "grid: %d grid lines found, fewer than %d", lines,
                        MIN_GRID_LINES));
            }
            return new QualityReport(blur, dpi, contrast, lines, sharp, resolution, contrasty, gridFound, failures);
        }
    }

    /**
     * Population variance of the Laplacian (ksize 1) of an 8-bit gray image, as OpenCV's meanStdDev
     * of its CV_64F Laplacian gives it; from the kernel layer's int16 Laplacian, summed exactly.
     */
    static double laplacianVariance(Mat gray, KernelSession kernels) {
        short[] lap = kernels.laplacian(EcgMats.gray(gray), 1).pixels();
        long sum = 0;
        long sumSq = 0;
        for (short v : lap) {
            sum += v;
            sumSq += (long) v * v;
        }
        double n = lap.length;
        double mean = sum / n;
        return Math.max(0, sumSq / n - mean * mean);
    }
}
