package org.fieldwork.microscopy;

/**
 * The overlapping tiles of one image axis that the background is estimated on: boundaries b are
 * {@code div*2-1} points spread evenly over [0, n] and rounded half to even; tile i spans
 * [b_i, b_{i+2}), so neighbouring tiles overlap by half, and its centre is (b_i + b_{i+2}) / 2.
 */
record BackgroundTiles(int[] starts, int[] ends, double[] centres) {

    static BackgroundTiles of(int n, int divisions) {
        if (divisions < 3) {
            throw new IllegalArgumentException("tile divisions must be at least 3, got " + divisions);
        }
        int points = 2 * divisions - 1;
        int[] b = new int[points];
        double step = (double) n / (points - 1);
        for (int i = 0; i < points; i++) {
            b[i] = (int) Math.rint(i == points - 1 ? n : i * step);
        }
        int tiles = points - 2;
        int[] s = new int[tiles];
        int[] e = new int[tiles];
        double[] c = new double[tiles];
        for (int i = 0; i < tiles; i++) {
            s[i] = b[i];
            e[i] = b[i + 2];
            c[i] = (b[i] + b[i + 2]) / 2.0;
        }
        return new BackgroundTiles(s, e, c);
    }

    int count() {
        return starts.length;
    }
}
