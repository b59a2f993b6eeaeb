package org.fieldwork.microscopy;

/**
 * Cell masks from phase contrast, PyAMA's way: cells are where the 3x3 local standard deviation is
 * well above that of the background. The log of the standard deviation is histogrammed; its most
 * common value is the background's, and everything 3 sigma of the background above it is a cell.
 * The raw mask is then closed, filled and cleaned by the spec's morphology. One instance per frame
 * size, reused for every frame of a field of view.
 */
public final class PhaseContrastBinarizer {
    /** Bins of the histogram of the log standard deviation. */
    static final int BINS = 200;
    private final int width;
    private final int height;
    private final double[] logStd;
    private final double[] below;
    private final BinaryMorphology morphology;
    private final PackedMorphology packed;
    private final long[] a;
    private final long[] b;
    private final long[] c;
    private final long[] d;
    private final int maskSize;
    private final double lnSamples;
    /** ln(k / 9) for the small integers k = 9 S that integer pixels give, computed once each: the background repeats them. */
    private final double[] logOfNinths = new double[1 << 17];
    private final double[] sumRow;
    private final double[] sumRow2;
    private final double[] sumRow3;
    private final double[] sqRow;
    private final double[] sqRow2;
    private final double[] sqRow3;
    private final double[] squares;

    /** PyAMA's binarizer: a 3x3 window. */
    public PhaseContrastBinarizer(int width, int height) {
        this(width, height, 3);
    }

    /** @param maskSize the side of the square window of the local standard deviation (odd, at least 3) */
    public PhaseContrastBinarizer(int width, int height, int maskSize) {
        if (maskSize < 3 || maskSize % 2 == 0) {
            throw new IllegalArgumentException("mask size must be odd and at least 3, got " + maskSize);
        }
        if (width <= maskSize / 2 || height <= maskSize / 2) {
            throw new IllegalArgumentException("frame of " + width + "x" + height + " is too small for a "
                    + maskSize + "x" + maskSize + " window");
        }
        this.maskSize = maskSize;
        this.lnSamples = Math.log(maskSize * maskSize - 1.0);
        this.width = width;
        this.height = height;
        this.logStd = new double[width * height];
        this.sumRow = new double[width];
        this.sumRow2 = new double[width];
        this.sumRow3 = new double[width];
        this.sqRow = new double[width];
        this.sqRow2 = new double[width];
        this.sqRow3 = new double[width];
        this.squares = new double[width];
        this.below = new double[width * height];
        this.morphology = new BinaryMorphology(width, height);
        this.packed = new PackedMorphology(width, height);
        this.a = packed.newMask();
        this.b = packed.newMask();
        this.c = packed.newMask();
        this.d = packed.newMask();
    }

    /** The cleaned cell mask (1 = cell) of one phase-contrast frame. */
    public byte[] binarize(float[] frame) {
        byte[] mask = new byte[width * height];
        binarize(frame, mask);
        return mask;
    }

    public void binarize(float[] frame, byte[] mask) {
        logStd(frame);
        threshold(mask);
        clean(mask);
    }

    /**
     * L = ln(sqrt(S / (n - 1))) with S the sum of squared deviations from the window's mean over its
     * n pixels, borders mirrored without repeating the edge. S is computed as (n sum v^2 - (sum v)^2) / n,
     * which for integer pixels is exact until the one final division.
     */
    void logStd(float[] f) {
        if (maskSize != 3) {
            logStdWide(f);
            return;
        }
        double lnEight = lnSamples;
        int w = width;
        // Sums of v and v^2 over each pixel's 3 columns (mirrored), for three rows at a time: the
        // window's sums are then three additions. Integer pixels keep every sum exact in any order.
        double[][] rowSum = {sumRow, sumRow2, sumRow3};
        double[][] rowSq = {sqRow, sqRow2, sqRow3};
        for (int y = 0; y < height; y++) {
            int ym = y == 0 ? 1 : y - 1;
            int yp = y == height - 1 ? height - 2 : y + 1;
            if (y == 0) {
                rowSums(f, ym, rowSum[0], rowSq[0]);
                rowSums(f, 0, rowSum[1], rowSq[1]);
            } else {
                double[] t = rowSum[0];
                rowSum[0] = rowSum[1];
                rowSum[1] = rowSum[2];
                rowSum[2] = t;
                t = rowSq[0];
                rowSq[0] = rowSq[1];
                rowSq[1] = rowSq[2];
                rowSq[2] = t;
            }
            rowSums(f, yp, rowSum[2], rowSq[2]);
            double[] s0 = rowSum[0], s1 = rowSum[1], s2 = rowSum[2];
            double[] q0 = rowSq[0], q1 = rowSq[1], q2 = rowSq[2];
            int r1 = y * w;
            for (int x = 0; x < w; x++) {
                double s = s0[x] + s1[x] + s2[x];
                double ss = q0[x] + q1[x] + q2[x];
                double nine = 9.0 * ss - s * s;
                double sq = nine / 9.0;
                int ki = (int) nine;
                if (ki == nine && ki > 0 && ki < logOfNinths.length) {
                    double l = logOfNinths[ki];
                    if (l == 0) {
                        l = Math.log(sq);
                        logOfNinths[ki] = l == 0 ? Double.MIN_VALUE : l;
                    }
                    logStd[r1 + x] = ((l == Double.MIN_VALUE ? 0 : l) - lnEight) / 2;
                } else {
                    logStd[r1 + x] = sq > 0 ? (Math.log(sq) - lnEight) / 2 : 0.0;
                }
            }
        }
    }

