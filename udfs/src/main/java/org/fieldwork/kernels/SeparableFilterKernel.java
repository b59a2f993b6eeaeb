package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * A separable float filter (Gaussian blur, float Sobel). Pass 0 filters rows into {@code tmp},
 * pass 1 filters columns of {@code tmp} into {@code dst}; one work item per pixel. Arithmetic as
 * documented on {@link FilterTaps}, borders as {@link Border} says. Only primitives and primitive
 * arrays: Aparapi translates this class to OpenCL.
 */
public class SeparableFilterKernel extends Kernel implements PixelKernel {
    float[] src = new float[1];
    float[] tmp = new float[1];
    float[] dst = new float[1];
    float[] kx = new float[1];
    float[] ky = new float[1];
    int width;
    int height;
    int nx;
    int ny;
    int rowMode;
    int columnMode;
    int border;

    /** Sizes the buffers (reusing them when the pixel count is unchanged) and copies the inputs in. */
    void prepare(FloatImage image, FilterTaps rowTaps, FilterTaps columnTaps, Border borderType) {
        int n = image.width() * image.height();
        if (src.length != n) {
            src = new float[n];
            tmp = new float[n];
            dst = new float[n];
        }
        System.arraycopy(image.pixels(), 0, src, 0, n);
        kx = rowTaps.tapsView();
        ky = columnTaps.tapsView();
        nx = kx.length;
        ny = ky.length;
        width = image.width();
        height = image.height();
        rowMode = rowTaps.rowMode;
        columnMode = columnTaps.columnMode;
        border = borderType.code;
    }



    /** A copy of the result of the last run. */
    float[] result() {
        return java.util.Arrays.copyOf(dst, width * height);
    }

    @Override
    public void run() {
        at(getGlobalId(), getPassId());
    }

    /** The Java path's loop, in this class so that the JIT sees one kernel's body and inlines it. */
    @Override
    public void atRange(int from, int to, int pass) {
        for (int i = from; i < to; i++) {
            at(i, pass);
        }
    }

    @Override
    public void at(int i, int pass) {
        if (i < width * height) {
            int x = i % width;
            int y = i / width;
            if (pass == 0) {
                tmp[i] = rowAt(x, y);
            } else {
                dst[i] = columnAt(x, y);
            }
        }
    }

    private int clampIndex(int p, int n) {
        int q = p;
        if (n == 1) {
            q = 0;
        } else if (border == 1) {
            q = max(0, min(n - 1, p));
        } else {
            while (q < 0 || q >= n) {
                if (q < 0) {
                    q = -q;
                } else {
                    q = 2 * n - 2 - q;
                }
            }
        }
        return q;
    }

    private float px(int x, int y) {
        return src[y * width + clampIndex(x, width)];
    }

    private float py(int x, int y) {
        return tmp[clampIndex(y, height) * width + x];
    }

    private float rowAt(int x, int y) {
        int a = nx / 2;
        float s = 0f;
        if (rowMode == 1 || rowMode == 2) {
            s = fma(px(x, y), kx[a], (px(x - 1, y) + px(x + 1, y)) * kx[a + 1]);
            if (rowMode == 2) {
                s = fma(px(x - 2, y) + px(x + 2, y), kx[a + 2], s);
            }
        } else if (rowMode == 3) {
            s = (px(x + 1, y) - px(x - 1, y)) * kx[a + 1];
        } else {
            s = kx[0] * px(x - a, y);
            for (int i = 1; i < nx; i++) {
                s = fma(px(x + i - a, y), kx[i], s);
            }
        }
        return s;
    }

    private float columnAt(int x, int y) {
        int a = ny / 2;
        float s = 0f;
        if (columnMode == 1) {
            s = fma(tmp[y * width + x], ky[a], 0f);
            for (int i = 1; i <= a; i++) {
                s = fma(py(x, y + i) + py(x, y - i), ky[a + i], s);
            }
        } else if (columnMode == 2) {
            for (int i = 1; i <= a; i++) {
                s = fma(py(x, y + i) - py(x, y - i), ky[a + i], s);
            }
        } else {
            s = fma(py(x, y - a), ky[0], 0f);
            for (int i = 1; i < ny; i++) {
                s = fma(py(x, y + i - a), ky[i], s);
            }
        }
        return s;
    }

    /**
     * The instance the Java path runs: the same body, with {@code fma} fused as OpenCL's is (Aparapi's
     * Java {@code fma} multiplies and adds in two roundings). Never translated to OpenCL.
     */
    static final class InJava extends SeparableFilterKernel {
        @Override
        protected float fma(float a, float b, float c) {
            return Math.fma(a, b, c);
        }
    }
}
