package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGRA2BGR;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_GRAY2BGR;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Recovers each lead's signal from an image of a printed ECG, given the paper calibration (from grid
 * detection) and the layout. Steps: undo the page rotation measured on the grid lines ({@link
 * PageSkew}); separate the trace ink from the grid ({@link TraceInk}); find the layout's rows as
 * the strongest rows of ink (a trace spends most time near its baseline); per row, the ink's left
 * end is the row's time origin (moved in by the round cap: half the line's width less its antialiased
 * fringe, taken as one pixel each side); per panel,
 * follow the trace column by column ({@link PanelTrace}); convert rows to mV about the panel's median
 * row; resample at the calibration's rate.
 */
public final class EcgDigitizer {
    /** Ink pieces smaller than this in both directions are text or specks, not trace. */
    static final double MIN_TRACE_PIECE_MM = 4;
    /** Smaller rotations are within the Hough step's noise and left alone. */
    static final double MIN_SKEW_DEGREES = 0.1;
    /** Rows of the layout are at least this far apart. */
    static final double MIN_ROW_SEPARATION_MM = 10;

    /** Thrown when the image does not show the layout's rows. */
    public static final class NoTraceFound extends RuntimeException {
        public NoTraceFound(String message) {
            super(message);
        }
    }

    private EcgDigitizer() {
    }

    /** Digitizes an 8-bit image (BGR, BGRA or gray). */
    public static DigitizedEcg digitize(Mat image, EcgCalibration calibration, EcgLayout layout) {
        try (PointerScope scope = new PointerScope()) {
            Mat bgr = toBgr(image);
            double pxmm = calibration.pxPerMm();
            TraceInk ink = TraceInk.of(bgr, MIN_TRACE_PIECE_MM, pxmm);
            double skew = PageSkew.estimateDegrees(ink);
            if (Math.abs(skew) >= MIN_SKEW_DEGREES) {
                bgr = PageSkew.undo(bgr, skew);
                ink = TraceInk.of(bgr, MIN_TRACE_PIECE_MM, pxmm);
            } else {
                skew = 0;
            }
            return trace(ink, skew, calibration, layout);
        }
    }

    private static Mat toBgr(Mat image) {
        if (image.channels() == 3) {
            return image;
        }
        Mat out = new Mat();
        opencv_imgproc.cvtColor(image, out, image.channels() == 4 ? COLOR_BGRA2BGR : COLOR_GRAY2BGR);
        return out;
    }

    private static DigitizedEcg trace(TraceInk ink, double skew, EcgCalibration cal, EcgLayout layout) {
        int nRows = layout.rows().size();
        double[] baselines = findBaselines(ink, nRows, cal.pxPerMm());
        double pxPerSec = cal.pxPerSecond();
        double fs = cal.sampleRateHz();
        List<DigitizedEcg.Panel> panels = new ArrayList<>();
        for (int r = 0; r < nRows; r++) {
            double up = r > 0 ? 0.5 * (baselines[r] - baselines[r - 1])
                    : (nRows > 1 ? 0.5 * (baselines[1] - baselines[0]) : 20 * cal.pxPerMm());
            double down = r + 1 < nRows ? 0.5 * (baselines[r + 1] - baselines[r]) : up;
            int top = (int) Math.ceil(baselines[r] - up);
            int bottom = (int) Math.floor(baselines[r] + down);
            int[] extent = inkExtent(ink, top, bottom);
            if (extent == null) {
                throw new NoTraceFound("no trace ink in layout row " + (r + 1) + " (around image row " + Math.round(baselines[r]) + ")");
            }
            PanelTrace probe = PanelTrace.follow(ink, extent[0], Math.min(extent[1], extent[0] + (int) (2 * cal.pxPerMm())),
                    top, bottom, baselines[r]);
            double x0 = extent[0] + 0.5 * Math.max(0, probe.lineWidth - 2);
            for (EcgLayout.Panel place : layout.panels()) {
                if (place.row() != r) {
                    continue;
                }
                int count = (int) Math.round(place.seconds() * fs);
                double xStart = x0 + place.startSeconds() * pxPerSec;
                double xLast = xStart + (count - 1) / fs * pxPerSec;
                PanelTrace t = PanelTrace.follow(ink, (int) Math.round(xStart), (int) Math.round(xLast), top, bottom,
                        baselines[r]);
                double base = t.medianRow();
                double[] mv = new double[count];
                for (int k = 0; k < count; k++) {
                    double row = t.rowAt(xStart + k / fs * pxPerSec);
                    mv[k] = (base - row) / cal.pxPerMv();
                }
                double[] xs = new double[t.rows.length];
                double[] ys = new double[t.rows.length];
                double[] filled = t.filled();
                for (int j = 0; j < xs.length; j++) {
                    double[] p = PageSkew.toOriginal(t.firstColumn + j, filled[j], skew, ink.width, ink.height);
                    xs[j] = p[0];
                    ys[j] = p[1];
                }
                panels.add(new DigitizedEcg.Panel(place, xs, ys, base, new DigitizedEcg.Lead(place.lead(), fs, mv)));
            }
        }
        Map<String, DigitizedEcg.Lead> byLead = new LinkedHashMap<>();
        for (DigitizedEcg.Panel p : panels) {
            DigitizedEcg.Lead kept = byLead.get(p.place().lead());
            if (kept == null || kept.valuesMv().length < p.signal().valuesMv().length) {
                byLead.put(p.place().lead(), p.signal());
            }
        }
        return new DigitizedEcg(List.copyOf(byLead.values()), List.copyOf(panels), skew);
    }

