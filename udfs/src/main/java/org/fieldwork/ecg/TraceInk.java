package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_32S;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2HSV;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.global.opencv_ximgproc;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * The trace's ink on a printed ECG, separated from the grid by brightness (HSV V): the trace is
 * black, paper white, and grid lines are coloured (red, pink, green) and brighter than the ink. A
 * pixel is ink when darker than both {@link #MAX_VALUE} and three quarters of the darkest grid lines'
 * brightness (the 10th percentile of V over saturated pixels). Saturation alone cannot separate
 * them: a pixel half covered by black ink on a red line keeps the line's saturation. Pieces of ink
 * smaller than {@code minPieceMm} in both directions (lead names, specks) are dropped, so what is left
 * is the trace. Pixel data are kept as Java arrays, row-major.
 */
final class TraceInk {
    /** Ink is darker than this value (HSV V, 0..255). */
    static final int MAX_VALUE = 160;
    /** Pixels at least this saturated (0..255) and not dark are grid. */
    static final int MIN_GRID_SATURATION = 40;

    final int width;
    final int height;
    /** 1 where a pixel is trace ink (after dropping small pieces). */
    final byte[] ink;
    /** Darkness 255 - V of every pixel, the weight of a pixel within a trace run. */
    final byte[] darkness;
    /** 1 where a pixel is coloured and not dark: grid lines. */
    final byte[] grid;
    /** 1 on the ink's centre line (Zhang-Suen thinning), one pixel wide. */
    final byte[] centreLine;

    private TraceInk(int width, int height, byte[] ink, byte[] darkness, byte[] grid) {
        this.width = width;
        this.height = height;
        this.ink = ink;
        this.darkness = darkness;
        this.grid = grid;
        this.centreLine = thin(ink, width, height);
    }

    /** Separates ink and grid in an 8-bit BGR image. */
    static TraceInk of(Mat bgr, double minPieceMm, double pxPerMm) {
        int w = bgr.cols();
        int h = bgr.rows();
        Mat hsv = new Mat();
        opencv_imgproc.cvtColor(bgr, hsv, COLOR_BGR2HSV);
        byte[] px = new byte[w * h * 3];
        hsv.data().get(px);
        byte[] ink = new byte[w * h];
        byte[] dark = new byte[w * h];
        byte[] grid = new byte[w * h];
        int threshold = inkThreshold(px);
        for (int i = 0; i < w * h; i++) {
            int s = px[3 * i + 1] & 0xFF;
            int v = px[3 * i + 2] & 0xFF;
            dark[i] = (byte) (255 - v);
            if (v < threshold) {
                ink[i] = 1;
            } else if (s >= MIN_GRID_SATURATION) {
                grid[i] = 1;
            }
        }
        dropSmallPieces(ink, w, h, minPieceMm * pxPerMm);
        return new TraceInk(w, h, ink, dark, grid);
    }

    /** The V below which a pixel is ink: {@link #MAX_VALUE}, or less on a dark (green, say) grid. */
    static int inkThreshold(byte[] hsv) {
        int[] hist = new int[256];
        int n = 0;
        for (int i = 0; i + 2 < hsv.length; i += 3) {
            if ((hsv[i + 1] & 0xFF) >= MIN_GRID_SATURATION) {
                hist[hsv[i + 2] & 0xFF]++;
                n++;
            }
        }
        if (n == 0) {
            return MAX_VALUE;
        }
        int seen = 0;
        int v = 0;
        while (v < 255 && seen + hist[v] < 0.1 * n) {
            seen += hist[v++];
        }
        return Math.min(MAX_VALUE, (int) (0.75 * v));
    }

    /** Removes 8-connected pieces whose bounding box is under {@code minSize} pixels both wide and high. */
    private static void dropSmallPieces(byte[] ink, int w, int h, double minSize) {
        Mat mask = new Mat(h, w, CV_8UC1);
        mask.data().put(ink);
        Mat labels = new Mat();
        Mat stats = new Mat();
        Mat centroids = new Mat();
        int n = opencv_imgproc.connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
        int[] st = new int[n * 5];
        new IntPointer(stats.data()).get(st);
        boolean[] keep = new boolean[n];
        for (int k = 1; k < n; k++) {
            keep[k] = st[5 * k + 2] >= minSize || st[5 * k + 3] >= minSize;
        }
        int[] lab = new int[w * h];
        new IntPointer(labels.data()).get(lab);
        for (int i = 0; i < w * h; i++) {
            if (ink[i] != 0 && !keep[lab[i]]) {
                ink[i] = 0;
            }
        }
    }

    /** The one-pixel centre line of a 0/1 mask, by OpenCV's Zhang-Suen thinning. */
    private static byte[] thin(byte[] mask, int w, int h) {
        byte[] m255 = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            m255[i] = (byte) (mask[i] != 0 ? 255 : 0);
        }
        Mat in = new Mat(h, w, CV_8UC1);
        in.data().put(m255);
        Mat out = new Mat();
        opencv_ximgproc.thinning(in, out, opencv_ximgproc.THINNING_ZHANGSUEN);
        byte[] t = new byte[mask.length];
        out.data().get(t);
        for (int i = 0; i < t.length; i++) {
            t[i] = (byte) (t[i] != 0 ? 1 : 0);
        }
        return t;
    }

    /** The grid mask as an 8-bit Mat (255 on grid lines), for OpenCV line detection. */
    Mat gridMat() {
        byte[] g = new byte[grid.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (byte) (grid[i] != 0 ? 255 : 0);
        }
        Mat m = new Mat(height, width, CV_8UC1);
        new BytePointer(m.data()).put(g);
        return m;
    }
}
