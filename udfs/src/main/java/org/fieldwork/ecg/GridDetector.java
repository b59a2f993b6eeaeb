package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar4i;
import org.bytedeco.opencv.opencv_imgproc.Vec4iVector;

/**
 * Finds the ECG grid in a grid mask (255 on grid pixels, from {@link ColorSeparation}) and measures
 * its spacing. Horizontal and vertical lines are isolated by morphological opening with thin line
 * kernels (rows x columns: 1x10 and 10x1 keep fine and bold lines, 3x20 and 20x3 keep only lines at
 * least 3 px thick, the bold ones), then found by the probabilistic Hough transform (1 px, 1 degree;
 * segments at least a tenth of the image's extent along them and 20 px, votes half that, gaps up to
 * 10 px bridged, so a trace crossing a line does not split it). A segment within
 * 2 degrees of the axis gives a position (its mean y, or x); positions within {@value #MERGE_PX} px
 * of each other are one line. The spacing is the median gap between sorted positions, taken again
 * after dropping gaps outside half to one and a half times that median (missed lines and stray
 * segments); gaps from both directions are pooled, paper squares being square.
 *
 * <p>Scale: a fine square is 1 mm, a bold one 5 mm. When the bold spacing is 4 to 6 fine
 * spacings the grid is consistent and bold / 5 is used, because one pixel of rounding is a fifth as
 * large a share of a bold gap. When the two agree (ratio under 1.5) and the fine opening found
 * hardly more lines than the bold one, it saw only the bold lines (fine lines too faint or too close
 * to resolve), so bold / 5 is used too. Otherwise the bold opening is suspect (thick strokes of
 * trace or text, or no bold lines) and the fine spacing is used. The scale is the mean of the gaps
 * within a quarter of the chosen spacing, which keeps the fraction of a pixel the median rounds away.
 * A mask that holds only the bold lines (faint fine lines below the mask's threshold) cannot be told
 * from a fine grid, and then the scale comes out five times too large.
 * On pages 1600 px or more along the lines, the opened masks are shrunk four times along the lines
 * (a pixel set where any of its run is) before the Hough transform, whose cost is its points times
 * 180 angles: positions across the lines stay exact. {@link #detectAtFullResolution} is the
 * reference's transform over the whole masks.
 * A page turned by half a degree to six degrees (the segments' median angle) is measured across its
 * turned lines; an upright one exactly as the reference does.
 */
public final class GridDetector {
    /**
     * Opened masks are shrunk this many times along the lines before the Hough transform: the
     * transform's cost is its points times 180 angles, and only lines near the axes are wanted.
     */
    static final int SHRINK = 4;
    /** Lines shorter than this (px, the image's extent along them) are not shrunk. */
    static final int MIN_EXTENT_TO_SHRINK = 1600;
    /** Positions this close (px) belong to one line: a bold line's rows, anti-aliasing. */
    static final double MERGE_PX = 2.0;
    /** Gaps a spacing needs. */
    static final int MIN_GAPS = 2;
    private static final double MAX_TILT = Math.tan(Math.toRadians(2));
    /** Pages turned by up to this much (scans, photos) are measured across their turned lines. */
    private static final double MAX_TURN = Math.toRadians(6);
    /** Turns smaller than this (degrees) count as upright: segments within 2 degrees of the axis are lines. */
    static final double MIN_TILT_DEGREES = 0.5;
    /** On a turned page, segments within this of the page's angle are grid lines. */
    private static final double MAX_SPREAD = Math.toRadians(1.5);

    private GridDetector() {
    }

    /** Detects the grid of an image's colour separation. */
    public static Grid detect(ColorSeparation.Result separation) {
        return detect(separation.gridMask());
    }

    /** Detects the grid in an 8-bit mask (non-zero on grid pixels). */
    public static Grid detect(Mat gridMask) {
        return detect(gridMask, SHRINK);
    }

