package org.fieldwork.microscopy;

/**
 * The median of the background pixels (outside the cell mask) of every tile of a frame: numpy's
 * median, the mean of the two middle values for an even count. Integer pixels (8- and 16-bit
 * cameras) are counted in a histogram, exact and without sorting; others are sorted.
 */
final class TileMedians {
    private final BackgroundTiles columns;
    private final BackgroundTiles rows;
    private final int width;
    private int[] histogram;
    private float[] values;
    private int[] cellHistograms;
    /** Above this many counters (cells x value range) the per-cell histograms give way to one per tile. */
    private static final int MAX_CELL_COUNTERS = 1 << 22;

    TileMedians(BackgroundTiles columns, BackgroundTiles rows, int width) {
        this.columns = columns;
        this.rows = rows;
        this.width = width;
    }

    /**
     * Medians in row-major tile order (tile row j, tile column i at j * columns + i); a tile without
     * background pixels gets NaN.
     */
    double[] of(float[] frame, byte[] mask, boolean integerPixels) {
        int nx = columns.count();
        int ny = rows.count();
        double[] out = new double[nx * ny];
        boolean counted = integerPixels && fitsHistogram(frame);
        if (counted && byCells(frame, mask, out)) {
            return out;
        }
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                out[j * nx + i] = counted ? countedMedian(frame, mask, i, j) : sortedMedian(frame, mask, i, j);
            }
        }
        return out;
    }

    /**
     * The tiles overlap by half: each is 2 x 2 cells of the boundary grid. Counting every background
     * pixel once into its cell's histogram, then merging four cells per tile, costs a quarter of
     * counting per tile. False (nothing done) when the value range makes the histograms too large.
     */
    private boolean byCells(float[] frame, byte[] mask, double[] out) {
        int[] bx = boundaries(columns);
        int[] by = boundaries(rows);
        int cx = bx.length - 1;
        int cy = by.length - 1;
        int lo = Integer.MAX_VALUE;
        int hi = Integer.MIN_VALUE;
        for (int i = 0; i < frame.length; i++) {
            if (mask[i] == 0) {
                int v = (int) frame[i];
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (hi < lo) {
            java.util.Arrays.fill(out, Double.NaN);
            return true;
        }
        int range = hi - lo + 1;
        if ((long) range * cx * cy > MAX_CELL_COUNTERS) {
            return false;
        }
        int size = range * cx * cy;
        if (cellHistograms == null || cellHistograms.length < size) {
            cellHistograms = new int[size];
        } else {
            java.util.Arrays.fill(cellHistograms, 0, size, 0);
        }
        int[] h = cellHistograms;
        int[] cellOfX = new int[width];
        for (int c = 0; c < cx; c++) {
            for (int x = bx[c]; x < bx[c + 1]; x++) {
                cellOfX[x] = c;
            }
        }
        int[] counts = new int[cx * cy];
        for (int c = 0; c < cy; c++) {
            for (int y = by[c]; y < by[c + 1]; y++) {
                int row = y * width;
                int base = c * cx;
                for (int x = 0; x < width; x++) {
                    if (mask[row + x] == 0) {
                        int cell = base + cellOfX[x];
                        h[cell * range + (int) frame[row + x] - lo]++;
                        counts[cell]++;
                    }
                }
            }
        }
        int nx = columns.count();
        for (int j = 0; j < rows.count(); j++) {
            for (int i = 0; i < nx; i++) {
                int c00 = j * cx + i;
                int c01 = c00 + 1;
                int c10 = c00 + cx;
                int c11 = c10 + 1;
                int n = counts[c00] + counts[c01] + counts[c10] + counts[c11];
                if (n == 0) {
                    out[j * nx + i] = Double.NaN;
                    continue;
                }
                int lowRank = (n - 1) / 2;
                int highRank = n / 2;
                int seen = 0;
                int low = -1;
                int high = -1;
                for (int v = 0; v < range; v++) {
                    int k = h[c00 * range + v] + h[c01 * range + v] + h[c10 * range + v] + h[c11 * range + v];
                    if (k == 0) {
                        continue;
                    }
                    if (low < 0 && seen + k > lowRank) {
                        low = v;
                    }
                    if (seen + k > highRank) {
                        high = v;
                        break;
                    }
                    seen += k;
                }
                out[j * nx + i] = low == high ? low + lo : ((low + lo) + (double) (high + lo)) / 2;
            }
        }
        return true;
    }

    /** The cell boundaries b_0..b_{tiles+1}: tile i spans cells i and i + 1. */
    private static int[] boundaries(BackgroundTiles t) {
        int n = t.count();
        int[] b = new int[n + 2];
        for (int i = 0; i < n; i++) {
            b[i] = t.starts()[i];
        }
        b[n] = t.ends()[n - 2];
        b[n + 1] = t.ends()[n - 1];
        return b;
    }

    private static boolean fitsHistogram(float[] frame) {
        for (float v : frame) {
            if (!(v >= 0 && v <= 65535)) {
                return false;
            }
        }
        return true;
    }

    private double countedMedian(float[] frame, byte[] mask, int ti, int tj) {
        if (histogram == null) {
            histogram = new int[65536];
        }
        int[] h = histogram;
        int x0 = columns.starts()[ti], x1 = columns.ends()[ti];
        int n = 0;
        int max = 0;
        for (int y = rows.starts()[tj]; y < rows.ends()[tj]; y++) {
            int row = y * width;
            for (int x = x0; x < x1; x++) {
                if (mask[row + x] == 0) {
                    int v = (int) frame[row + x];
                    h[v]++;
                    n++;
                    max = Math.max(max, v);
                }
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        // The values at sorted positions (n-1)/2 and n/2.
        int lowRank = (n - 1) / 2;
        int highRank = n / 2;
        int seen = 0;
        int low = -1;
        int high = -1;
        for (int v = 0; v <= max; v++) {
            int c = h[v];
            if (c == 0) {
                continue;
            }
            if (low < 0 && seen + c > lowRank) {
                low = v;
            }
            if (seen + c > highRank) {
                high = v;
                break;
            }
            seen += c;
        }
        java.util.Arrays.fill(h, 0, max + 1, 0);
        return low == high ? low : (low + (double) high) / 2;
    }

    private double sortedMedian(float[] frame, byte[] mask, int ti, int tj) {
        int x0 = columns.starts()[ti], x1 = columns.ends()[ti];
        int size = (x1 - x0) * (rows.ends()[tj] - rows.starts()[tj]);
        if (values == null || values.length < size) {
            values = new float[size];
        }
        int n = 0;
        for (int y = rows.starts()[tj]; y < rows.ends()[tj]; y++) {
            int row = y * width;
            for (int x = x0; x < x1; x++) {
                if (mask[row + x] == 0) {
                    values[n++] = frame[row + x];
                }
            }
        }
        if (n == 0) {
            return Double.NaN;
        }
        java.util.Arrays.sort(values, 0, n);
        double low = values[(n - 1) / 2];
        double high = values[n / 2];
        return n % 2 == 1 ? low : (low + high) / 2;
    }
}
