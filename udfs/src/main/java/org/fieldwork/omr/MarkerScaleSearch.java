package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.DFT_REAL_OUTPUT;
import static org.bytedeco.opencv.global.opencv_core.DFT_SCALE;

import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * The best normalized correlation coefficient (OpenCV's TM_CCOEFF_NORMED) of each of several
 * templates anywhere in one image, without a full matchTemplate per template. CropOnMarkers asks
 * this for eleven marker sizes per sheet, and matchTemplate transforms the whole sheet again for
 * each of them. Here the sheet is cut once into overlapping windows whose spectra every template
 * reuses, so a template costs one inverse transform per window, and positions that cannot beat
 * the best so far are rejected without a square root or a division.
 *
 * <p>The maxima agree with matchTemplate's to about 1e-6 (both correlate in float32). Maxima
 * below 0 are reported as 0. Callers that need OpenCV's exact value recompute the few templates
 * that can still be the best with matchTemplate itself (see {@link CropOnMarkers}).
 */
final class MarkerScaleSearch {
    private final int width;
    private final int height;
    private final byte[] pixels;
    private final int window;
    private final int step;
    private final int minTemplate;
    private final int[] windowX;
    private final int[] windowY;
    private final Mat[] spectra;
    /** Per-position normalization of the current template; sized for the smallest one, reused. */
    private final float[] spread;

    /**
     * @param image       8-bit gray image to search
     * @param maxTemplate the largest template side that will be asked for
     * @param minTemplate the smallest template side that will be asked for (bounds the positions)
     */
    MarkerScaleSearch(Mat image, int maxTemplate, int minTemplate) {
        width = image.cols();
        height = image.rows();
        pixels = GrayMats.pixels(image);
        // A window at least four times the template keeps the overlap between windows small.
        int d = 256;
        while (d < 4 * maxTemplate) {
            d *= 2;
        }
        window = d;
        step = window - maxTemplate + 1;
        this.minTemplate = minTemplate;

        // Centred on 128 so that float32 keeps more of each product (the template is zero-mean, so
        // the shift does not change the correlation).
        Mat centred = new Mat();
        image.convertTo(centred, CV_32F, 1.0, -128.0);
        int positionsX = Math.max(1, width - minTemplate + 1);
        int positionsY = Math.max(1, height - minTemplate + 1);
        int nx = (positionsX + step - 1) / step;
        int ny = (positionsY + step - 1) / step;
        windowX = new int[nx * ny];
        windowY = new int[nx * ny];
        spectra = new Mat[nx * ny];
        spread = new float[positionsX * positionsY];
        int k = 0;
        for (int wy = 0; wy < ny; wy++) {
            for (int wx = 0; wx < nx; wx++) {
                int x0 = wx * step;
                int y0 = wy * step;
                Mat padded = new Mat(window, window, CV_32F, new Scalar(0));
                int w = Math.min(window, width - x0);
                int h = Math.min(window, height - y0);
                centred.apply(new Rect(x0, y0, w, h)).copyTo(padded.apply(new Rect(0, 0, w, h)));
                Mat spectrum = new Mat();
                opencv_core.dft(padded, spectrum, 0, h);
                windowX[k] = x0;
                windowY[k] = y0;
                spectra[k++] = spectrum;
            }
        }
    }

    /** The largest TM_CCOEFF_NORMED value (at least 0) of {@code template} (8-bit gray) over every position where it fits. */
    float max(Mat template) {
        int tw = template.cols();
        int th = template.rows();
        int maxSide = window - step + 1;
        if (tw > width || th > height || Math.max(tw, th) > maxSide || Math.min(tw, th) < minTemplate) {
            throw new IllegalArgumentException("template " + tw + "x" + th + " outside the sizes this search was set up for ("
                    + minTemplate + ".." + maxSide + ")");
        }
        byte[] tp = GrayMats.pixels(template);
        double n = (double) tw * th;
        double tSum = 0;
        double tSumSq = 0;
        for (byte b : tp) {
            int v = b & 0xff;
            tSum += v;
            tSumSq += (double) v * v;
        }
        double tMean = tSum / n;
        double templNormSq = Math.max(tSumSq - tSum * tMean, 0);
        if (templNormSq < 1e-12) {
            return 1f; // a flat template: matchTemplate answers 1 everywhere
        }
        int cols = width - tw + 1;
        int rows = height - th + 1;
        windowSpread(tw, th, cols, rows, templNormSq);

        Mat t = new Mat();
        template.convertTo(t, CV_32F, 1.0, -tMean);
        Mat padded = new Mat(window, window, CV_32F, new Scalar(0));
        t.copyTo(padded.apply(new Rect(0, 0, tw, th)));
        Mat tSpectrum = new Mat();
        opencv_core.dft(padded, tSpectrum, 0, th);

        float[] corr = new float[window * window];
        Mat product = new Mat();
        Mat result = new Mat();
        double best = 0;
        double bestSq = 0;
        for (int k = 0; k < spectra.length; k++) {
            int x0 = windowX[k];
            int y0 = windowY[k];
            int xs = Math.min(step, cols - x0);
            int ys = Math.min(step, rows - y0);
            if (xs <= 0 || ys <= 0) {
                continue;
            }
            opencv_core.mulSpectrums(spectra[k], tSpectrum, product, 0, true);
            // Only the first ys rows of the correlation are read: let the transform skip the rest.
            opencv_core.idft(product, result, DFT_SCALE | DFT_REAL_OUTPUT, ys);
            new FloatPointer(result.data()).get(corr, 0, ys * window);
            for (int dy = 0; dy < ys; dy++) {
                int c = dy * window;
                int p = (y0 + dy) * cols + x0;
                for (int dx = 0; dx < xs; dx++) {
                    double num = corr[c + dx];
                    // v = num / sqrt(spread) > best  <=>  num > 0 and num^2 > best^2 * spread
                    if (num <= 0 || num * num <= bestSq * spread[p + dx]) {
                        continue;
                    }
                    double denom = Math.sqrt(spread[p + dx]);
                    double v;
                    if (num < denom) {
                        v = num / denom;
                    } else if (num < denom * 1.125) {
                        v = 1; // matchTemplate's clamp for rounding at near-flat windows
                    } else {
                        v = 0;
                    }
                    if (v > best) {
                        best = v;
                        bestSq = v * v;
                    }
                }
            }
        }
        return (float) best;
    }

    /**
     * For every position, sum((I - mean(I))^2) over the template's window times the template's own
     * sum((T - mean(T))^2): the square of the normalization. Window sums slide over exact integer
     * column sums, one add and one subtract per pixel (an int column holds 33000 rows of 255^2;
     * the window terms stay within a long for templates up to 3400 x 3400).
     */
    private void windowSpread(int tw, int th, int cols, int rows, double templNormSq) {
        float[] out = spread;
        // An int column sum holds up to 33000 rows of 255^2 (see above).
        int[] colSum = new int[width];
        int[] colSq = new int[width];
        for (int y = 0; y < th; y++) {
            addRow(y, colSum, colSq, 1);
        }
        long area = (long) tw * th;
        double scale = templNormSq / area;
        for (int y = 0; y < rows; y++) {
            long s = 0;
            long sq = 0;
            for (int x = 0; x < tw; x++) {
                s += colSum[x];
                sq += colSq[x];
            }
            int o = y * cols;
            for (int x = 0; x < cols; x++) {
                if (x > 0) {
                    s += colSum[x + tw - 1] - colSum[x - 1];
                    sq += colSq[x + tw - 1] - colSq[x - 1];
                }
                // n * sum(v^2) - (sum v)^2 is exact in integers: a flat window is exactly 0, never
                // a rounding residue that float noise in the correlation could divide into a match.
                out[o + x] = (float) ((area * sq - s * s) * scale);
            }
            if (y + 1 < rows) {
                addRow(y, colSum, colSq, -1);
                addRow(y + th, colSum, colSq, 1);
            }
        }
    }

    private void addRow(int y, int[] colSum, int[] colSq, int sign) {
        int o = y * width;
        for (int x = 0; x < width; x++) {
            int v = pixels[o + x] & 0xff;
            colSum[x] += sign * v;
            colSq[x] += sign * v * v;
        }
    }

    /** The maxima of several templates, in order. */
    float[] maxima(List<Mat> templates) {
        float[] out = new float[templates.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = max(templates.get(i));
        }
        return out;
    }
}
