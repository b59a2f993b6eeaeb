package org.fieldwork.kernels;

/**
 * Pure-Java twin of {@link SeparableFilterKernel}: row pass into a float buffer, then column pass,
 * with the evaluation order documented on {@link FilterTaps}.
 */
final class SeparableFilter {
    private SeparableFilter() {
    }

    static FloatImage apply(FloatImage src, FilterTaps rowTaps, FilterTaps columnTaps, Border border) {
        int w = src.width();
        int h = src.height();
        float[] in = src.pixels();
        float[] tmp = new float[w * h];
        float[] out = new float[w * h];
        float[] kx = rowTaps.tapsView();
        float[] ky = columnTaps.tapsView();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                tmp[y * w + x] = row(in, w, y * w, x, kx, rowTaps.rowMode, border.code);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out[y * w + x] = column(tmp, w, h, x, y, ky, columnTaps.columnMode, border.code);
            }
        }
        return new FloatImage(w, h, out);
    }

    private static float row(float[] in, int w, int rowStart, int x, float[] k, int mode, int border) {
        int a = k.length / 2;
        if (mode == FilterTaps.ROW_SYMMETRIC_3 || mode == FilterTaps.ROW_SYMMETRIC_5) {
            float s = Math.fma(px(in, w, rowStart, x, border), k[a],
                    (px(in, w, rowStart, x - 1, border) + px(in, w, rowStart, x + 1, border)) * k[a + 1]);
            if (mode == FilterTaps.ROW_SYMMETRIC_5) {
                s = Math.fma(px(in, w, rowStart, x - 2, border) + px(in, w, rowStart, x + 2, border), k[a + 2], s);
            }
            return s;
        }
        if (mode == FilterTaps.ROW_ANTISYMMETRIC_3) {
            return (px(in, w, rowStart, x + 1, border) - px(in, w, rowStart, x - 1, border)) * k[a + 1];
        }
        float s = k[0] * px(in, w, rowStart, x - a, border);
        for (int i = 1; i < k.length; i++) {
            s = Math.fma(px(in, w, rowStart, x + i - a, border), k[i], s);
        }
        return s;
    }

    private static float column(float[] tmp, int w, int h, int x, int y, float[] k, int mode, int border) {
        int a = k.length / 2;
        if (mode == FilterTaps.COLUMN_SYMMETRIC) {
            float s = Math.fma(tmp[y * w + x], k[a], 0f);
            for (int i = 1; i <= a; i++) {
                s = Math.fma(py(tmp, w, h, x, y + i, border) + py(tmp, w, h, x, y - i, border), k[a + i], s);
            }
            return s;
        }
        if (mode == FilterTaps.COLUMN_ANTISYMMETRIC) {
            float s = 0f;
            for (int i = 1; i <= a; i++) {
                s = Math.fma(py(tmp, w, h, x, y + i, border) - py(tmp, w, h, x, y - i, border), k[a + i], s);
            }
            return s;
        }
        float s = Math.fma(py(tmp, w, h, x, y - a, border), k[0], 0f);
        for (int i = 1; i < k.length; i++) {
            s = Math.fma(py(tmp, w, h, x, y + i - a, border), k[i], s);
        }
        return s;
    }

    private static float px(float[] in, int w, int rowStart, int x, int border) {
        return in[rowStart + Border.interpolate(x, w, border)];
    }

    private static float py(float[] tmp, int w, int h, int x, int y, int border) {
        return tmp[Border.interpolate(y, h, border) * w + x];
    }
}
