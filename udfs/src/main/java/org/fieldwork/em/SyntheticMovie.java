package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A synthetic cryo-EM movie with known drift, defocus and particle positions, for tests, the demo and
 * the benchmark.
 *
 * <p>The specimen is a phase object on a canvas larger than the frame by the largest drift (the frame
 * itself when there is none): white Gaussian "ice" plus particles, each a rigid asymmetric cluster of
 * Gaussian balls rotated at random and projected along z, at random positions at least a diameter apart
 * and a radius plus the largest drift away from the frame's edges. The microscope image of it is {@code 1 + 2 F^-1[CTF(k) exp(-B k^2/4) Phi(k)]} (weak
 * phase approximation, CTF from {@link CtfModel}); its spectrum is kept. Frame {@code i} is that image
 * shifted by the drift {@code (shiftX[i], shiftY[i])} with a Fourier phase ramp on the whole canvas and
 * cropped, so content enters at the frame's edges from the canvas margin (no wrap-around), then drawn
 * as Poisson counts with mean {@code dose * intensity}.
 *
 * <p>Frames are made on request, two at a time (one inverse FFT carries a pair as real and imaginary
 * parts; the partner is kept until asked for), each from its own random stream, so a frame's counts
 * depend only on the seed and its index. Not thread-safe.
 */
public final class SyntheticMovie implements MovieFrames {

    /**
     * What to generate.
     *
     * @param width frame width (px)
     * @param height frame height (px)
     * @param frames number of frames
     * @param pixelSizeA pixel size (Å)
     * @param voltageKv acceleration voltage (kV)
     * @param csMm spherical aberration (mm)
     * @param amplitudeContrast amplitude contrast fraction
     * @param defocusUA defocus along {@code astigmatismAngleDeg} (Å, underfocus positive)
     * @param defocusVA defocus perpendicular to it (Å)
     * @param astigmatismAngleDeg direction of defocus U from +x towards +y (degrees)
     * @param dosePerPixelPerFrame mean electron count per pixel and frame
     * @param particleCount number of particles
     * @param particleDiameterA particle diameter (Å)
     * @param driftLengthPx length of the drift path from the first to the last frame (px)
     * @param driftAngleDeg initial drift direction from +x towards +y (degrees)
     * @param driftCurvatureDeg how far the drift direction turns over the movie (degrees)
     * @param particlePhase projected phase (rad) of a particle's largest ball at its centre
     * @param icePhaseRms RMS phase (rad) of the white ice background per pixel: the Thon rings' source
     * @param bFactorA2 B-factor of the CTF envelope {@code exp(-B k^2 / 4)} (Å^2)
     * @param seed seed of the specimen (particle places and poses, ice) and of each frame's noise; the drift is
     *     not random
     */
    public record Spec(int width, int height, int frames, double pixelSizeA, double voltageKv, double csMm,
            double amplitudeContrast, double defocusUA, double defocusVA, double astigmatismAngleDeg,
            double dosePerPixelPerFrame, int particleCount, double particleDiameterA, double driftLengthPx,
            double driftAngleDeg, double driftCurvatureDeg, double particlePhase, double icePhaseRms,
            double bFactorA2, long seed) {

        public Spec {
            if (width < 64 || height < 64 || frames < 1) {
                throw new IllegalArgumentException("movie must be at least 64x64x1, got " + width + "x" + height + "x"
                        + frames);
            }
            if (!(pixelSizeA > 0) || !(dosePerPixelPerFrame > 0) || particleCount < 0 || !(particleDiameterA > 0)
                    || driftLengthPx < 0 || icePhaseRms < 0 || bFactorA2 < 0) {
                throw new IllegalArgumentException("bad synthetic movie spec: " + this);
            }
        }

        /** 1024 x 1024 x 20 frames at 1.35 Å/px, 1.5/1.4 µm defocus, 12 particles of 200 Å, 8 px drift. */
        public static Spec small() {
            return new Spec(1024, 1024, 20, 1.35, 300, 2.7, 0.07, 15000, 14000, 30, 1.0, 12, 200, 8, 20, 60, 0.5,
                    0.05, 40, 1);
        }

        /** 4096 x 4096 x 40 frames at 1.35 Å/px, 2.0/1.85 µm defocus, 250 particles of 200 Å, 25 px drift. */
        public static Spec large() {
            return new Spec(4096, 4096, 40, 1.35, 300, 2.7, 0.07, 20000, 18500, 120, 1.0, 250, 200, 25, 20, 60, 0.5,
                    0.05, 40, 1);
        }

        public Spec withSize(int width, int height, int frames) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withDefocus(double defocusUA, double defocusVA, double astigmatismAngleDeg) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withDose(double dosePerPixelPerFrame) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withParticles(int particleCount, double particleDiameterA) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withDrift(double driftLengthPx, double driftAngleDeg, double driftCurvatureDeg) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withContrast(double particlePhase, double icePhaseRms, double bFactorA2) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withPixelSize(double pixelSizeA) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        public Spec withSeed(long seed) {
            return new Spec(width, height, frames, pixelSizeA, voltageKv, csMm, amplitudeContrast, defocusUA, defocusVA,
                    astigmatismAngleDeg, dosePerPixelPerFrame, particleCount, particleDiameterA, driftLengthPx,
                    driftAngleDeg, driftCurvatureDeg, particlePhase, icePhaseRms, bFactorA2, seed);
        }

        /** The microscope's CTF for this movie. */
        public CtfModel ctf() {
            return new CtfModel(voltageKv, csMm, amplitudeContrast, pixelSizeA, defocusUA, defocusVA,
                    astigmatismAngleDeg, 0);
        }
    }

