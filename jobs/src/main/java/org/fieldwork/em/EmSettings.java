package org.fieldwork.em;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What an EM batch run was asked to do: the movies, the steps and each step's settings (defaults
 * from the spec: 300 kV, Cs 2.7 mm, amplitude contrast 0.07, B -500 Å², CTF window 512 px over
 * 30-4 Å, particle diameter 200 Å; but motion over 500-6 Å where the spec has 500-8: the correlation
 * is weighted by the SNR estimated from the stack, so the wider band adds only frequencies that carry
 * signal; the README compares the two). Motion is global by default, as in RELION and
 * MotionCor2: on patches of a low-dose frame the local shifts are noisy, and a model of noise blurs the
 * average (on 2048 x 2048 x 40 synthetic movies 5 x 5 patches took the CTF fit from 0.04% to 6% off).
 *
 * @param pixelSizeA  Å per pixel; 0: the movie's header, or 1.35 Å when it has none
 * @param dosePerFrame e/Å² per frame for dose weighting; 0: none
 * @param patches     local motion on a patches x patches grid; 0: global only
 * @param workers     at most this many movies at once (0: Spark's cores; 1: one at a time on the driver)
 */
public record EmSettings(List<String> inputs, Set<String> steps, double pixelSizeA, double voltageKv, double csMm,
        double amplitudeContrast, double dosePerFrame, int patches, double bFactorA2, double motionMinResolutionA,
        double motionMaxResolutionA, int ctfWindowPx, double ctfMinResolutionA, double ctfMaxResolutionA,
        double particleDiameterA, double pickThresholdSigma, int workers) implements Serializable {

    public static final String MOTION = "motion";
    public static final String CTF = "ctf";
    public static final String PICKING = "picking";
    public static final String EXPORT = "export";
    public static final List<String> ALL_STEPS = List.of(MOTION, CTF, PICKING, EXPORT);
    /** The pixel size of a movie whose header gives none (the spec's import default). */
    public static final double DEFAULT_PIXEL_SIZE_A = 1.35;

    public EmSettings {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("no input given: a folder of movies, movie files or an s3a:// prefix");
        }
        inputs = List.copyOf(inputs);
        if (steps == null || steps.isEmpty()) {
            throw new IllegalArgumentException("--steps: give at least one of " + String.join(",", ALL_STEPS));
        }
        for (String s : steps) {
            if (!ALL_STEPS.contains(s)) {
                throw new IllegalArgumentException("--steps: unknown step '" + s + "'; the steps are "
                        + String.join(",", ALL_STEPS));
            }
        }
        steps = Set.copyOf(steps);
        positive("--pixel-size", pixelSizeA, true);
        positive("--voltage", voltageKv, false);
        positive("--cs", csMm, true);
        positive("--dose", dosePerFrame, true);
        positive("--particle-diameter", particleDiameterA, false);
        if (amplitudeContrast < 0 || amplitudeContrast >= 1) {
            throw new IllegalArgumentException("--amplitude-contrast must be in [0, 1), got " + amplitudeContrast);
        }
        if (patches < 0 || patches == 1 || patches > 20) {
            throw new IllegalArgumentException("--patches must be 0 (global motion only) or 2 to 20, got " + patches);
        }
        if (ctfWindowPx < 64 || Integer.bitCount(ctfWindowPx) != 1 && ctfWindowPx % 64 != 0) {
            throw new IllegalArgumentException("--ctf-window must be at least 64 px and a multiple of 64, got " + ctfWindowPx);
        }
        if (!(ctfMinResolutionA > ctfMaxResolutionA) || ctfMaxResolutionA <= 0) {
            throw new IllegalArgumentException("--ctf-range must be LOW-HIGH in Å with LOW > HIGH > 0 (e.g. 30-4), got "
                    + ctfMinResolutionA + "-" + ctfMaxResolutionA);
        }
        if (!(motionMinResolutionA > motionMaxResolutionA) || motionMaxResolutionA <= 0) {
            throw new IllegalArgumentException("--motion-range must be LOW-HIGH in Å with LOW > HIGH > 0 (e.g. 500-6), got "
                    + motionMinResolutionA + "-" + motionMaxResolutionA);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must not be negative, got " + workers);
        }
    }

    private static void positive(String option, double v, boolean zeroAllowed) {
        if (!Double.isFinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
            throw new IllegalArgumentException(option + " must be " + (zeroAllowed ? "zero or more" : "more than zero")
                    + ", got " + v);
        }
    }

    /** The defaults for one folder or file. */
    public static EmSettings defaults(List<String> inputs) {
        return new EmSettings(inputs, Set.copyOf(ALL_STEPS), 0, 300, 2.7, 0.07, 0, 0, -500, 500, 6, 512, 30, 4, 200, 4, 0);
    }

    public EmSettings withSteps(Set<String> s) {
        return new EmSettings(inputs, s, pixelSizeA, voltageKv, csMm, amplitudeContrast, dosePerFrame, patches, bFactorA2,
                motionMinResolutionA, motionMaxResolutionA, ctfWindowPx, ctfMinResolutionA, ctfMaxResolutionA,
                particleDiameterA, pickThresholdSigma, workers);
    }

    public EmSettings withParticleDiameter(double d) {
        return new EmSettings(inputs, steps, pixelSizeA, voltageKv, csMm, amplitudeContrast, dosePerFrame, patches, bFactorA2,
                motionMinResolutionA, motionMaxResolutionA, ctfWindowPx, ctfMinResolutionA, ctfMaxResolutionA, d,
                pickThresholdSigma, workers);
    }

    /** The optics of a session: pixel size (Å; 0 = from the header), voltage (kV), Cs (mm), dose (e/Å² per frame; 0 = none). */
    public EmSettings withOptics(double pixel, double kv, double cs, double dose) {
        return new EmSettings(inputs, steps, pixel, kv, cs, amplitudeContrast, dose, patches, bFactorA2,
                motionMinResolutionA, motionMaxResolutionA, ctfWindowPx, ctfMinResolutionA, ctfMaxResolutionA,
                particleDiameterA, pickThresholdSigma, workers);
    }

    public EmSettings withWorkers(int n) {
        return new EmSettings(inputs, steps, pixelSizeA, voltageKv, csMm, amplitudeContrast, dosePerFrame, patches, bFactorA2,
                motionMinResolutionA, motionMaxResolutionA, ctfWindowPx, ctfMinResolutionA, ctfMaxResolutionA,
                particleDiameterA, pickThresholdSigma, n);
    }

    public boolean runs(String step) {
        return steps.contains(step);
    }

    /** The pixel size a movie is processed at: the option, else its header, else the default. */
    public double pixelSizeFor(double fromHeader) {
        return pixelSizeA > 0 ? pixelSizeA : fromHeader > 0 ? fromHeader : DEFAULT_PIXEL_SIZE_A;
    }

    /** The enabled steps in order, as "motion,ctf". */
    public String stepList() {
        StringBuilder sb = new StringBuilder();
        for (String s : ALL_STEPS) {
            if (steps.contains(s)) {
                sb.append(sb.length() == 0 ? "" : ",").append(s);
            }
        }
        return sb.toString();
    }

    Map<String, String> pixel() {
        return Map.of("pixel_size_a", pixelSizeA > 0 ? num(pixelSizeA) : "header");
    }

    Map<String, String> motionSettings() {
        Map<String, String> m = new LinkedHashMap<>(pixel());
        m.put("voltage_kv", num(voltageKv));
        m.put("dose_per_frame", num(dosePerFrame));
        m.put("patches", Integer.toString(patches));
        m.put("b_factor_a2", num(bFactorA2));
        m.put("range_a", num(motionMinResolutionA) + "-" + num(motionMaxResolutionA));
        return m;
    }

    Map<String, String> ctfSettings() {
        Map<String, String> m = new LinkedHashMap<>(pixel());
        m.put("voltage_kv", num(voltageKv));
        m.put("cs_mm", num(csMm));
        m.put("amplitude_contrast", num(amplitudeContrast));
        m.put("window_px", Integer.toString(ctfWindowPx));
        m.put("range_a", num(ctfMinResolutionA) + "-" + num(ctfMaxResolutionA));
        return m;
    }

    Map<String, String> pickingSettings() {
        Map<String, String> m = new LinkedHashMap<>(pixel());
        m.put("particle_diameter_a", num(particleDiameterA));
        m.put("threshold_sigma", num(pickThresholdSigma));
        return m;
    }

    Map<String, String> exportSettings() {
        return Map.of("average", "mrc float32", "thumbnails", "spectrum,drift,picks");
    }

    /**
     * The run's own settings: none beyond the steps', whose hashes decide what a re-run redoes (a
     * change here would redo every step of every movie).
     */
    public Map<String, String> describe() {
        return Map.of("outputs", "items,picks,average,thumbnails,star,warp-state");
    }

    static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
    }
}
