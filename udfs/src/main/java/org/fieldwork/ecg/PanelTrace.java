package org.fieldwork.ecg;

import java.util.Arrays;

/**
 * The trace's row in each column of one panel. Per column the ink runs inside the row's band are
 * found (gaps of one pixel bridged); the run nearest the previous column's run is the trace
 * (the first column takes the run nearest the baseline). A run about as tall as the line is
 * reduced to its darkness-weighted centroid. A taller run (a steep stroke) gives its top (bottom)
 * edge, moved in by half the line width, at the tip of a spike: the middle of a stretch of columns
 * with equal tops (bottoms) standing out from both neighbours; elsewhere the middle of the ink's
 * centre line in that column.
 */
final class PanelTrace {
    /** Column indices (image x) and the trace's row there (NaN where the column has no ink). */
    final int firstColumn;
    final double[] rows;
    /** Line width in pixels, as the lower quartile of the chosen runs' heights (flat stretches). */
    final double lineWidth;
    private double[] filledCache;

    private PanelTrace(int firstColumn, double[] rows, double lineWidth) {
        this.firstColumn = firstColumn;
        this.rows = rows;
        this.lineWidth = lineWidth;
    }

    /** Follows the ink through columns x0..x1 within rows top..bottom, starting near {@code baselineRow}. */
    static PanelTrace follow(TraceInk ink, int x0, int x1, int top, int bottom, double baselineRow) {
        int n = Math.max(0, x1 - x0 + 1);
        top = Math.max(0, top);
        bottom = Math.min(ink.height - 1, bottom);
        int[] a = new int[n];
        int[] b = new int[n];
        double[] centroid = new double[n];
        boolean[] found = new boolean[n];
        double prevA = baselineRow;
        double prevB = baselineRow;
        for (int j = 0; j < n; j++) {
            int x = x0 + j;
            if (x < 0 || x >= ink.width) {
                continue;
            }
            int bestA = -1;
            int bestB = -1;
            double bestCost = Double.MAX_VALUE;
            int y = top;
            while (y <= bottom) {
                if (ink.ink[y * ink.width + x] == 0) {
                    y++;
                    continue;
                }
                int start = y;
                int end = y;
                while (end + 1 <= bottom && (ink.ink[(end + 1) * ink.width + x] != 0
                        || (end + 2 <= bottom && ink.ink[(end + 2) * ink.width + x] != 0))) {
                    end++;
                }
                double gap = Math.max(0, Math.max(start - prevB, prevA - end));
                double cost = gap * 1000 + Math.abs(0.5 * (start + end) - 0.5 * (prevA + prevB));
                if (cost < bestCost) {
                    bestCost = cost;
                    bestA = start;
                    bestB = end;
                }
                y = end + 1;
            }
            if (bestA < 0) {
                continue;
            }
            found[j] = true;
            a[j] = bestA;
            b[j] = bestB;
            double sw = 0;
            double swy = 0;
            for (int yy = bestA; yy <= bestB; yy++) {
                double wgt = ink.ink[yy * ink.width + x] != 0 ? (ink.darkness[yy * ink.width + x] & 0xFF) : 0;
                sw += wgt;
                swy += wgt * yy;
            }
            centroid[j] = sw > 0 ? swy / sw : 0.5 * (bestA + bestB);
            prevA = bestA;
            prevB = bestB;
        }
        double[] heights = new double[n];
        int m = 0;
        for (int j = 0; j < n; j++) {
            if (found[j]) {
                heights[m++] = b[j] - a[j] + 1;
            }
        }
        double width = m == 0 ? 1 : quartile(Arrays.copyOf(heights, m));
        // Tips: the middle column(s) of a stretch of equal run tops (bottoms) that both neighbours
        // lie below (above); the line's thickness makes the stretch several columns wide.
        double[] peakDepth = tips(a, found, n, -1);
        double[] troughDepth = tips(b, found, n, +1);
        double half = 0.5 * (width - 1);
        double[] rows = new double[n];
        for (int j = 0; j < n; j++) {
            if (!found[j]) {
                rows[j] = Double.NaN;
                continue;
            }
            int len = b[j] - a[j] + 1;
            if (len <= width + 2) {
                rows[j] = centroid[j];
            } else if (peakDepth[j] > 0 && peakDepth[j] >= troughDepth[j]) {
                rows[j] = a[j] + half;
            } else if (troughDepth[j] > 0) {
                rows[j] = b[j] - half;
            } else {
                rows[j] = centreLineMid(ink.centreLine, ink.width, x0 + j, a[j], b[j], 0.5 * (a[j] + b[j]));
            }
        }
        return new PanelTrace(x0, rows, width);
    }