    /**
     * The reference's grid step as the spec defines it: the Hough transform over the whole opened
     * masks. Same result as {@link #detect(Mat)} but for sub-pixel differences; kept for comparisons
     * (the benchmark's OpenCV peer).
     */
    public static Grid detectAtFullResolution(Mat gridMask) {
        return detect(gridMask, 1);
    }

    private static Grid detect(Mat gridMask, int shrink) {
        if (gridMask.type() != CV_8UC1) {
            throw new IllegalArgumentException("grid mask must be 8-bit single channel, got OpenCV type "
                    + gridMask.type());
        }
        try (PointerScope scope = new PointerScope()) {
            double[] fineH = positions(gridMask, 1, 10, true, shrink);
            double[] fineV = positions(gridMask, 10, 1, false, shrink);
            double[] boldH = positions(gridMask, 3, 20, true, shrink);
            double[] boldV = positions(gridMask, 20, 3, false, shrink);
            double fine = spacing(fineH, fineV);
            double bold = spacing(boldH, boldV);
            double pxPerMm;
            Grid.Basis basis;
            double ratio = bold / fine;
            boolean fineSawOnlyBold = ratio < 1.5 && fineH.length + fineV.length <= 1.5 * (boldH.length + boldV.length);
            if (!Double.isNaN(bold) && (Double.isNaN(fine) || fineSawOnlyBold || (ratio >= 4 && ratio <= 6))) {
                pxPerMm = meanGapNear(bold, boldH, boldV) / 5;
                basis = Grid.Basis.BOLD;
            } else if (!Double.isNaN(fine)) {
                pxPerMm = meanGapNear(fine, fineH, fineV);
                basis = Grid.Basis.FINE;
            } else {
                pxPerMm = Double.NaN;
                basis = Grid.Basis.NONE;
            }
            return new Grid(fine, bold, fineH.length, fineV.length, boldH.length, boldV.length, pxPerMm, basis);
        }
    }

    /**
     * Positions of the lines along one axis: opening with a rows x cols kernel, Hough segments near
     * the axis, merged. Horizontal lines give y positions, vertical ones x. On a page turned by more
     * than {@value #MIN_TILT_DEGREES} degrees (the segments' length-weighted median angle), positions
     * are measured across the turned lines, so that each line keeps one position along its length.
     */
    static double[] positions(Mat mask, int kernelRows, int kernelCols, boolean horizontal, int shrink) {
        Mat opened = new Mat();
        Mat kernel = Mat.ones(kernelRows, kernelCols, CV_8U).asMat();
        opencv_imgproc.morphologyEx(mask, opened, MORPH_OPEN, kernel);
        int extent = horizontal ? mask.cols() : mask.rows();
        int minLength = Math.max(20, extent / 10);
        if (extent < MIN_EXTENT_TO_SHRINK) {
            shrink = 1; // small pages are cheap, and their short segments are best left whole
        }
        if (shrink > 1) {
            // Along the lines only: a pixel of the shrunk mask is set where any of its run is, so
            // positions across the lines stay exact while Hough has a shrink-th of the points to vote.
            Mat small = new Mat();
            org.bytedeco.opencv.opencv_core.Size size = horizontal
                    ? new org.bytedeco.opencv.opencv_core.Size((mask.cols() + shrink - 1) / shrink, mask.rows())
                    : new org.bytedeco.opencv.opencv_core.Size(mask.cols(), (mask.rows() + shrink - 1) / shrink);
            opencv_imgproc.resize(opened, small, size, 0, 0, opencv_imgproc.INTER_AREA);
            opencv_imgproc.threshold(small, opened, 0, 255, opencv_imgproc.THRESH_BINARY);
        }
        int length = Math.max(2, minLength / shrink);
        Vec4iVector lines = new Vec4iVector();
        opencv_imgproc.HoughLinesP(opened, lines, 1, Math.PI / 180, Math.max(1, length / 2), length,
                Math.max(1, 10 / shrink));
        // Each segment as (angle from the axis, length, midpoint along, midpoint across), in full-size pixels.
        List<double[]> near = new ArrayList<>();
        for (long i = 0; i < lines.size(); i++) {
            Scalar4i l = lines.get(i);
            double alongStart = (horizontal ? l.get(0) : l.get(1)) * (double) shrink + (shrink - 1) / 2.0;
            double alongEnd = (horizontal ? l.get(2) : l.get(3)) * (double) shrink + (shrink - 1) / 2.0;
            double along = alongEnd - alongStart;
            double across = horizontal ? l.get(3) - l.get(1) : l.get(2) - l.get(0);
            if (along < 0) {
                along = -along;
                across = -across;
            }
            double angle = Math.atan2(across, along);
            if (Math.abs(angle) <= MAX_TURN) {
                double midAlong = (alongStart + alongEnd) / 2.0;
                double midAcross = horizontal ? (l.get(1) + l.get(3)) / 2.0 : (l.get(0) + l.get(2)) / 2.0;
                near.add(new double[] {angle, Math.hypot(along, across), midAlong, midAcross});
            }
        }
        double turn = medianAngle(near);
        List<Double> found = new ArrayList<>();
        for (double[] seg : near) {
            if (turn == 0 ? Math.abs(Math.tan(seg[0])) <= MAX_TILT : Math.abs(seg[0] - turn) <= MAX_SPREAD) {
                // Across the turned line: constant along it (y cos t - x sin t for a horizontal line).
                found.add(seg[3] * Math.cos(turn) - seg[2] * Math.sin(turn));
            }
        }
        return merge(found);
    }

