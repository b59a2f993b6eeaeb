package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test micrographs with known particle centres: dark (or bright) particles of a given diameter at
 * random non-overlapping positions, a smooth background gradient, white Gaussian noise and
 * optionally a CTF applied to the particle signal (weak-phase image: the particles' projected
 * potential filtered by sqrt(1 - A^2) sin(chi) + A cos(chi), dark in underfocus).
 */
final class SyntheticMicrograph {
    enum Shape {
        /** Projection of a uniform sphere: sqrt(1 - (rho / r)^2). */
        SPHERE,
        /** Gaussian blob with sigma r / 2. */
        GAUSSIAN
    }

    final int width;
    final int height;
    final float[] pixels;
    final List<double[]> centres;

    private SyntheticMicrograph(int width, int height, float[] pixels, List<double[]> centres) {
        this.width = width;
        this.height = height;
        this.pixels = pixels;
        this.centres = centres;
    }

    static final class Builder {
        int width = 2048;
        int height = 2048;
        double pixelSizeA = 1.35;
        double diameterA = 200;
        int count = 60;
        Shape shape = Shape.SPHERE;
        double contrast = 1;
        double noiseStd = 1;
        double gradient = 2;
        boolean dark = true;
        double defocusA = 0;
        double edgeA = -1;
        long seed = 1;

        Builder size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        SyntheticMicrograph build() {
            Random rnd = new Random(seed);
            double r = diameterA / 2 / pixelSizeA;
            double edge = edgeA >= 0 ? edgeA / pixelSizeA : 1.2 * r;
            List<double[]> centres = new ArrayList<>();
            int tries = 0;
            while (centres.size() < count) {
                if (++tries > 200_000) {
                    throw new IllegalStateException("cannot place " + count + " particles");
                }
                double x = edge + rnd.nextDouble() * (width - 1 - 2 * edge);
                double y = edge + rnd.nextDouble() * (height - 1 - 2 * edge);
                boolean free = true;
                for (double[] c : centres) {
                    double dx = c[0] - x, dy = c[1] - y;
                    if (dx * dx + dy * dy < (2.1 * r) * (2.1 * r)) {
                        free = false;
                        break;
                    }
                }
                if (free) {
                    centres.add(new double[] {x, y});
                }
            }
            float[] signal = new float[width * height];
            int reach = (int) Math.ceil(shape == Shape.SPHERE ? r + 1 : 2 * r);
            for (double[] c : centres) {
                int cx = (int) Math.round(c[0]), cy = (int) Math.round(c[1]);
                for (int y = Math.max(0, cy - reach); y <= Math.min(height - 1, cy + reach); y++) {
                    for (int x = Math.max(0, cx - reach); x <= Math.min(width - 1, cx + reach); x++) {
                        double rho2 = ((x - c[0]) * (x - c[0]) + (y - c[1]) * (y - c[1])) / (r * r);
                        double v = shape == Shape.SPHERE ? (rho2 < 1 ? Math.sqrt(1 - rho2) : 0) : Math.exp(-2 * rho2);
                        signal[y * width + x] += (float) v;
                    }
                }
            }
            if (defocusA > 0 && count > 0) {
                applyCtf(signal);
            }
            float[] px = new float[width * height];
            double sign = dark ? -1 : 1;
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double background = gradient * ((double) x / width + 0.5 * y / height);
                    px[y * width + x] = (float) (background + sign * contrast * signal[y * width + x]
                            + noiseStd * rnd.nextGaussian());
                }
            }
            return new SyntheticMicrograph(width, height, px, centres);
        }

        /** Weak-phase CTF at 300 kV, Cs 2.7 mm, amplitude contrast 0.1; the result scaled to unit peak. */
        private void applyCtf(float[] signal) {
            double lambda = 12.2643247 / Math.sqrt(300e3 * (1 + 0.978466e-6 * 300e3));
            double cs = 2.7e7;
            double ampl = 0.1;
            Fft2 fft = Fft2.of(width, height);
            float[] c = fft.forward(signal);
            for (int y = 0; y < height; y++) {
                double fy = (double) Fft2.frequency(y, height) / (height * pixelSizeA);
                for (int x = 0; x < width; x++) {
                    double fx = (double) Fft2.frequency(x, width) / (width * pixelSizeA);
                    double k2 = fx * fx + fy * fy;
                    double chi = Math.PI * lambda * k2 * (defocusA - 0.5 * lambda * lambda * k2 * cs);
                    double h = Math.sqrt(1 - ampl * ampl) * Math.sin(chi) + ampl * Math.cos(chi);
                    int i = 2 * (y * width + x);
                    c[i] *= (float) h;
                    c[i + 1] *= (float) h;
                }
            }
            float[] out = fft.inverseReal(c);
            float max = 0;
            for (float v : out) {
                max = Math.max(max, Math.abs(v));
            }
            for (int i = 0; i < out.length; i++) {
                signal[i] = out[i] / max;
            }
        }
    }

    /** Recall and precision of picks against the centres: a pick matches an unmatched centre within maxDistance. */
    double[] recallPrecision(List<Pick> picks, double maxDistance) {
        boolean[] used = new boolean[centres.size()];
        int matched = 0;
        for (Pick p : picks) {
            int bestI = -1;
            double bestD = maxDistance * maxDistance;
            for (int i = 0; i < centres.size(); i++) {
                double dx = centres.get(i)[0] - p.xPx(), dy = centres.get(i)[1] - p.yPx();
                double d = dx * dx + dy * dy;
                if (!used[i] && d <= bestD) {
                    bestD = d;
                    bestI = i;
                }
            }
            if (bestI >= 0) {
                used[bestI] = true;
                matched++;
            }
        }
        return new double[] {(double) matched / centres.size(), picks.isEmpty() ? 1 : (double) matched / picks.size()};
    }

    /** Root-mean-square distance from each matched pick to its nearest centre. */
    double rmsError(List<Pick> picks, double maxDistance) {
        double sum = 0;
        int n = 0;
        for (Pick p : picks) {
            double best = Double.MAX_VALUE;
            for (double[] c : centres) {
                double dx = c[0] - p.xPx(), dy = c[1] - p.yPx();
                best = Math.min(best, dx * dx + dy * dy);
            }
            if (best <= maxDistance * maxDistance) {
                sum += best;
                n++;
            }
        }
        return n == 0 ? Double.NaN : Math.sqrt(sum / n);
    }
}