    /** Over each pixel of row y: the sum of v and of v^2 over its column and the two beside it, mirrored at the ends. */
    private void rowSums(float[] f, int y, double[] sum, double[] sq) {
        int w = width;
        int row = y * w;
        for (int x = 0; x < w; x++) {
            double v = f[row + x];
            squares[x] = v * v;
        }
        for (int x = 0; x < w; x++) {
            int l = x == 0 ? 1 : x - 1;
            int r = x == w - 1 ? w - 2 : x + 1;
            sum[x] = (double) f[row + l] + f[row + x] + f[row + r];
            sq[x] = squares[l] + squares[x] + squares[r];
        }
    }

    /** The same for windows wider than 3x3, summed per row of the window. */
    private void logStdWide(float[] f) {
        int r = maskSize / 2;
        double n = (double) maskSize * maskSize;
        int[] xs = new int[maskSize];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int k = 0; k < maskSize; k++) {
                    xs[k] = mirror(x + k - r, width);
                }
                double s = 0;
                double ss = 0;
                for (int j = 0; j < maskSize; j++) {
                    int row = mirror(y + j - r, height) * width;
                    for (int k = 0; k < maskSize; k++) {
                        double v = f[row + xs[k]];
                        s += v;
                        ss += v * v;
                    }
                }
                double sq = (n * ss - s * s) / n;
                logStd[y * width + x] = sq > 0 ? (Math.log(sq) - lnSamples) / 2 : 0.0;
            }
        }
    }

    /** Index p reflected into [0, n) without repeating the edge: -1 -> 1, n -> n - 2. */
    private static int mirror(int p, int n) {
        int q = p;
        while (q < 0 || q >= n) {
            q = q < 0 ? -q : 2 * n - 2 - q;
        }
        return q;
    }

    /** Mask = L >= m + 3 sigma, m the centre of the histogram's first fullest bin, sigma the std of L <= m. */
    void threshold(byte[] mask) {
        double m = modeCentre();
        int n = 0;
        for (double v : logStd) {
            if (v <= m) {
                below[n++] = v;
            }
        }
        double limit = m + 3 * NumpySums.stdInPlace(below, n);
        for (int i = 0; i < logStd.length; i++) {
            mask[i] = (byte) (logStd[i] >= limit ? 1 : 0);
        }
    }

    /** The centre of the first bin with the highest count of numpy's 200-bin histogram over [min, max]. */
    double modeCentre() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : logStd) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (lo == hi) {
            lo -= 0.5;
            hi += 0.5;
        }
        double[] edges = NumpyHistogram.edges(lo, hi, BINS);
        int[] counts = NumpyHistogram.counts(logStd, edges);
        int best = 0;
        for (int i = 1; i < BINS; i++) {
            if (counts[i] > counts[best]) {
                best = i;
            }
        }
        return (edges[best] + edges[best + 1]) / 2;
    }

    /**
     * Dilate (3x3), fill holes, keep what survives an opening by the 5x5 square without its corners
     * (2 iterations), erode by the cross with the outside counted as cell. On packed masks; the
     * rounded square is the union of a 5x3 and a 3x5 rectangle, the cross of a 3x1 and a 1x3.
     */
    void clean(byte[] mask) {
        packed.pack(mask, a);
        packed.rows(a, b, 1, false, 0);
        packed.columns(b, a, 1, false, 0);
        packed.unpack(a, mask);
        morphology.fillHoles(mask);
        packed.pack(mask, a);
        roundedSquare(a, b, true);
        roundedSquare(b, b, true);
        roundedSquare(b, b, false);
        roundedSquare(b, b, false);
        for (int i = 0; i < a.length; i++) {
            a[i] &= b[i];
        }
        packed.rows(a, b, 1, true, 1);
        packed.columns(a, c, 1, true, 1);
        for (int i = 0; i < a.length; i++) {
            a[i] = b[i] & c[i];
        }
        packed.unpack(a, mask);
    }

    /** Erosion (intersection of the two rectangles' erosions) or dilation (union) by the rounded 5x5, border 0. */
    private void roundedSquare(long[] in, long[] out, boolean erode) {
        packed.rows(in, c, 2, erode, 0);
        packed.columns(c, c, 1, erode, 0);
        packed.rows(in, d, 1, erode, 0);
        packed.columns(d, d, 2, erode, 0);
        for (int i = 0; i < out.length; i++) {
            out[i] = erode ? c[i] & d[i] : c[i] | d[i];
        }
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
