package org.fieldwork.em;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One movie's steps with the run's settings: motion correction, the aligned sum the later steps
 * read, CTF estimation and picking. The sum comes from this run's motion correction, else from an
 * earlier run's exported average, else it is computed again (motion correction, or the plain frame
 * sum when motion is off: a single-frame file is a micrograph).
 */
final class MovieSteps {
    private final EmSettings settings;
    private final MovieFrames movie;
    private final double pixelSizeA;
    private MotionResult motion;
    private List<Double> shiftX;
    private List<Double> shiftY;
    private Double motionMean;
    private float[] average;

    MovieSteps(EmSettings settings, MovieFrames movie, double pixelSizeA) {
        this.settings = settings;
        this.movie = movie;
        this.pixelSizeA = pixelSizeA;
    }

    void correctMotion() throws IOException {
        motion = MotionCorrection.correct(movie, motionSettings());
        shiftX = doubles(motion.shiftX());
        shiftY = doubles(motion.shiftY());
        motionMean = motion.meanMotionPx();
        average = motion.average();
    }

    /** Shifts from an earlier run whose motion settings were the same. */
    void keepMotion(List<Double> x, List<Double> y) {
        shiftX = x;
        shiftY = y;
        motionMean = MotionResult.meanMotionPx(x.size(), x::get, y::get);
    }

    List<Double> shiftX() {
        return shiftX;
    }

    List<Double> shiftY() {
        return shiftY;
    }

    Double motionMeanPx() {
        return motionMean;
    }

    /** The aligned sum: this run's, else {@code earlier} (an exported average, null when none), else computed now. */
    float[] average(Supplier<float[]> earlier) throws IOException {
        if (average == null) {
            float[] kept = earlier.get();
            if (kept != null && kept.length == movie.width() * movie.height()) {
                average = kept;
            } else if (settings.runs(EmSettings.MOTION)) {
                average = MotionCorrection.correct(movie, motionSettings()).average();
            } else {
                average = frameSum();
            }
        }
        return average;
    }

    CtfFit estimateCtf(Supplier<float[]> earlier) throws IOException {
        return CtfEstimator.estimate(average(earlier), movie.width(), movie.height(), ctfSettings());
    }

    List<Pick> pick(float[] micrograph) {
        return LogPicker.pick(micrograph, movie.width(), movie.height(), pickSettings());
    }

    double particleRadiusPx() {
        return settings.particleDiameterA() / 2 / pixelSizeA;
    }

    private float[] frameSum() throws IOException {
        float[] sum = new float[movie.width() * movie.height()];
        float[] f = new float[sum.length];
        for (int i = 0; i < movie.frames(); i++) {
            movie.readFrame(i, f);
            for (int p = 0; p < sum.length; p++) {
                sum[p] += f[p];
            }
        }
        return sum;
    }

    MotionSettings motionSettings() {
        MotionSettings d = MotionSettings.defaults(pixelSizeA);
        return new MotionSettings(pixelSizeA, settings.motionMinResolutionA(), settings.motionMaxResolutionA(),
                settings.bFactorA2(), d.maxShiftPx(), d.iterations(), d.tolerancePx(), settings.patches(),
                settings.dosePerFrame(), settings.voltageKv());
    }

    CtfSettings ctfSettings() {
        return CtfSettings.defaults(pixelSizeA).withOptics(settings.voltageKv(), settings.csMm(), settings.amplitudeContrast())
                .withWindow(settings.ctfWindowPx()).withResolutionRange(settings.ctfMinResolutionA(),
                        settings.ctfMaxResolutionA());
    }

    PickSettings pickSettings() {
        return PickSettings.defaults(pixelSizeA).withDiameter(settings.particleDiameterA())
                .withThresholdSigma(settings.pickThresholdSigma());
    }

    private static List<Double> doubles(float[] v) {
        List<Double> out = new ArrayList<>(v.length);
        for (float f : v) {
            out.add((double) f);
        }
        return out;
    }
}
