package org.fieldwork.microscopy;

/**
 * Schwarzfischer's background as PyAMA computes it: the medians of the background pixels of
 * overlapping tiles, interpolated by a not-a-knot bicubic spline through the tile centres and
 * held constant beyond the outermost centres. A frame with a tile its cells cover completely has
 * no background. The surface is a weighted sum of medians with weights fixed per axis.
 */
public final class TileSplineBackground implements BackgroundModel {
    private final int width;
    private final int height;
    private final BackgroundTiles columns;
    private final BackgroundTiles rows;
    private final CubicSplineWeights down;     // along y, through the tile rows' centres
    private final double[] acrossSums;
    private final double[] downSums;
    private final TileMedians medians;
    private final int[] pieceOfColumn;     // per column, the spline piece its (clamped) position falls in
    private final double[] offsetOfColumn; // and its distance from that piece's first knot
    private String whyNot;

    /**
     * @param divHoriz tile divisions along x (PyAMA: 7)
     * @param divVert  tile divisions along y (PyAMA: 5)
     */
    public TileSplineBackground(int width, int height, int divHoriz, int divVert) {
        this.width = width;
        this.height = height;
        this.columns = BackgroundTiles.of(width, divHoriz);
        this.rows = BackgroundTiles.of(height, divVert);
        if (!distinct(columns.centres()) || !distinct(rows.centres())) {
            throw new IllegalArgumentException("a " + width + "x" + height + " frame is too small for " + divHoriz + " x "
                    + divVert + " background tile divisions (--div-horiz, --div-vert): two tiles would share a centre");
        }
        this.down = CubicSplineWeights.at(rows.centres(), height);
        this.acrossSums = CubicSplineWeights.at(columns.centres(), width).columnSums();
        this.downSums = down.columnSums();
        this.medians = new TileMedians(columns, rows, width);
        double[] c = columns.centres();
        this.pieceOfColumn = new int[width];
        this.offsetOfColumn = new double[width];
        for (int x = 0; x < width; x++) {
            double pos = Math.min(Math.max(x, c[0]), c[c.length - 1]);
            int k = 0;
            while (k < c.length - 2 && pos >= c[k + 1]) {
                k++;
            }
            pieceOfColumn[x] = k;
            offsetOfColumn[x] = pos - c[k];
        }
    }

    private static boolean distinct(double[] centres) {
        for (int i = 1; i < centres.length; i++) {
            if (!(centres[i] > centres[i - 1])) {
                return false;
            }
        }
        return true;
    }

    /** The tile medians, row-major by tile; null when a tile has no background pixel. */
    @Override
    public double[] fit(float[] frame, byte[] mask, boolean integerPixels) {
        double[] m = medians.of(frame, mask, integerPixels);
        for (int i = 0; i < m.length; i++) {
            if (Double.isNaN(m[i])) {
                whyNot = "tile (row " + i / columns.count() + ", column " + i % columns.count() + ") has no background"
                        + " pixel (cells cover it)";
                return null;
            }
        }
        return m;
    }

    @Override
    public String whyNot() {
        return whyNot;
    }

    /**
     * The spline along y through each tile column (fixed weights), then the spline along x through
     * those values, evaluated piece by piece: four multiply-adds a pixel.
     */
    @Override
    public void surfaceRow(double[] tileMedians, int y, double[] out) {
        int nx = columns.count();
        int ny = rows.count();
        double[] atRow = new double[nx];
        for (int i = 0; i < nx; i++) {
            double v = 0;
            for (int j = 0; j < ny; j++) {
                v += down.weight(y, j) * tileMedians[j * nx + i];
            }
            atRow[i] = v;
        }
        double[][] c = CubicSplineWeights.pieces(columns.centres(), atRow);
        for (int x = 0; x < width; x++) {
            double[] p = c[pieceOfColumn[x]];
            double t = offsetOfColumn[x];
            out[x] = p[0] + t * (p[1] + t * (p[2] + t * p[3]));
        }
    }

    /** From the weights' sums rather than the pixels. */
    @Override
    public double surfaceMean(double[] tileMedians) {
        int nx = columns.count();
        double s = 0;
        for (int j = 0; j < rows.count(); j++) {
            for (int i = 0; i < nx; i++) {
                s += downSums[j] * acrossSums[i] * tileMedians[j * nx + i];
            }
        }
        return s / ((double) width * height);
    }
}