    /**
     * For edge rows {@code e} (run tops with {@code sign} -1, bottoms with +1): at the middle column(s)
     * of each stretch of equal edges that sticks out beyond both neighbouring columns, how far it
     * sticks out (the smaller of the two steps); 0 elsewhere.
     */
    private static double[] tips(int[] e, boolean[] found, int n, int sign) {
        double[] depth = new double[n];
        int s = 0;
        while (s < n) {
            if (!found[s]) {
                s++;
                continue;
            }
            int end = s;
            while (end + 1 < n && found[end + 1] && e[end + 1] == e[s]) {
                end++;
            }
            if (s > 0 && found[s - 1] && end + 1 < n && found[end + 1]) {
                int before = sign * (e[s] - e[s - 1]);
                int after = sign * (e[s] - e[end + 1]);
                if (before > 0 && after > 0) {
                    int m = (s + end) / 2;
                    depth[m] = Math.min(before, after);
                    if ((end - s) % 2 == 1) {
                        depth[m + 1] = depth[m];
                    }
                }
            }
            s = end + 1;
        }
        return depth;
    }

    /**
     * Middle of the centre line's pixels in column {@code x} between rows {@code a} and {@code b}:
     * on a steep stroke the thick line's run spans the neighbouring columns' values too, its centre
     * line only this column's. Falls back to {@code otherwise} where the centre line has no pixel there.
     */
    private static double centreLineMid(byte[] centre, int width, int x, int a, int b, double otherwise) {
        int lo = -1;
        int hi = -1;
        for (int y = a; y <= b; y++) {
            if (centre[y * width + x] != 0) {
                if (lo < 0) {
                    lo = y;
                }
                hi = y;
            }
        }
        return lo < 0 ? otherwise : 0.5 * (lo + hi);
    }

    /** The trace's row at fractional column {@code x}, linear between columns and across gaps, held at the ends. */
    double rowAt(double x) {
        double[] filled = filled();
        if (filled.length == 0) {
            return Double.NaN;
        }
        double u = x - firstColumn;
        if (u <= 0) {
            return filled[0];
        }
        if (u >= filled.length - 1) {
            return filled[filled.length - 1];
        }
        int i = (int) Math.floor(u);
        double f = u - i;
        return filled[i] * (1 - f) + filled[i + 1] * f;
    }

    /** Rows with gaps filled linearly and the ends held; NaN everywhere when the panel has no ink. */
    double[] filled() {
        if (filledCache != null) {
            return filledCache;
        }
        double[] out = rows.clone();
        int first = -1;
        for (int i = 0; i < out.length; i++) {
            if (!Double.isNaN(out[i])) {
                if (first < 0) {
                    Arrays.fill(out, 0, i, out[i]);
                } else if (i - first > 1) {
                    for (int k = first + 1; k < i; k++) {
                        double f = (k - first) / (double) (i - first);
                        out[k] = out[first] * (1 - f) + out[i] * f;
                    }
                }
                first = i;
            }
        }
        if (first >= 0) {
            Arrays.fill(out, first + 1, out.length, out[first]);
        }
        filledCache = out;
        return out;
    }

    /** Median of the rows that have ink. */
    double medianRow() {
        double[] v = Arrays.stream(rows).filter(d -> !Double.isNaN(d)).toArray();
        return v.length == 0 ? Double.NaN : median(v);
    }

    static double quartile(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 4];
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
