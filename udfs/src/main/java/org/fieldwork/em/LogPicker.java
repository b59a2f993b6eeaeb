package org.fieldwork.em;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Blob picking with a scale-normalised Laplacian of Gaussian, as in RELION's LoG picker (Gunn's
 * multi-scale blob detection):
 * <ol>
 * <li>box-bin the micrograph so the particle radius is about {@link PickSettings#workingRadiusPx()}
 * pixels, subtract its mean and pad it by mirror reflection to an FFT-friendly size (the reflection
 * keeps the border free of the step a periodic transform would see);</li>
 * <li>one forward FFT; per scale {@code s} (radius {@code r = s * R}, sigma {@code r / sqrt 2}, the
 * sigma at which the normalised LoG of a disc of radius r peaks) multiply by
 * {@code -sigma^2 (2 pi f)^2 exp(-2 pi^2 sigma^2 f^2)} times the Gaussian low-pass, and transform
 * back: {@code sigma^2 Laplacian(G_sigma * image)}, positive at the centre of a dark blob (negated for
 * bright particles);</li>
 * <li>keep the best response over scales per pixel; threshold it at mean + k * std of the background
 * response in the pickable area (inside the edge margin);</li>
 * <li>local maxima above the threshold, best first, are accepted unless within the minimum distance of
 * an accepted pick (greedy non-maximum suppression); each is refined to sub-pixel by a parabola per
 * axis and mapped back to full-resolution pixels.</li>
 * </ol>
 * The background statistics leave out the response within 1.5 radii of the picks and values beyond
 * 3 standard deviations; since the picks depend on the threshold, picking and statistics alternate
 * (from a generous first set at k = 1) until the picks stop changing, a few rounds. Statistics of the
 * whole micrograph would grow with the particles' own responses, so that a crowded micrograph would
 * lose most of its particles at the k that keeps pure noise nearly free of picks.
 * <p>
 * The score of a pick is its response in standard deviations above the background mean. A linear
 * background gradient has no Laplacian, so it does not shift the response.
 */
public final class LogPicker {
    /** Responses this many standard deviations from the mean are left out of the background statistics. */
    static final double CLIP = 3;
    /** Around each pick, this many particle radii of response are left out of the background statistics. */
    static final double FOOTPRINT = 1.5;
    /** The first set of picks, whose footprints the background statistics leave out, is taken at this k. */
    static final double BOOTSTRAP_SIGMA = 1;
    /** Rounds of statistics and picking at most. */
    static final int MAX_ITERATIONS = 6;
    /** The background statistics need at least this fraction of the pickable area; else the last ones stand. */
    static final double MIN_BACKGROUND = 0.1;

    private LogPicker() {
    }

    /** Picks in {@code micrograph} ({@code width x height}, row-major), best score first. */
    public static List<Pick> pick(float[] micrograph, int width, int height, PickSettings s) {
        if (micrograph.length != width * height) {
            throw new IllegalArgumentException("micrograph has " + micrograph.length + " values, expected "
                    + width + "x" + height);
        }
        int bin = s.binning();
        int bw = BoxBinning.binnedSize(width, bin);
        int bh = BoxBinning.binnedSize(height, bin);
        if (bw < 3 || bh < 3) {
            return List.of();
        }
        double workingPixelA = s.pixelSizeA() * bin;
        double radius = s.particleDiameterA() / 2 / workingPixelA;
        float[] best = bestResponse(BoxBinning.bin(micrograph, width, height, bin), bw, bh, radius, workingPixelA, s);

        // Pickable area in working pixels: centres at least the edge margin from the full-resolution border.
        double margin = s.edgeMarginA() / s.pixelSizeA();
        int x0 = (int) Math.ceil(BoxBinning.toBinned(margin, bin));
        int x1 = (int) Math.floor(BoxBinning.toBinned(width - 1 - margin, bin));
        int y0 = (int) Math.ceil(BoxBinning.toBinned(margin, bin));
        int y1 = (int) Math.floor(BoxBinning.toBinned(height - 1 - margin, bin));
        x0 = Math.max(x0, 0);
        y0 = Math.max(y0, 0);
        x1 = Math.min(x1, bw - 1);
        y1 = Math.min(y1, bh - 1);
        if (x1 < x0 || y1 < y0) {
            return List.of();
        }
        Rect area = new Rect(bw, x0, x1, y0, y1);
        long[] candidates = localMaxima(best, bw, bh, area);
        double minDistance = s.minDistanceA() / workingPixelA;
        double footprint = FOOTPRINT * radius;

        // Background statistics: those of the whole area let through a generous first set of picks; the
        // statistics without their footprints set the threshold for the next set, until it stops changing.
        // Dense particles would otherwise inflate the statistics and the threshold with them.
        boolean[] particle = new boolean[bw * bh];
        double[] stats = clippedMeanStd(best, area, particle);
        int[] accepted = suppress(candidates, best, bw, bh, threshold(stats, Math.min(s.thresholdSigma(), BOOTSTRAP_SIGMA)),
                minDistance);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            Arrays.fill(particle, false);
            for (int i : accepted) {
                disc(particle, bw, bh, i % bw, i / bw, footprint);
            }
            double[] background = clippedMeanStd(best, area, particle);
            if (background == null) {
                if (iteration == 0) {
                    accepted = suppress(candidates, best, bw, bh, threshold(stats, s.thresholdSigma()), minDistance);
                }
                break;
            }
            stats = background;
            int[] next = suppress(candidates, best, bw, bh, threshold(stats, s.thresholdSigma()), minDistance);
            boolean stable = Arrays.equals(next, accepted);
            accepted = next;
            if (stable) {
                break;
            }
        }
        if (!(stats[1] > 0)) {
            return List.of();
        }
        double mean = stats[0];
        double std = stats[1];
        double lowX = margin;
        double highX = width - 1 - margin;
        double lowY = margin;
        double highY = height - 1 - margin;
        if (s.maxPicks() > 0 && accepted.length > s.maxPicks()) {
            accepted = Arrays.copyOf(accepted, s.maxPicks());
        }
        List<Pick> picks = new ArrayList<>(accepted.length);
        for (int i : accepted) {
            int cx = i % bw;
            int cy = i / bw;
            double sx = cx + vertexOffset(best, i, 1, cx > 0, cx < bw - 1);
            double sy = cy + vertexOffset(best, i, bw, cy > 0, cy < bh - 1);
            double x = Math.max(lowX, Math.min(highX, BoxBinning.toInput(sx, bin)));
            double y = Math.max(lowY, Math.min(highY, BoxBinning.toInput(sy, bin)));
            picks.add(new Pick(x, y, (best[i] - mean) / std));
        }
        return picks;
    }

    /** The pickable rectangle of the working image (inclusive bounds), row length {@code w}. */
    record Rect(int w, int x0, int x1, int y0, int y1) {
        long area() {
            return (long) (x1 - x0 + 1) * (y1 - y0 + 1);
        }
    }

    /**
     * Greedy non-maximum suppression: candidates (sorted ascending, taken from the top) above the
     * threshold, each accepted unless closer than {@code minDistance} to one accepted before.
     */
    private static int[] suppress(long[] candidates, float[] best, int bw, int bh, float threshold, double minDistance) {
        boolean[] suppressed = new boolean[bw * bh];
        int[] out = new int[64];
        int n = 0;
        for (int c = candidates.length - 1; c >= 0; c--) {
            int i = (int) candidates[c];
            if (!(best[i] > threshold)) {
                break;
            }
            if (suppressed[i]) {
                continue;
            }
            if (n == out.length) {
                out = Arrays.copyOf(out, 2 * n);
            }
            out[n++] = i;
            disc(suppressed, bw, bh, i % bw, i / bw, minDistance);
        }
        return Arrays.copyOf(out, n);
    }

    private static float threshold(double[] stats, double k) {
        return (float) (stats[0] + k * stats[1]);
    }

    /** Sets the pixels closer than {@code radius} to (cx, cy). */
    private static void disc(boolean[] mask, int w, int h, int cx, int cy, double radius) {
        int reach = (int) Math.ceil(radius);
        double r2 = radius * radius;
        for (int y = Math.max(0, cy - reach); y <= Math.min(h - 1, cy + reach); y++) {
            int dy = y - cy;
            for (int x = Math.max(0, cx - reach); x <= Math.min(w - 1, cx + reach); x++) {
                int dx = x - cx;
                if (dx * dx + dy * dy < r2) {
                    mask[y * w + x] = true;
                }
            }
        }
    }

    /**
     * The best scale-normalised LoG response over the scales at each pixel of the working image
     * ({@code bw x bh}), positive for blobs of the particles' polarity.
     */
    static float[] bestResponse(float[] work, int bw, int bh, double radius, double workingPixelA, PickSettings s) {
        double mean = 0;
        for (float v : work) {
            mean += v;
        }
        mean /= work.length;
        double sigmaMax = radius * s.maxScale() / Math.sqrt(2);
        int pad = (int) Math.ceil(3 * sigmaMax);
        int pw = FftSizes.fastAtLeast(bw + 2 * pad);
        int ph = FftSizes.fastAtLeast(bh + 2 * pad);
        int offX = (pw - bw) / 2;
        int offY = (ph - bh) / 2;
        float[] padded = new float[pw * ph];
        float m = (float) mean;
        for (int y = 0; y < ph; y++) {
            int row = reflect(y - offY, bh) * bw;
            int o = y * pw;
            for (int x = 0; x < pw; x++) {
                padded[o + x] = work[row + reflect(x - offX, bw)] - m;
            }
        }
        Fft2 fft = Fft2.of(pw, ph);
        float[] spectrum = fft.forward(padded);
        float[] buffer = new float[spectrum.length];

        double[] fx2 = squaredFrequencies(pw);
        double[] fy2 = squaredFrequencies(ph);
        double lowPassPx = s.lowPassA() / workingPixelA;
        double lowPass = lowPassPx > 0 ? Math.log(2) * lowPassPx * lowPassPx : 0;
        double[] gx = new double[pw];
        double[] gy = new double[ph];
        float[] best = new float[bw * bh];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        double sign = s.darkParticles() ? -1 : 1;
        for (int k = 0; k < s.scaleSteps(); k++) {
            double scale = s.scaleSteps() == 1 ? s.minScale()
                    : s.minScale() + (s.maxScale() - s.minScale()) * k / (s.scaleSteps() - 1);
            double sigma = radius * scale / Math.sqrt(2);
            double a = 2 * Math.PI * Math.PI * sigma * sigma + lowPass;
            for (int x = 0; x < pw; x++) {
                gx[x] = Math.exp(-a * fx2[x]);
            }
            for (int y = 0; y < ph; y++) {
                gy[y] = Math.exp(-a * fy2[y]);
            }
            double norm = sign * 4 * Math.PI * Math.PI * sigma * sigma;
            for (int y = 0; y < ph; y++) {
                double ry = norm * gy[y];
                int o = 2 * y * pw;
                for (int x = 0; x < pw; x++) {
                    float h = (float) (ry * gx[x] * (fx2[x] + fy2[y]));
                    buffer[o + 2 * x] = spectrum[o + 2 * x] * h;
                    buffer[o + 2 * x + 1] = spectrum[o + 2 * x + 1] * h;
                }
            }
            fft.inverseInPlace(buffer);
            for (int y = 0; y < bh; y++) {
                int src = 2 * ((y + offY) * pw + offX);
                int dst = y * bw;
                for (int x = 0; x < bw; x++) {
                    float v = buffer[src + 2 * x];
                    if (v > best[dst + x]) {
                        best[dst + x] = v;
                    }
                }
            }
        }
        return best;
    }

    /**
     * Mean and standard deviation of the response in the rectangle, iterated with the values more
     * than {@value #CLIP} standard deviations from the mean left out until the set is stable, so
     * that they describe the background: with particles covering a good part of the micrograph, plain
     * statistics would grow with the particles' own responses and the threshold with them.
     */
    static double[] clippedMeanStd(float[] r, Rect a, boolean[] excluded) {
        double lo = Double.NEGATIVE_INFINITY;
        double hi = Double.POSITIVE_INFINITY;
        double mean = 0;
        double std = 0;
        long previous = -1;
        for (int iteration = 0; iteration < 10; iteration++) {
            double sum = 0;
            double sum2 = 0;
            long n = 0;
            for (int y = a.y0(); y <= a.y1(); y++) {
                for (int i = y * a.w() + a.x0(), end = y * a.w() + a.x1(); i <= end; i++) {
                    double v = r[i];
                    if (v >= lo && v <= hi && !excluded[i]) {
                        sum += v;
                        sum2 += v * v;
                        n++;
                    }
                }
            }
            if (n < MIN_BACKGROUND * a.area()) {
                return iteration == 0 ? null : new double[] {mean, std};
            }
            mean = sum / n;
            std = Math.sqrt(Math.max(sum2 / n - mean * mean, 0));
            if (n == previous) {
                break;
            }
            previous = n;
            lo = mean - CLIP * std;
            hi = mean + CLIP * std;
        }
        return new double[] {mean, std};
    }

    /** Squared frequencies (cycles per pixel) of the FFT indices along an axis of n samples. */
    private static double[] squaredFrequencies(int n) {
        double[] f2 = new double[n];
        for (int i = 0; i < n; i++) {
            double f = (double) Fft2.frequency(i, n) / n;
            f2[i] = f * f;
        }
        return f2;
    }

    /** Index i folded into 0..n-1 by mirror reflection about the edges (edge pixels repeated). */
    static int reflect(int i, int n) {
        int period = 2 * n;
        int j = Math.floorMod(i, period);
        return j < n ? j : period - 1 - j;
    }

    /**
     * Local maxima (not below any of the 8 neighbours, strictly above the earlier ones so that a plateau
     * gives one) in the rectangle, as keys sorted by ascending value: high 32 bits
     * the value's order-preserving bits, low 32 bits the pixel index.
     */
    private static long[] localMaxima(float[] r, int w, int h, Rect a) {
        long[] keys = new long[256];
        int count = 0;
        for (int y = a.y0(); y <= a.y1(); y++) {
            for (int x = a.x0(); x <= a.x1(); x++) {
                int i = y * w + x;
                float v = r[i];
                if (!isLocalMax(r, w, h, x, y, v)) {
                    continue;
                }
                if (count == keys.length) {
                    keys = Arrays.copyOf(keys, 2 * count);
                }
                int bits = Float.floatToIntBits(v);
                bits ^= (bits >> 31) & 0x7fffffff;
                keys[count++] = ((long) bits << 32) | i;
            }
        }
        long[] out = Arrays.copyOf(keys, count);
        Arrays.sort(out);
        return out;
    }

    private static boolean isLocalMax(float[] r, int w, int h, int x, int y, float v) {
        for (int dy = -1; dy <= 1; dy++) {
            int yy = y + dy;
            if (yy < 0 || yy >= h) {
                continue;
            }
            for (int dx = -1; dx <= 1; dx++) {
                int xx = x + dx;
                if ((dx == 0 && dy == 0) || xx < 0 || xx >= w) {
                    continue;
                }
                float u = r[yy * w + xx];
                boolean earlier = dy < 0 || (dy == 0 && dx < 0);
                if (earlier ? u >= v : u > v) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Sub-pixel offset of the vertex of the parabola through the pixel and its two neighbours at +-step. */
    private static double vertexOffset(float[] r, int i, int step, boolean hasBefore, boolean hasAfter) {
        if (!hasBefore || !hasAfter) {
            return 0;
        }
        double l = r[i - step];
        double c = r[i];
        double u = r[i + step];
        double d = l - 2 * c + u;
        if (d >= 0) {
            return 0;
        }
        return Math.max(-0.5, Math.min(0.5, 0.5 * (l - u) / d));
    }
}
