package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * Local mean and variance over a box window; {@link BoxStats} has the definition. Pass 0 sums rows
 * (double), pass 1 sums columns and writes mean and variance. Needs double support on an OpenCL
 * device (cl_khr_fp64).
 */
public class BoxStatsKernel extends Kernel implements PixelKernel {
    float[] src = new float[1];
    double[] rowSum = new double[1];
    double[] rowSumSq = new double[1];
    float[] mean = new float[1];
    float[] variance = new float[1];
    int width;
    int height;
    int kw;
    int kh;
    int border;
    int withVariance;
    double scale;

    void prepare(FloatImage image, int windowWidth, int windowHeight, Border borderType, boolean variance) {
        int n = image.width() * image.height();
        if (src.length != n) {
            src = new float[n];
            rowSum = new double[n];
            rowSumSq = new double[n];
            mean = new float[n];
            this.variance = new float[n];
        }
        System.arraycopy(image.pixels(), 0, src, 0, n);
        width = image.width();
        height = image.height();
        kw = windowWidth;
        kh = windowHeight;
        border = borderType.code;
        withVariance = variance ? 1 : 0;
        scale = 1.0 / (windowWidth * windowHeight);
    }



    float[] meanResult() {
        return java.util.Arrays.copyOf(mean, width * height);
    }

    float[] varianceResult() {
        return java.util.Arrays.copyOf(variance, width * height);
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
                sumRow(i, x, y);
            } else {
                sumColumn(i, x, y);
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

    private void sumRow(int i, int x, int y) {
        int ax = kw / 2;
        double s = 0.0;
        double ss = 0.0;
        for (int k = 0; k < kw; k++) {
            float v = src[y * width + clampIndex(x + k - ax, width)];
            s = s + v;
            if (withVariance == 1) {
                // Square in float (as OpenCV's multiply), then widen; a separate statement so an
                // OpenCL compiler cannot contract it into a double fma.
                float sq = v * v;
                ss = ss + sq;
            }
        }
        rowSum[i] = s;
        rowSumSq[i] = ss;
    }

    private void sumColumn(int i, int x, int y) {
        int ay = kh / 2;
        double s = 0.0;
        double ss = 0.0;
        for (int k = 0; k < kh; k++) {
            int r = clampIndex(y + k - ay, height) * width + x;
            s = s + rowSum[r];
            ss = ss + rowSumSq[r];
        }
        float m = (float) (s * scale);
        mean[i] = m;
        if (withVariance == 1) {
            float sqMean = (float) (ss * scale);
            variance[i] = max(0f, fma(-m, m, sqMean));
        }
    }

    /**
     * The instance the Java path runs: the same body, with {@code fma} fused as OpenCL's is (Aparapi's
     * Java {@code fma} multiplies and adds in two roundings). Never translated to OpenCL.
     */
    static final class InJava extends BoxStatsKernel {
        @Override
        protected float fma(float a, float b, float c) {
            return Math.fma(a, b, c);
        }
    }
}