    /**
     * The {@code n} image rows with the most ink after smoothing over about 1 mm, at least {@link
     * #MIN_ROW_SEPARATION_MM} apart, top to bottom.
     */
    static double[] findBaselines(TraceInk ink, int n, double pxPerMm) {
        double[] count = new double[ink.height];
        for (int y = 0; y < ink.height; y++) {
            int c = 0;
            for (int x = 0, i = y * ink.width; x < ink.width; x++, i++) {
                c += ink.ink[i];
            }
            count[y] = c;
        }
        int half = Math.max(1, (int) Math.round(0.5 * pxPerMm));
        double[] smooth = new double[ink.height];
        for (int y = 0; y < ink.height; y++) {
            double s = 0;
            for (int k = Math.max(0, y - half); k <= Math.min(ink.height - 1, y + half); k++) {
                s += count[k];
            }
            smooth[y] = s;
        }
        Integer[] order = new Integer[ink.height];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (p, q) -> Double.compare(smooth[q], smooth[p]));
        double sep = MIN_ROW_SEPARATION_MM * pxPerMm;
        List<Integer> chosen = new ArrayList<>();
        for (int y : order) {
            if (smooth[y] <= 0 || chosen.size() == n) {
                break;
            }
            if (chosen.stream().allMatch(c -> Math.abs(c - y) >= sep)) {
                chosen.add(y);
            }
        }
        if (chosen.size() < n) {
            throw new NoTraceFound("found " + chosen.size() + " rows of trace, the layout has " + n);
        }
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = count[chosen.get(i)] > 0 ? centreOfMass(count, chosen.get(i), half) : chosen.get(i);
        }
        Arrays.sort(out);
        return out;
    }

    private static double centreOfMass(double[] count, int y, int half) {
        double s = 0;
        double sy = 0;
        for (int k = Math.max(0, y - half); k <= Math.min(count.length - 1, y + half); k++) {
            s += count[k];
            sy += count[k] * k;
        }
        return s > 0 ? sy / s : y;
    }

    /** First and last column with ink between rows {@code top} and {@code bottom}, or null. */
    private static int[] inkExtent(TraceInk ink, int top, int bottom) {
        top = Math.max(0, top);
        bottom = Math.min(ink.height - 1, bottom);
        int left = -1;
        int right = -1;
        for (int x = 0; x < ink.width; x++) {
            for (int y = top; y <= bottom; y++) {
                if (ink.ink[y * ink.width + x] != 0) {
                    if (left < 0) {
                        left = x;
                    }
                    right = x;
                    break;
                }
            }
        }
        return left < 0 ? null : new int[] {left, right};
    }
}
