package org.fieldwork.ecg;

import java.util.List;
import java.util.Random;

/**
 * A synthetic 12-lead ECG for demos and benchmarks that need no recording: beats made of Gaussian
 * P, Q, R, S and T waves on two limb-lead axes, the other limb leads derived by Einthoven's and
 * Goldberger's relations, precordial leads with the R wave growing from V1 to V5. Heart rate
 * varies a little beat to beat; the seed fixes everything.
 */
public final class SyntheticEcg {
    /** The leads, in the usual order. */
    public static final List<String> LEADS = List.of("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6");

    /** One wave of a beat: its time after the beat's start (s), width (s) and height (mV) on a lead. */
    private record Wave(double at, double width, double height) {
    }

    private SyntheticEcg() {
    }

    /** A record of {@code seconds} at {@code sampleRateHz}, about {@code heartRateBpm} beats a minute. */
    public static WfdbRecord record(String name, double heartRateBpm, double seconds, double sampleRateHz, long seed) {
        if (!(heartRateBpm >= 30 && heartRateBpm <= 220) || !(seconds > 0) || !(sampleRateHz > 0)) {
            throw new IllegalArgumentException("synthetic ECG: heart rate 30..220 bpm, positive duration and rate needed");
        }
        int n = (int) Math.round(seconds * sampleRateHz);
        Random random = new Random(seed);
        double[] lead1 = new double[n];
        double[] lead2 = new double[n];
        double[][] precordial = new double[6][n];
        double period = 60 / heartRateBpm;
        for (double start = 0.1 * random.nextDouble(); start < seconds; start += period * (0.95 + 0.1 * random.nextDouble())) {
            addBeat(lead1, start, sampleRateHz, 0.6);
            addBeat(lead2, start, sampleRateHz, 1.0);
            for (int v = 0; v < 6; v++) {
                double r = 0.2 + 0.3 * v;           // R grows from V1 to V5 ...
                double s = 1.2 - 0.2 * v;           // ... while S shrinks
                addWaves(precordial[v], start, sampleRateHz, new Wave(0.16, 0.012, -0.05), new Wave(0.19, 0.012, r),
                        new Wave(0.22, 0.014, -s), new Wave(0.45, 0.04, 0.1 + 0.05 * v));
            }
        }
        double[][] all = new double[12][];
        all[0] = lead1;
        all[1] = lead2;
        all[2] = new double[n];
        all[3] = new double[n];
        all[4] = new double[n];
        all[5] = new double[n];
        for (int i = 0; i < n; i++) {
            all[2][i] = lead2[i] - lead1[i];
            all[3][i] = -(lead1[i] + lead2[i]) / 2;
            all[4][i] = lead1[i] - lead2[i] / 2;
            all[5][i] = lead2[i] - lead1[i] / 2;
        }
        System.arraycopy(precordial, 0, all, 6, 6);
        double[] gains = new double[12];
        java.util.Arrays.fill(gains, 1000);
        return new WfdbRecord(name, sampleRateHz, LEADS, gains, new int[12], all);
    }

    private static void addBeat(double[] lead, double start, double rate, double scale) {
        addWaves(lead, start, rate, new Wave(0.05, 0.025, 0.12 * scale), new Wave(0.16, 0.010, -0.08 * scale),
                new Wave(0.19, 0.012, 1.1 * scale), new Wave(0.22, 0.012, -0.25 * scale),
                new Wave(0.45, 0.045, 0.3 * scale));
    }

    private static void addWaves(double[] lead, double start, double rate, Wave... waves) {
        for (Wave w : waves) {
            double centre = (start + w.at()) * rate;
            double sigma = w.width() * rate;
            int from = Math.max(0, (int) Math.floor(centre - 5 * sigma));
            int to = Math.min(lead.length - 1, (int) Math.ceil(centre + 5 * sigma));
            for (int i = from; i <= to; i++) {
                double z = (i - centre) / sigma;
                lead[i] += w.height() * Math.exp(-0.5 * z * z);
            }
        }
    }
}