    /** The length-weighted median angle of the segments; 0 below {@value #MIN_TILT_DEGREES} degrees (an upright page). */
    static double medianAngle(List<double[]> segments) {
        if (segments.isEmpty()) {
            return 0;
        }
        List<double[]> byAngle = new ArrayList<>(segments);
        byAngle.sort(java.util.Comparator.comparingDouble(s -> s[0]));
        double total = byAngle.stream().mapToDouble(s -> s[1]).sum();
        double seen = 0;
        for (double[] s : byAngle) {
            seen += s[1];
            if (seen >= total / 2) {
                return Math.abs(s[0]) < Math.toRadians(MIN_TILT_DEGREES) ? 0 : s[0];
            }
        }
        return 0;
    }

    /** Sorted positions with runs closer than {@link #MERGE_PX} (chained) replaced by their mean. */
    static double[] merge(List<Double> positions) {
        double[] p = positions.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        List<Double> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= p.length; i++) {
            if (i == p.length || p[i] - p[i - 1] > MERGE_PX) {
                double sum = 0;
                for (int j = start; j < i; j++) {
                    sum += p[j];
                }
                out.add(sum / (i - start));
                start = i;
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Median gap over both directions after dropping gaps far from the first median; NaN when fewer
     * than {@value #MIN_GAPS} gaps are left (two lines say nothing about a grid).
     */
    static double spacing(double[] a, double[] b) {
        double[] gaps = new double[Math.max(0, a.length - 1) + Math.max(0, b.length - 1)];
        int n = 0;
        for (double[] p : new double[][] {a, b}) {
            for (int i = 1; i < p.length; i++) {
                gaps[n++] = p[i] - p[i - 1];
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        double m = median(Arrays.copyOf(gaps, n));
        double[] kept = Arrays.stream(gaps, 0, n).filter(g -> g >= 0.5 * m && g <= 1.5 * m).toArray();
        return kept.length < MIN_GAPS ? Double.NaN : median(kept);
    }

    /**
     * The mean of the gaps within a quarter of {@code spacing}: the scale without the whole-pixel
     * rounding of a median (lines 7.4 px apart give gaps of 7 and 8, whose median is 7 or 8).
     */
    static double meanGapNear(double spacing, double[] a, double[] b) {
        double sum = 0;
        int n = 0;
        for (double[] p : new double[][] {a, b}) {
            for (int i = 1; i < p.length; i++) {
                double g = p[i] - p[i - 1];
                if (Math.abs(g - spacing) <= 0.25 * spacing) {
                    sum += g;
                    n++;
                }
            }
        }
        return n == 0 ? spacing : sum / n;
    }

    static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
