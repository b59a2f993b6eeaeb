package org.fieldwork.em;

import java.util.SplittableRandom;

/**
 * A test movie with known motion: a specimen made of random Gaussian blobs, each rendered exactly
 * at its displaced position in each frame (no interpolation, no wrap-around: blobs cover a margin
 * beyond the frame), as expected counts dose x (1 + contrast x specimen / std), then
 * Poisson-sampled. A blob moves rigidly with the displacement at its centre, so a displacement field
 * that varies over the frame moves each blob by its own amount.
 */
final class BlobMovie extends InMemoryMovie {
    /** Displacement D(x, y, t) of the content, pixels: frame t at (x, y) shows what the specimen has at (x, y) - D. */
    interface Motion {
        double dx(double x, double y, int t);

        double dy(double x, double y, int t);
    }

    private final float[][] clean;

    private BlobMovie(int width, int height, float[][] frames, float[][] clean) {
        super(width, height, frames);
        this.clean = clean;
    }

    /**
     * Renders a movie. {@code margin}: how far (pixels) content may move, so that blobs are placed
     * that far beyond the frame.
     */
    static BlobMovie render(int width, int height, int n, double dose, double contrast, Motion motion,
            double margin, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double lo = -margin - 16;
        double spanX = width + 2 * (margin + 16);
        double spanY = height + 2 * (margin + 16);
        int blobs = (int) (spanX * spanY / 60);
        double[] bx = new double[blobs];
        double[] by = new double[blobs];
        double[] bs = new double[blobs];
        double[] ba = new double[blobs];
        for (int j = 0; j < blobs; j++) {
            bx[j] = lo + random.nextDouble() * spanX;
            by[j] = lo + random.nextDouble() * spanY;
            bs[j] = 1.2 + random.nextDouble() * 3.8;
            ba[j] = random.nextDouble() * 2 - 1;
        }
        float[][] specimen = new float[n][];
        double[] gx = new double[width];
        double[] gy = new double[height];
        for (int t = 0; t < n; t++) {
            float[] s = new float[width * height];
            for (int j = 0; j < blobs; j++) {
                // where the blob centre appears: p - D(p) = c, one fixed-point step from c + D(c)
                double cx = bx[j] + motion.dx(bx[j], by[j], t);
                double cy = by[j] + motion.dy(bx[j], by[j], t);
                double px = bx[j] + motion.dx(cx, cy, t);
                double py = by[j] + motion.dy(cx, cy, t);
                int r = (int) Math.ceil(3.5 * bs[j]) + 1;
                int x0 = Math.max(0, (int) Math.floor(px) - r);
                int x1 = Math.min(width - 1, (int) Math.ceil(px) + r);
                int y0 = Math.max(0, (int) Math.floor(py) - r);
                int y1 = Math.min(height - 1, (int) Math.ceil(py) + r);
                if (x0 > x1 || y0 > y1) {
                    continue;
                }
                double inv = -0.5 / (bs[j] * bs[j]);
                for (int x = x0; x <= x1; x++) {
                    gx[x] = Math.exp(inv * (x - px) * (x - px));
                }
                for (int y = y0; y <= y1; y++) {
                    gy[y] = ba[j] * Math.exp(inv * (y - py) * (y - py));
                }
                for (int y = y0; y <= y1; y++) {
                    int o = y * width;
                    float fy = (float) gy[y];
                    for (int x = x0; x <= x1; x++) {
                        s[o + x] += fy * (float) gx[x];
                    }
                }
            }
            specimen[t] = s;
        }
        double sum = 0;
        double sq = 0;
        for (float v : specimen[0]) {
            sum += v;
            sq += v * v;
        }
        double mean = sum / specimen[0].length;
        double std = Math.sqrt(sq / specimen[0].length - mean * mean);
        float[][] frames = new float[n][];
        float[][] clean = new float[n][];
        for (int t = 0; t < n; t++) {
            float[] c = new float[width * height];
            float[] f = new float[width * height];
            for (int i = 0; i < c.length; i++) {
                double lambda = Math.max(0, dose * (1 + contrast * (specimen[t][i] - mean) / std));
                c[i] = (float) lambda;
                f[i] = poisson(lambda, random);
            }
            clean[t] = c;
            frames[t] = f;
        }
        return new BlobMovie(width, height, frames, clean);
    }

    private static int poisson(double lambda, SplittableRandom random) {
        double limit = Math.exp(-lambda);
        int k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }

    /** Expected counts of frame t, without noise. */
    float[] clean(int t) {
        return clean[t];
    }

    /** The plain, unaligned sum of the frames. */
    float[] unalignedSum() {
        float[] s = new float[width() * height()];
        for (int t = 0; t < frames(); t++) {
            float[] f = frame(t);
            for (int i = 0; i < s.length; i++) {
                s[i] += f[i];
            }
        }
        return s;
    }

    /** Pearson correlation of two images over the pixels at least {@code border} from every edge. */
    static double correlation(float[] a, float[] b, int width, int height, int border) {
        double sa = 0;
        double sb = 0;
        double saa = 0;
        double sbb = 0;
        double sab = 0;
        int n = 0;
        for (int y = border; y < height - border; y++) {
            for (int x = border; x < width - border; x++) {
                double u = a[y * width + x];
                double v = b[y * width + x];
                sa += u;
                sb += v;
                saa += u * u;
                sbb += v * v;
                sab += u * v;
                n++;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }
}
