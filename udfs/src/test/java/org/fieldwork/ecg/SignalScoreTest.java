package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SignalScoreTest {

    /** A smooth pulse train, zero in the first and last 0.5 s. */
    private static double[] pulses(int n, double fs, int delay) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            int j = i - delay;
            double t = j / fs;
            if (j >= 50 && j < n - 50) {
                v[i] = Math.exp(-Math.pow(((t % 0.8) - 0.4) / 0.02, 2)) + 0.2 * Math.sin(2 * Math.PI * t);
            }
        }
        return v;
    }

    @Test
    void recoversAnExactShiftAndOffset() {
        double fs = 100;
        double[] label = pulses(1000, fs, 0);
        double[] pred = pulses(1000, fs, 7);
        for (int i = 0; i < pred.length; i++) {
            pred[i] += 0.3;
        }
        SignalScore.LeadScore s = SignalScore.scoreLead(label, pred, 20);
        assertEquals(7, s.shiftSamples());
        assertEquals(0, s.noiseEnergy(), 1e-18);
        SignalScore.Result r = SignalScore.score(Map.of("I", label), Map.of("I", pred), fs);
        assertEquals(60, r.snrDb(), 1e-9, "a perfect match is capped at 1e6, 60 dB");
    }

    @Test
    void shiftsBeyondTheWindowAreNotSearched() {
        double[] label = pulses(1000, 100, 0);
        double[] pred = pulses(1000, 100, -25);
        SignalScore.LeadScore s = SignalScore.scoreLead(label, pred, 20);
        assertEquals(true, Math.abs(s.shiftSamples()) <= 20);
        assertEquals(true, s.noiseEnergy() > 0.01 * s.signalEnergy());
    }

    @Test
    void knownNoiseGivesTheExpectedSnr() {
        double fs = 500;
        int n = 5000;
        Random rnd = new Random(42);
        Map<String, double[]> labels = new LinkedHashMap<>();
        Map<String, double[]> preds = new LinkedHashMap<>();
        double signal = 0;
        double sigma = 0.05;
        for (String lead : new String[] {"I", "II", "V1"}) {
            double[] l = pulses(n, fs, 0);
            double[] p = new double[n];
            for (int i = 0; i < n; i++) {
                p[i] = l[i] + sigma * rnd.nextGaussian();
                signal += l[i] * l[i];
            }
            labels.put(lead, l);
            preds.put(lead, p);
        }
        double expected = 10 * Math.log10(signal / (3 * n * sigma * sigma));
        SignalScore.Result r = SignalScore.score(labels, preds, fs);
        assertEquals(expected, r.snrDb(), 0.15, "expected " + expected + " dB, got " + r.snrDb());
        r.leads().values().forEach(s -> assertEquals(0, s.shiftSamples()));
    }

    @Test
    void aMissingLeadCountsAsZero() {
        double[] label = pulses(1000, 100, 0);
        SignalScore.Result r = SignalScore.score(Map.of("I", label), Map.of(), 100);
        double mean = java.util.Arrays.stream(label).average().orElse(0);
        double sig = java.util.Arrays.stream(label).map(v -> v * v).sum();
        double noise = java.util.Arrays.stream(label).map(v -> (v - mean) * (v - mean)).sum();
        assertEquals(10 * Math.log10(sig / noise), r.snrDb(), 1e-9);
    }
}
