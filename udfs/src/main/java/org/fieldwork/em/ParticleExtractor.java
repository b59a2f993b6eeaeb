package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts square boxes around picks out of a micrograph and normalises them the way RELION's extraction
 * does (relion_preprocess --extract --norm):
 * <ul>
 * <li>the box's centre pixel (box / 2, box / 2) is the micrograph pixel at the truncated pick
 * coordinates, so a RELION coordinate file of the same picks extracts the same boxes;</li>
 * <li>normalisation: a least-squares plane fitted to the background (pixels farther than the background
 * radius from the centre pixel) is subtracted, then the background's mean and standard deviation bring
 * it to mean 0 and standard deviation 1 (skipped when that deviation is 0);</li>
 * <li>contrast inversion, after normalisation, makes dark particles white, which RELION expects.</li>
 * </ul>
 * A box that runs over the micrograph's border is filled with the nearest edge pixels
 * ({@link Edge#REPLICATE}, what RELION does; boxes stay one per pick) or left out ({@link Edge#SKIP};
 * {@link #fits} says which picks remain).
 */
public final class ParticleExtractor {

    /** What to do with a box that runs over the micrograph's border. */
    public enum Edge {
        /** Fill the outside with the nearest pixel inside, as RELION does. */
        REPLICATE,
        /** Leave the pick out. */
        SKIP
    }

    /**
     * Extraction settings.
     *
     * @param boxPx                 box side in micrograph pixels
     * @param normalize             background to mean 0, standard deviation 1
     * @param backgroundRadiusPx    pixels farther than this from the centre pixel are background
     * @param subtractRamp          subtract a plane fitted to the background before normalising
     * @param invertContrast        negate after normalising (dark particles become white)
     * @param edge                  boxes over the border: replicate the edge or skip the pick
     */
    public record Settings(int boxPx, boolean normalize, int backgroundRadiusPx, boolean subtractRamp,
            boolean invertContrast, Edge edge) {
        public Settings {
            if (boxPx < 2) {
                throw new IllegalArgumentException("box must be at least 2 px, got " + boxPx);
            }
            if (normalize && (backgroundRadiusPx < 1 || 2 * backgroundRadiusPx > boxPx)) {
                throw new IllegalArgumentException("background radius must be 1.." + boxPx / 2 + " px, got "
                        + backgroundRadiusPx);
            }
        }

        /**
         * RELION's defaults for a box: normalised with the background outside 75% of the box (radius
         * (int) (0.375 box)), ramp subtracted, contrast inverted, edges replicated.
         */
        public static Settings relion(int boxPx) {
            return new Settings(boxPx, true, defaultBackgroundRadius(boxPx), true, true, Edge.REPLICATE);
        }
    }

    private ParticleExtractor() {
    }

    /** RELION's default background radius: 75% of the box as a diameter, truncated to whole pixels. */
    public static int defaultBackgroundRadius(int boxPx) {
        return (int) (0.375 * boxPx);
    }

    /**
     * Boxes ({@code boxPx x boxPx}, row-major) around the picks, one per pick: normalised as RELION does
     * when {@code normalize} (default background radius, ramp subtracted), contrast kept, edges replicated.
     */
    public static List<float[]> extract(float[] micrograph, int width, int height, List<Pick> picks, int boxPx,
            boolean normalize) {
        return extract(micrograph, width, height, picks, new Settings(boxPx, normalize, defaultBackgroundRadius(boxPx),
                true, false, Edge.REPLICATE));
    }

    /**
     * Boxes around the picks in pick order; with {@link Edge#SKIP} the picks that do not {@link #fits fit}
     * are left out. Throws for a pick whose box lies wholly outside the micrograph, as RELION does.
     */
    public static List<float[]> extract(float[] micrograph, int width, int height, List<Pick> picks, Settings s) {
        if (micrograph.length != width * height) {
            throw new IllegalArgumentException("micrograph has " + micrograph.length + " values, expected "
                    + width + "x" + height);
        }
        int box = s.boxPx();
        Background background = s.normalize() ? new Background(box, s.backgroundRadiusPx()) : null;
        List<float[]> out = new ArrayList<>(picks.size());
        for (Pick p : picks) {
            if (s.edge() == Edge.SKIP && !fits(p, width, height, box)) {
                continue;
            }
            long x0 = (long) p.xPx() - box / 2;
            long y0 = (long) p.yPx() - box / 2;
            if (x0 + box <= 0 || y0 + box <= 0 || x0 >= width || y0 >= height) {
                throw new IllegalArgumentException("the box of " + p + " lies outside the " + width + "x" + height
                        + " micrograph");
            }
            float[] b = new float[box * box];
            for (int i = 0; i < box; i++) {
                int row = (int) Math.max(0, Math.min(height - 1, y0 + i)) * width;
                if (x0 >= 0 && x0 + box <= width) {
                    System.arraycopy(micrograph, row + (int) x0, b, i * box, box);
                } else {
                    for (int j = 0; j < box; j++) {
                        b[i * box + j] = micrograph[row + (int) Math.max(0, Math.min(width - 1, x0 + j))];
                    }
                }
            }
            if (background != null) {
                background.normalize(b, s.subtractRamp());
            }
            if (s.invertContrast()) {
                for (int i = 0; i < b.length; i++) {
                    b[i] = -b[i];
                }
            }
            out.add(b);
        }
        return out;
    }

    /** Whether the box around {@code p} lies wholly inside the micrograph. */
    public static boolean fits(Pick p, int width, int height, int boxPx) {
        long x0 = (long) p.xPx() - boxPx / 2;
        long y0 = (long) p.yPx() - boxPx / 2;
        return p.xPx() >= 0 && p.yPx() >= 0 && x0 >= 0 && y0 >= 0 && x0 + boxPx <= width && y0 + boxPx <= height;
    }

    /** The background pixels of a box and the normal equations of a plane fitted to them. */
    private static final class Background {
        private final int box;
        private final int[] pixels;
        private final double[][] inverse;

        Background(int box, int radius) {
            this.box = box;
            int c = box / 2;
            int r2 = radius * radius;
            int[] idx = new int[box * box];
            int n = 0;
            double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
            for (int i = 0; i < box; i++) {
                for (int j = 0; j < box; j++) {
                    int y = i - c;
                    int x = j - c;
                    if (x * x + y * y > r2) {
                        idx[n++] = i * box + j;
                        sx += x;
                        sy += y;
                        sxx += x * x;
                        syy += y * y;
                        sxy += x * y;
                    }
                }
            }
            this.pixels = java.util.Arrays.copyOf(idx, n);
            this.inverse = invert(new double[][] {{sxx, sxy, sx}, {sxy, syy, sy}, {sx, sy, n}});
        }

        void normalize(float[] b, boolean ramp) {
            int c = box / 2;
            if (ramp && inverse != null) {
                double zx = 0, zy = 0, z = 0;
                for (int k : pixels) {
                    double v = b[k];
                    zx += v * (k % box - c);
                    zy += v * (k / box - c);
                    z += v;
                }
                double pa = inverse[0][0] * zx + inverse[0][1] * zy + inverse[0][2] * z;
                double pb = inverse[1][0] * zx + inverse[1][1] * zy + inverse[1][2] * z;
                double pc = inverse[2][0] * zx + inverse[2][1] * zy + inverse[2][2] * z;
                for (int i = 0; i < box; i++) {
                    double rowPlane = pb * (i - c) + pc;
                    for (int j = 0; j < box; j++) {
                        b[i * box + j] = (float) (b[i * box + j] - (pa * (j - c) + rowPlane));
                    }
                }
            }
            double sum = 0, sum2 = 0;
            for (int k : pixels) {
                double v = b[k];
                sum += v;
                sum2 += v * v;
            }
            double mean = sum / pixels.length;
            double std = Math.sqrt(Math.max(0, sum2 / pixels.length - mean * mean));
            if (std < 1e-10) {
                return;
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) ((b[i] - mean) / std);
            }
        }

        /** Inverse of a symmetric 3x3 matrix, or null when singular. */
        private static double[][] invert(double[][] m) {
            double a = m[0][0], b = m[0][1], c = m[0][2], d = m[1][0], e = m[1][1], f = m[1][2], g = m[2][0],
                    h = m[2][1], k = m[2][2];
            double det = a * (e * k - f * h) - b * (d * k - f * g) + c * (d * h - e * g);
            if (Math.abs(det) < 1e-12) {
                return null;
            }
            return new double[][] {
                {(e * k - f * h) / det, (c * h - b * k) / det, (b * f - c * e) / det},
                {(f * g - d * k) / det, (a * k - c * g) / det, (c * d - a * f) / det},
                {(d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det}};
        }
    }
}
