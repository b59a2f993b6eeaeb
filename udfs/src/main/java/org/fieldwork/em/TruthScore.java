package org.fieldwork.em;

import java.util.List;

/**
 * How close a movie's results are to its synthetic truth ({@link SyntheticMovie.Truth}): drift RMS
 * error, defocus and angle errors, picking recall and precision. One scoring for the tests, the demo
 * and the benchmark.
 */
public final class TruthScore {
    private TruthScore() {
    }

    /** RMS over frames of the distance between found and true shifts (px, both relative to frame 0). */
    public static double driftRmsPx(SyntheticMovie.Truth truth, List<Double> shiftX, List<Double> shiftY) {
        if (shiftX == null || shiftX.size() != truth.shiftX().length) {
            return Double.NaN;
        }
        double sq = 0;
        for (int i = 0; i < shiftX.size(); i++) {
            sq += Math.pow(shiftX.get(i) - truth.shiftX()[i], 2) + Math.pow(shiftY.get(i) - truth.shiftY()[i], 2);
        }
        return Math.sqrt(sq / shiftX.size());
    }

    /** Relative error of the mean defocus, |found - true| / true. */
    public static double defocusError(SyntheticMovie.Truth truth, double defocusUUm, double defocusVUm) {
        double t = (truth.defocusUUm() + truth.defocusVUm()) / 2;
        return Math.abs((defocusUUm + defocusVUm) / 2 - t) / t;
    }

    /** Difference of two astigmatism angles, in [0, 90] degrees (angles are modulo 180). */
    public static double angleErrorDeg(double a, double b) {
        double d = Math.abs(a - b) % 180;
        return Math.min(d, 180 - d);
    }

    /** Picks matched to true particles within {@code tolerancePx}, each true particle matched at most once (greedy by distance). */
    public record Matching(int truths, int picks, int matched) {
        public double recall() {
            return truths == 0 ? 1 : (double) matched / truths;
        }

        public double precision() {
            return picks == 0 ? 1 : (double) matched / picks;
        }

        public Matching plus(Matching o) {
            return new Matching(truths + o.truths, picks + o.picks, matched + o.matched);
        }
    }

    public static Matching picking(List<SyntheticMovie.Particle> truth, List<double[]> picks, double tolerancePx) {
        record Pair(int t, int p, double d) {
        }
        java.util.List<Pair> pairs = new java.util.ArrayList<>();
        for (int t = 0; t < truth.size(); t++) {
            for (int p = 0; p < picks.size(); p++) {
                double d = Math.hypot(truth.get(t).x() - picks.get(p)[0], truth.get(t).y() - picks.get(p)[1]);
                if (d <= tolerancePx) {
                    pairs.add(new Pair(t, p, d));
                }
            }
        }
        pairs.sort(java.util.Comparator.comparingDouble(Pair::d));
        boolean[] usedT = new boolean[truth.size()];
        boolean[] usedP = new boolean[picks.size()];
        int matched = 0;
        for (Pair pair : pairs) {
            if (!usedT[pair.t()] && !usedP[pair.p()]) {
                usedT[pair.t()] = true;
                usedP[pair.p()] = true;
                matched++;
            }
        }
        return new Matching(truth.size(), picks.size(), matched);
    }
}
