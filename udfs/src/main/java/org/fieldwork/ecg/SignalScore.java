package org.fieldwork.ecg;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The digitization score of the PhysioNet Challenge 2024 and the 2025 Kaggle competition: per lead,
 * the prediction is shifted by the whole number of samples within +-0.2 s that maximises its
 * cross-correlation with the label, its vertical offset is removed (the mean difference is added),
 * and then SNR = 10 log10(sum label^2 / sum (label - prediction)^2) with both sums taken over all
 * the image's leads, the ratio capped at 1e6 (60 dB) before the log.
 *
 * <p>Conventions where the published definition leaves a choice: a missing or NaN prediction sample
 * counts as 0; the cross-correlation is of the mean-removed signals over their overlap; samples that
 * the shift moves past the prediction's ends take its nearest end value.
 */
public final class SignalScore {
    public static final double MAX_SHIFT_SECONDS = 0.2;
    public static final double MAX_RATIO = 1e6;

    /** One lead's part: the shift chosen (prediction sample i + shift is compared with label sample i) and the sums. */
    public record LeadScore(int shiftSamples, double signalEnergy, double noiseEnergy) {
        public double snrDb() {
            return db(signalEnergy, noiseEnergy);
        }
    }

    /** The image's SNR and each lead's part, in the labels' order. */
    public record Result(double snrDb, Map<String, LeadScore> leads) {
    }

    private SignalScore() {
    }

    /**
     * Scores {@code predictions} against {@code labels} (lead name to mV, both at {@code sampleRateHz});
     * a lead without a prediction counts as a zero prediction.
     */
    public static Result score(Map<String, double[]> labels, Map<String, double[]> predictions, double sampleRateHz) {
        int maxShift = (int) Math.round(MAX_SHIFT_SECONDS * sampleRateHz);
        Map<String, LeadScore> out = new LinkedHashMap<>();
        double signal = 0;
        double noise = 0;
        for (Map.Entry<String, double[]> e : labels.entrySet()) {
            LeadScore s = scoreLead(e.getValue(), predictions.get(e.getKey()), maxShift);
            out.put(e.getKey(), s);
            signal += s.signalEnergy();
            noise += s.noiseEnergy();
        }
        return new Result(db(signal, noise), out);
    }

    /** One lead: best shift within {@code maxShift} samples, offset removed, the two energies. */
    public static LeadScore scoreLead(double[] label, double[] prediction, int maxShift) {
        int n = label.length;
        double[] p = new double[n];
        if (prediction != null) {
            for (int i = 0; i < n; i++) {
                double v = i < prediction.length ? prediction[i] : Double.NaN;
                p[i] = Double.isNaN(v) ? 0 : v;
            }
        }
        double ml = mean(label);
        double mp = mean(p);
        int best = 0;
        double bestCorr = Double.NEGATIVE_INFINITY;
        for (int s = -maxShift; s <= maxShift; s++) {
            double c = 0;
            for (int i = Math.max(0, -s); i < Math.min(n, n - s); i++) {
                c += (label[i] - ml) * (p[i + s] - mp);
            }
            if (c > bestCorr + 1e-12 || (Math.abs(c - bestCorr) <= 1e-12 && Math.abs(s) < Math.abs(best))) {
                bestCorr = c;
                best = s;
            }
        }
        double[] q = new double[n];
        double offset = 0;
        for (int i = 0; i < n; i++) {
            q[i] = p[Math.min(n - 1, Math.max(0, i + best))];
            offset += label[i] - q[i];
        }
        offset = n == 0 ? 0 : offset / n;
        double sig = 0;
        double err = 0;
        for (int i = 0; i < n; i++) {
            sig += label[i] * label[i];
            double d = label[i] - (q[i] + offset);
            err += d * d;
        }
        return new LeadScore(best, sig, err);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return v.length == 0 ? 0 : s / v.length;
    }

    /** 10 log10 of the energy ratio, capped at {@link #MAX_RATIO}. */
    static double db(double signal, double noise) {
        double ratio = noise > 0 ? Math.min(MAX_RATIO, signal / noise) : MAX_RATIO;
        return 10 * Math.log10(ratio);
    }
}