    /** A particle centre in frame-0 pixel coordinates (x along a row, y down the rows). */
    public record Particle(double x, double y) {
    }

    /**
     * What was generated, for checking results against. Frame {@code i}'s content is displaced by
     * {@code (shiftX[i], shiftY[i])} px relative to frame 0 (so {@code frame_i(x + shift) = frame_0(x)});
     * defocus as {@link CtfFit} reports it (u &ge; v, angle of u in [0, 180) from +x towards +y);
     * {@code dose} in electrons per pixel and frame.
     */
    public record Truth(double[] shiftX, double[] shiftY, double defocusUUm, double defocusVUm,
            double astigmatismAngleDeg, List<Particle> particles, double pixelSizeA, double dose) {
    }

    /** Ball centres of the particle model in units of the particle radius: x, y, z, weight, sigma. */
    private static final double[][] BALLS = {
        {0, 0, 0, 1.0, 0.30},
        {0.45, 0.10, 0.05, 0.8, 0.25},
        {-0.30, 0.40, -0.10, 0.7, 0.22},
        {-0.25, -0.40, 0.20, 0.9, 0.25},
        {0.15, -0.30, -0.40, 0.6, 0.20},
        {0.55, -0.35, 0.10, 0.5, 0.18},
        {-0.55, 0.0, 0.30, 0.5, 0.18},
    };

    private static final double EXP_TABLE_MAX = 32;
    private static final int EXP_TABLE_STEPS = 1024;
    private static final double[] EXP_NEG = expTable();

    private final Spec spec;
    private final Truth truth;
    private final int canvasW;
    private final int canvasH;
    private final int offsetX;
    private final int offsetY;
    private final float[] cleanSpectrum;
    private float[] work;
    private float[] pending;
    private int pendingIndex = -1;

    public SyntheticMovie(Spec spec) {
        this.spec = spec;
        double[][] shifts = drift(spec);
        double maxShift = 0;
        for (double[] s : shifts) {
            for (double v : s) {
                maxShift = Math.max(maxShift, Math.abs(v));
            }
        }
        // without drift nothing enters from outside, and a frame-sized canvas keeps FFT sizes fast
        int margin = maxShift > 0 ? (int) Math.ceil(maxShift) + 2 : 0;
        canvasW = fastSize(spec.width() + 2 * margin);
        canvasH = fastSize(spec.height() + 2 * margin);
        offsetX = (canvasW - spec.width()) / 2;
        offsetY = (canvasH - spec.height()) / 2;

        SplittableRandom rng = new SplittableRandom(mix(spec.seed() ^ 0x5DEECE66DL));
        List<Particle> particles = place(spec, maxShift, rng);
        float[] phase = new float[canvasW * canvasH];
        for (int i = 0; i < phase.length; i++) {
            phase[i] = (float) (spec.icePhaseRms() * rng.nextGaussian());
        }
        double radiusPx = spec.particleDiameterA() / 2 / spec.pixelSizeA();
        for (Particle p : particles) {
            stamp(phase, p.x() + offsetX, p.y() + offsetY, radiusPx, spec.particlePhase(), rng);
        }
        Fft2 fft = Fft2.of(canvasW, canvasH);
        float[] c = fft.forward(phase);
        phase = null;
        spec.ctf().applyTo(c, canvasW, canvasH, spec.bFactorA2(), 2);
        c[0] += (float) canvasW * canvasH;
        clearNyquist(c, canvasW, canvasH);
        cleanSpectrum = c;

        double u = spec.defocusUA(), v = spec.defocusVA(), angle = spec.astigmatismAngleDeg();
        if (u < v) {
            u = spec.defocusVA();
            v = spec.defocusUA();
            angle += 90;
        }
        angle = ((angle % 180) + 180) % 180;
        truth = new Truth(shifts[0], shifts[1], u / 1e4, v / 1e4, u == v ? 0 : angle, List.copyOf(particles),
                spec.pixelSizeA(), spec.dosePerPixelPerFrame());
    }

