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
        for (int j = 0; j < ny; j++) {
            for (int i = 0; i < nx; i++) {
                out[j * nx + i] = counted ? countedMedian(frame, mask, i, j) : sortedMedian(frame, mask, i, j);
            }
        }
        return out;
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