    public Spec spec() {
        return spec;
    }

    public Truth truth() {
        return truth;
    }

    /** {@link #truth()} as JSON (camelCase fields, particles as {x, y} objects). */
    public String truthJson() {
        try {
            return new ObjectMapper().writeValueAsString(truth);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String location() {
        return "synthetic:" + spec.width() + "x" + spec.height() + "x" + spec.frames() + ",seed=" + spec.seed();
    }

    @Override
    public int width() {
        return spec.width();
    }

    @Override
    public int height() {
        return spec.height();
    }

    @Override
    public int frames() {
        return spec.frames();
    }

    @Override
    public double pixelSizeA() {
        return spec.pixelSizeA();
    }

    /** Frame {@code index} as Poisson electron counts. */
    @Override
    public float[] frame(int index) {
        checkIndex(index);
        if (index == pendingIndex) {
            float[] out = pending;
            pending = null;
            pendingIndex = -1;
            return out;
        }
        float[][] pair = noiselessPair(index / 2);
        float[] out = null;
        for (int k = 0; k < pair.length; k++) {
            int f = (index & ~1) + k;
            poisson(pair[k], spec.dosePerPixelPerFrame(), f);
            if (f == index) {
                out = pair[k];
            } else {
                pending = pair[k];
                pendingIndex = f;
            }
        }
        return out;
    }

    /** Frame {@code index} without noise: the drifted image intensity (mean about 1; counts have mean dose times this). */
    public float[] cleanFrame(int index) {
        checkIndex(index);
        return noiselessPair(index / 2)[index % 2];
    }

    @Override
    public void close() {
        work = null;
        pending = null;
        pendingIndex = -1;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= spec.frames()) {
            throw new IndexOutOfBoundsException("frame " + index + " of " + spec.frames());
        }
    }

    /** Frames {@code 2 pair} and {@code 2 pair + 1} (when it exists) without noise, in one inverse FFT. */
    private float[][] noiselessPair(int pair) {
        int first = 2 * pair;
        boolean two = first + 1 < spec.frames();
        if (work == null) {
            work = new float[cleanSpectrum.length];
        }
        float[] ax = ramp(truth.shiftX()[first], canvasW), ay = ramp(truth.shiftY()[first], canvasH);
        float[] bx = two ? ramp(truth.shiftX()[first + 1], canvasW) : null;
        float[] by = two ? ramp(truth.shiftY()[first + 1], canvasH) : null;
        float[] c = cleanSpectrum, z = work;
        for (int y = 0; y < canvasH; y++) {
            float ayr = ay[2 * y], ayi = ay[2 * y + 1];
            int row = 2 * y * canvasW;
            if (!two) {
                for (int x = 0; x < canvasW; x++) {
                    int i = row + 2 * x;
                    float rr = ax[2 * x] * ayr - ax[2 * x + 1] * ayi, ri = ax[2 * x] * ayi + ax[2 * x + 1] * ayr;
                    z[i] = c[i] * rr - c[i + 1] * ri;
                    z[i + 1] = c[i] * ri + c[i + 1] * rr;
                }
                continue;
            }
            float byr = by[2 * y], byi = by[2 * y + 1];
            for (int x = 0; x < canvasW; x++) {
                int i = row + 2 * x;
                float cr = c[i], ci = c[i + 1];
                // c * (ramp of the first frame + i * ramp of the second), each ramp ax[x] * ay[y]
                float rr = ax[2 * x] * ayr - ax[2 * x + 1] * ayi, ri = ax[2 * x] * ayi + ax[2 * x + 1] * ayr;
                float sr = bx[2 * x] * byr - bx[2 * x + 1] * byi, si = bx[2 * x] * byi + bx[2 * x + 1] * byr;
                z[i] = cr * rr - ci * ri - (cr * si + ci * sr);
                z[i + 1] = cr * ri + ci * rr + (cr * sr - ci * si);
            }
        }
        Fft2.of(canvasW, canvasH).inverseInPlace(z);
        int w = spec.width(), h = spec.height();
        float[][] out = new float[two ? 2 : 1][w * h];
        for (int y = 0; y < h; y++) {
            int src = 2 * ((y + offsetY) * canvasW + offsetX);
            int dst = y * w;
            for (int x = 0; x < w; x++) {
                out[0][dst + x] = z[src + 2 * x];
            }
            if (two) {
                for (int x = 0; x < w; x++) {
                    out[1][dst + x] = z[src + 2 * x + 1];
                }
            }
        }
        return out;
    }

    /** {@code exp(-2 pi i f shift / n)} for every FFT index along an axis, interleaved complex. */
    private static float[] ramp(double shift, int n) {
        float[] r = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double a = -2 * Math.PI * Fft2.frequency(i, n) * shift / n;
            r[2 * i] = (float) Math.cos(a);
            r[2 * i + 1] = (float) Math.sin(a);
        }
        return r;
    }

    /** Replaces intensities by Poisson counts of mean {@code dose * max(0, intensity)}, frame's own stream. */
    private void poisson(float[] image, double dose, int frame) {
        SplittableRandom rng = new SplittableRandom(mix(spec.seed() * 0x9E3779B97F4A7C15L + frame + 1));
        double[] inverse = new double[128];
        for (int k = 1; k < inverse.length; k++) {
            inverse[k] = 1.0 / k;
        }
        for (int i = 0; i < image.length; i++) {
            double mean = dose * Math.max(0f, image[i]);
            image[i] = mean < EXP_TABLE_MAX ? smallPoisson(mean, rng, inverse)
                    : (float) Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.nextGaussian()));
        }
    }

    /**
     * Poisson draw by inversion of the cumulative distribution: the first eight terms are compared without
     * branches (counts of about one electron per pixel rarely reach eight), the rest term by term.
     */
    private static float smallPoisson(double mean, SplittableRandom rng, double[] inverse) {
        double u = rng.nextDouble();
        double pos = mean * EXP_TABLE_STEPS;
        int j = (int) pos;
        double p = EXP_NEG[j] + (pos - j) * (EXP_NEG[j + 1] - EXP_NEG[j]);
        double cumulative = p;
        int k = u > cumulative ? 1 : 0;
        p *= mean;
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * 0.5;
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * (1.0 / 3);
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * 0.25;
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * 0.2;
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * (1.0 / 6);
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        p *= mean * (1.0 / 7);
        cumulative += p;
        k += u > cumulative ? 1 : 0;
        if (k == 8) {
            for (; k < inverse.length - 1; k++) {
                p *= mean * inverse[k];
                cumulative += p;
                if (u <= cumulative) {
                    break;
                }
            }
        }
        return k;
    }

    private static double[] expTable() {
        double[] t = new double[(int) (EXP_TABLE_MAX * EXP_TABLE_STEPS) + 2];
        for (int i = 0; i < t.length; i++) {
            t[i] = Math.exp(-(double) i / EXP_TABLE_STEPS);
        }
        return t;
    }

    /**
     * Per-frame shifts {x[], y[]} relative to frame 0: a path of the given length whose direction turns
     * steadily by the curvature, travelled fast at first and slower later (speed decaying with a time
     * constant of a quarter of the movie).
     */
    static double[][] drift(Spec spec) {
        int n = spec.frames();
        double[] sx = new double[n], sy = new double[n];
        double tau = Math.max(1, n / 4.0);
        double total = 1 - Math.exp(-(n - 1) / tau);
        double a0 = Math.toRadians(spec.driftAngleDeg()), turn = Math.toRadians(spec.driftCurvatureDeg());
        double length = spec.driftLengthPx();
        for (int i = 1; i < n; i++) {
            double f = (1 - Math.exp(-i / tau)) / total;
            if (Math.abs(turn) < 1e-9) {
                sx[i] = length * f * Math.cos(a0);
                sy[i] = length * f * Math.sin(a0);
            } else {
                sx[i] = length * (Math.sin(a0 + turn * f) - Math.sin(a0)) / turn;
                sy[i] = -length * (Math.cos(a0 + turn * f) - Math.cos(a0)) / turn;
            }
        }
        return new double[][] {sx, sy};
    }

    /** Random particle centres (frame-0 pixels) at least a diameter apart, clear of the edges in every frame. */
    private static List<Particle> place(Spec spec, double maxShift, SplittableRandom rng) {
        double d = spec.particleDiameterA() / spec.pixelSizeA();
        double edge = d / 2 + maxShift + 2;
        double spanX = spec.width() - 2 * edge, spanY = spec.height() - 2 * edge;
        List<Particle> out = new ArrayList<>();
        if (spec.particleCount() == 0) {
            return out;
        }
        if (spanX <= 0 || spanY <= 0) {
            throw new IllegalArgumentException("no room for " + spec.particleDiameterA() + " Å particles in a "
                    + spec.width() + "x" + spec.height() + " frame");
        }
        int attempts = 0;
        while (out.size() < spec.particleCount()) {
            if (++attempts > 2000 * spec.particleCount()) {
                throw new IllegalArgumentException("could not place " + spec.particleCount() + " particles "
                        + spec.particleDiameterA() + " Å apart in a " + spec.width() + "x" + spec.height() + " frame");
            }
            double x = edge + rng.nextDouble() * spanX, y = edge + rng.nextDouble() * spanY;
            boolean free = true;
            for (Particle p : out) {
                double dx = p.x() - x, dy = p.y() - y;
                if (dx * dx + dy * dy < d * d) {
                    free = false;
                    break;
                }
            }
            if (free) {
                out.add(new Particle(x, y));
            }
        }
        return out;
    }

    /** Adds one particle, rotated at random and projected along z, centred at canvas (cx, cy). */
    private void stamp(float[] phase, double cx, double cy, double radiusPx, double peak, SplittableRandom rng) {
        double[] r = randomRotation(rng);
        for (double[] b : BALLS) {
            double bx = r[0] * b[0] + r[1] * b[1] + r[2] * b[2];
            double by = r[3] * b[0] + r[4] * b[1] + r[5] * b[2];
            double px = cx + bx * radiusPx, py = cy + by * radiusPx;
            double sigma = b[4] * radiusPx;
            int reach = (int) Math.ceil(3.5 * sigma);
            int x0 = Math.max(0, (int) Math.floor(px) - reach), x1 = Math.min(canvasW - 1, (int) Math.ceil(px) + reach);
            int y0 = Math.max(0, (int) Math.floor(py) - reach), y1 = Math.min(canvasH - 1, (int) Math.ceil(py) + reach);
            double[] gx = new double[x1 - x0 + 1];
            for (int x = x0; x <= x1; x++) {
                gx[x - x0] = Math.exp(-(x - px) * (x - px) / (2 * sigma * sigma));
            }
            for (int y = y0; y <= y1; y++) {
                double gy = peak * b[3] * Math.exp(-(y - py) * (y - py) / (2 * sigma * sigma));
                int row = y * canvasW;
                for (int x = x0; x <= x1; x++) {
                    phase[row + x] += (float) (gy * gx[x - x0]);
                }
            }
        }
    }

    /** A uniformly random rotation matrix, row-major, from a random unit quaternion. */
    private static double[] randomRotation(SplittableRandom rng) {
        double w = rng.nextGaussian(), x = rng.nextGaussian(), y = rng.nextGaussian(), z = rng.nextGaussian();
        double norm = Math.sqrt(w * w + x * x + y * y + z * z);
        w /= norm;
        x /= norm;
        y /= norm;
        z /= norm;
        return new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
        };
    }

    /**
     * Zeroes the Nyquist row and column: a sub-pixel phase ramp would make them non-Hermitian, and the
     * frame pair sharing one inverse FFT needs both halves real.
     */
    private static void clearNyquist(float[] c, int w, int h) {
        if (w % 2 == 0) {
            for (int y = 0; y < h; y++) {
                int i = 2 * (y * w + w / 2);
                c[i] = 0;
                c[i + 1] = 0;
            }
        }
        if (h % 2 == 0) {
            for (int x = 0; x < w; x++) {
                int i = 2 * ((h / 2) * w + x);
                c[i] = 0;
                c[i + 1] = 0;
            }
        }
    }

    /** Smallest even size at least {@code n} with no prime factor above 5 (fast for the FFT). */
    static int fastSize(int n) {
        for (int m = n + (n & 1);; m += 2) {
            int r = m;
            for (int p : new int[] {2, 3, 5}) {
                while (r % p == 0) {
                    r /= p;
                }
            }
            if (r == 1) {
                return m;
            }
        }
    }

    /** A 64-bit mixing function (Stafford's variant 13 finaliser), to derive independent seeds. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
