package org.fieldwork.em;

/**
 * Iterative alignment of a stack of frame spectra to their own sum (MotionCor2 / RELION style).
 * Each iteration correlates every frame with the sum of the others (the frame itself left out, so
 * that its own noise makes no peak at its current position), takes the highest cross-correlation
 * within the maximum shift, and then shifts all frames by their updates with Fourier phase ramps. It
 * stops when the RMS update is below the tolerance or after the last iteration; the updates of the
 * last iteration are applied too. From the second iteration on, each frequency of the cross-power is
 * weighted by the signal-to-noise ratio estimated from the stack ({@link #weighBySignal}), so that
 * frequencies without signal add no noise to the peak.
 *
 * <p>The peak is located to sub-pixel first by a parabola per axis through the sampled map, then
 * exactly: the correlation is a Fourier series in the lag, C(d) = sum over k of
 * Re(P(k) exp(2 pi i k.d)), and Newton's method on it (value, gradient and Hessian summed over the
 * spectrum) finds its maximum between the samples. Spectra are sampled coarsely for alignment (about
 * 2 frame pixels per sample at the default band), so the peak spans little more than one sample and
 * a parabola through three samples is pulled towards them, which the exact maximum is not.
 *
 * <p>Frames do not wrap around: content leaves at one edge and new content enters at the other,
 * so a frame shares less area with the others the further it is moved from where its edges meet
 * theirs. The correlation is divided by that shared area at each lag, which would otherwise pull
 * every frame towards the others' raw positions and shrink the trajectory.
 *
 * <p>Spectra are complex arrays laid out as {@link Fft2} makes them, already filtered for alignment
 * (band and B-factor), but only their first {@link #halfRows} rows (frequencies 0 to height / 2, every
 * column): frames are real, so F(-k) = conj F(k) gives the other rows, and a movie's spectra take
 * half the memory. The cross-power spectrum is their product, weighted per frequency. Two correlation maps are
 * real, so they share one inverse transform as the real and imaginary part. Shifts follow the
 * movie convention: a frame whose content moved by +s is aligned by sampling it at x + s.
 */
final class FrameAligner {
    private final int width;
    private final int height;
    private final Fft2 fft;
    private final float[] sum;
    private final float[] work;
    /** Cross-powers of the two frames of a pair, stored rows only. */
    private final float[] powerA;
    private final float[] powerB;
    private final float[] rampXr;
    private final float[] rampXi;
    private final float[] rampYr;
    private final float[] rampYi;
    /** Autocorrelation of the window along each axis at integer lags 0..n-1 (box: n - lag). */
    private final double[] overlapX;
    private final double[] overlapY;
    private double[] overlap = new double[0];
    private double[] lagX = new double[0];
    private double[] lagY = new double[0];
    /** Lag step (samples) of the overlap's numerical derivative. */
    private static final double OVERLAP_STEP = 0.01;
    /** The correlation and its derivatives at one lag (see {@link #moments}). */
    private final double[] derivatives = new double[6];
    private final double[] phaseXr;
    private final double[] phaseXi;
    /** Angular frequency (radians per sample) of each column and row. */
    private final double[] omegaX;
    private final double[] omegaY;
    /** Radial shell of each frequency (row-major) in steps of one sample of the larger side; -1 on the axes. */
    private final int[] shell;
    private final int shells;
    /** Cross-power weight of each frequency (row-major): uniform in the first iteration, then from the stack's SNR. */
    private final float[] weight;
    /** The weighting takes a frame's noise power as at least this fraction of its signal power. */
    private static final double MAX_FRAME_SNR_INVERSE = 0.01;
    /** Per stored row, the columns that can hold non-zero values: 0..keptX[row] and width-keptX[row]..width-1. */
    private int[] keptX;

    /** Shifts in pixels of the spectra's sampling and the iterations run. */
    record Alignment(double[] dx, double[] dy, int iterations) {
    }

    /** Frames that fill the whole field (a box window). */
    FrameAligner(int width, int height) {
        this(width, height, null, null);
    }

    /**
     * Frames tapered by the separable window windowX x windowY (null: a box, no taper), whose
     * overlap the correlation is normalised by.
     */
    FrameAligner(int width, int height, float[] windowX, float[] windowY) {
        this.width = width;
        this.height = height;
        this.overlapX = autocorrelation(windowX, width);
        this.overlapY = autocorrelation(windowY, height);
        this.fft = Fft2.of(width, height);
        this.sum = new float[spectrumLength(width, height)];
        this.powerA = new float[spectrumLength(width, height)];
        this.powerB = new float[spectrumLength(width, height)];
        this.work = new float[2 * width * height];
        this.rampXr = new float[width];
        this.rampXi = new float[width];
        this.rampYr = new float[height];
        this.rampYi = new float[height];
        this.phaseXr = new double[width];
        this.phaseXi = new double[width];
        this.omegaX = new double[width];
        this.omegaY = new double[height];
        for (int x = 0; x < width; x++) {
            omegaX[x] = 2 * Math.PI * Fft2.frequency(x, width) / width;
        }
        for (int y = 0; y < height; y++) {
            omegaY[y] = 2 * Math.PI * Fft2.frequency(y, height) / height;
        }
        int side = Math.max(width, height);
        this.shells = side / 2 + 2;
        this.shell = new int[width * halfRows(height)];
        for (int y = 0; y < halfRows(height); y++) {
            int fy = Fft2.frequency(y, height);
            for (int x = 0; x < width; x++) {
                int fx = Fft2.frequency(x, width);
                double r = Math.hypot(fx / (double) width, fy / (double) height) * side;
                // the axes carry the frame edges' discontinuity, which stays with the frame, not the specimen
                shell[y * width + x] = fx == 0 || fy == 0 ? -1 : Math.min(shells - 1, (int) Math.round(r));
            }
        }
        this.weight = new float[width * halfRows(height)];
    }

    /**
     * Aligns the spectra with each other and leaves them shifted by the returned shifts (each
     * frame's content displacement relative to the stack's mean position).
     */
    Alignment align(float[][] spectra, double maxShift, int maxIterations, double tolerance) {
        int n = spectra.length;
        double[] sx = new double[n];
        double[] sy = new double[n];
        if (n < 2) {
            return new Alignment(sx, sy, 0);
        }
        int window = (int) Math.min(Math.floor(maxShift), Math.min(width, height) / 2 - 3) + 1;
        if (window < 2) {
            throw new IllegalArgumentException("spectra of " + width + "x" + height + " are too small to align");
        }
        double[] ux = new double[n];
        double[] uy = new double[n];
        int side = 2 * window + 1;
        if (overlap.length != side * side) {
            overlap = new double[side * side];
            lagX = new double[side];
            lagY = new double[side];
        }
        keptX = keptColumns(spectra);
        uniformWeight();
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            iterations++;
            sumOf(spectra);
            if (it > 0) {
                weighBySignal(spectra);
            }
            for (int i = 0; i < n; i += 2) {
                float[] a = spectra[i];
                float[] b = i + 1 < n ? spectra[i + 1] : null;
                crossPowerPair(a, b);
                // the peak search reads lags up to the window only
                fft.inverseNearOrigin(work, window);
                overlap(i, sx, sy, window);
                peak(0, window, ux, uy, i);
                if (b != null) {
                    overlap(i + 1, sx, sy, window);
                    peak(1, window, ux, uy, i + 1);
                }
                refine(a, i, ux, uy, sx, sy, window);
                if (b != null) {
                    refine(b, i + 1, ux, uy, sx, sy, window);
                }
            }
            double sq = 0;
            for (int i = 0; i < n; i++) {
                shift(spectra[i], ux[i], uy[i]);
                sx[i] += ux[i];
                sy[i] += uy[i];
                sq += ux[i] * ux[i] + uy[i] * uy[i];
            }
            if (Math.sqrt(sq / n) < tolerance) {
                break;
            }
        }
        return new Alignment(sx, sy, iterations);
    }

    /** Multiplies a spectrum by the phase ramp that moves its content by (-dx, -dy): aligned(x) = f(x + d). */
    void shift(float[] spectrum, double dx, double dy) {
        if (dx == 0 && dy == 0) {
            return;
        }
        for (int x = 0; x < width; x++) {
            double p = 2 * Math.PI * Fft2.frequency(x, width) * dx / width;
            rampXr[x] = (float) Math.cos(p);
            rampXi[x] = (float) Math.sin(p);
        }
        for (int y = 0; y < height; y++) {
            double p = 2 * Math.PI * Fft2.frequency(y, height) * dy / height;
            rampYr[y] = (float) Math.cos(p);
            rampYi[y] = (float) Math.sin(p);
        }
        for (int y = 0; y < halfRows(height); y++) {
            float yr = rampYr[y];
            float yi = rampYi[y];
            int o = 2 * y * width;
            for (int x = 0; x < width; x++) {
                float rr = rampXr[x] * yr - rampXi[x] * yi;
                float ri = rampXr[x] * yi + rampXi[x] * yr;
                int j = o + 2 * x;
                float fr = spectrum[j];
                float fi = spectrum[j + 1];
                spectrum[j] = fr * rr - fi * ri;
                spectrum[j + 1] = fr * ri + fi * rr;
            }
        }
    }

    private void sumOf(float[][] spectra) {
        System.arraycopy(spectra[0], 0, sum, 0, sum.length);
        for (int i = 1; i < spectra.length; i++) {
            float[] s = spectra[i];
            for (int j = 0; j < sum.length; j++) {
                sum[j] += s[j];
            }
        }
    }

    /**
     * work = Pa + i Pb with P = F conj(sum - F), the cross-power of a frame with all the others,
     * weighted; computed on the stored rows, the whole spectrum by {@link #combineHalves}.
     */
    private void crossPowerPair(float[] a, float[] b) {
        crossPower(a, powerA);
        if (b != null) {
            crossPower(b, powerB);
        }
        combineHalves(powerA, b == null ? null : powerB, width, height, work);
    }

    private void crossPower(float[] f, float[] p) {
        for (int j = 0; j < p.length; j += 2) {
            float fr = f[j];
            float fi = f[j + 1];
            float rr = sum[j] - fr;
            float ri = sum[j + 1] - fi;
            float w = weight[j >> 1];
            p[j] = w * (fr * rr + fi * ri);
            p[j + 1] = w * (fi * rr - fr * ri);
        }
    }

    /** Rows of a stored spectrum: frequencies 0 to height / 2 (see the class comment). */
    static int halfRows(int height) {
        return height / 2 + 1;
    }

    /** Floats in a stored spectrum of a width x height frame (interleaved complex, {@link #halfRows} rows). */
    static int spectrumLength(int width, int height) {
        return 2 * width * halfRows(height);
    }

    /**
     * The stored rows of the spectra A and B (b may be null) of two real images a and b, from the full
     * spectrum z of a + i b: A(k) = (Z(k) + conj Z(-k)) / 2 and B(k) = (Z(k) - conj Z(-k)) / 2i.
     */
    static void splitHalves(float[] z, int width, int height, float[] a, float[] b) {
        for (int y = 0; y < halfRows(height); y++) {
            int my = ((height - y) % height) * width;
            for (int x = 0; x < width; x++) {
                int k = 2 * (y * width + x);
                int m = 2 * (x == 0 ? my : my + width - x);
                float zr = z[k];
                float zi = z[k + 1];
                float mzr = z[m];
                float mzi = z[m + 1];
                a[k] = 0.5f * (zr + mzr);
                a[k + 1] = 0.5f * (zi - mzi);
                if (b != null) {
                    b[k] = 0.5f * (zi + mzi);
                    b[k + 1] = 0.5f * (mzr - zr);
                }
            }
        }
    }

    /**
     * The full spectrum z = A + i B (z: 2 x width x height floats) of two real images from their
     * stored halves (b null: B = 0), for an inverse transform that gives A and B as its real and imaginary parts.
     */
    static void combineHalves(float[] a, float[] b, int width, int height, float[] z) {
        int rows = halfRows(height);
        for (int y = 0; y < rows; y++) {
            int my = y > 0 && 2 * y != height ? height - y : -1;
            for (int x = 0; x < width; x++) {
                int j = 2 * (y * width + x);
                float ar = a[j];
                float ai = a[j + 1];
                float br = b == null ? 0 : b[j];
                float bi = b == null ? 0 : b[j + 1];
                z[j] = ar - bi;
                z[j + 1] = ai + br;
                if (my >= 0) {
                    int m = 2 * (my * width + (width - x) % width);
                    z[m] = ar + bi;
                    z[m + 1] = br - ai;
                }
            }
        }
    }

    /**
     * The overlap, at each lag d of the search window, of frame i's valid area (moved by its shift
     * s_i and the lag) with those of the other frames: O(d) = sum over j != i of
     * ax(d_x + s_ix - s_jx) ay(d_y + s_iy - s_jy), ax and ay the window's autocorrelations. The
     * correlation's signal grows with it, so a frame would otherwise be pulled towards the shift at
     * which its edges meet the others' (by about the peak's variance over the frame size).
     */
    private void overlap(int i, double[] sx, double[] sy, int window) {
        java.util.Arrays.fill(overlap, 0);
        int side = 2 * window + 1;
        for (int j = 0; j < sx.length; j++) {
            if (j == i) {
                continue;
            }
            for (int l = 0; l < side; l++) {
                lagX[l] = lagged(overlapX, l - window + sx[i] - sx[j]);
                lagY[l] = lagged(overlapY, l - window + sy[i] - sy[j]);
            }
            for (int ly = 0; ly < side; ly++) {
                double oy = lagY[ly];
                if (oy == 0) {
                    continue;
                }
                int o = ly * side;
                for (int lx = 0; lx < side; lx++) {
                    overlap[o + lx] += oy * lagX[lx];
                }
            }
        }
    }

    private static double lagged(double[] auto, double lag) {
        double a = Math.abs(lag);
        int l = (int) a;
        if (l + 1 >= auto.length) {
            return l < auto.length ? auto[l] * (l + 1 - a) : 0;
        }
        double f = a - l;
        return auto[l] * (1 - f) + auto[l + 1] * f;
    }

    private static double[] autocorrelation(float[] window, int n) {
        double[] a = new double[n];
        for (int l = 0; l < n; l++) {
            if (window == null) {
                a[l] = n - l;
            } else {
                double s = 0;
                for (int x = 0; x + l < n; x++) {
                    s += (double) window[x] * window[x + l];
                }
                a[l] = s;
            }
        }
        return a;
    }

    /** The sub-pixel peak of the overlap-normalised correlation map in part 0 (real) or 1 (imaginary) of work. */
    private void peak(int part, int window, double[] ux, double[] uy, int frame) {
        int bx = 0;
        int by = 0;
        double best = Double.NEGATIVE_INFINITY;
        int limit = window - 1;
        for (int dy = -limit; dy <= limit; dy++) {
            int o = ((dy + height) % height) * width;
            for (int dx = -limit; dx <= limit; dx++) {
                double v = work[2 * (o + (dx + width) % width) + part] / overlapAt(dx, dy, window);
                if (v > best) {
                    best = v;
                    bx = dx;
                    by = dy;
                }
            }
        }
        ux[frame] = bx + vertex(at(bx - 1, by, part, window), best, at(bx + 1, by, part, window));
        uy[frame] = by + vertex(at(bx, by - 1, part, window), best, at(bx, by + 1, part, window));
    }

    private double overlapAt(int dx, int dy, int window) {
        double o = overlap[(dy + window) * (2 * window + 1) + dx + window];
        return o > 0 ? o : Double.POSITIVE_INFINITY;
    }

    private double at(int dx, int dy, int part, int window) {
        int x = ((dx % width) + width) % width;
        int y = ((dy % height) + height) % height;
        return work[2 * (y * width + x) + part] / overlapAt(dx, dy, window);
    }

    /**
     * Moves frame i's update (ux, uy) from the parabola's estimate to the maximum of the continuous,
     * overlap-normalised correlation C(d) / O(d), by Newton steps on its gradient
     * grad C - C grad log O = 0 (the overlap varies by about one part in the frame size per sample,
     * so its second derivatives are left out). Keeps the parabola's estimate if the steps do not
     * converge to a maximum within a sample of it.
     */
    private void refine(float[] f, int i, double[] ux, double[] uy, double[] sx, double[] sy, int window) {
        double x0 = ux[i];
        double y0 = uy[i];
        double dx = x0;
        double dy = y0;
        double[] m = derivatives;
        double h = OVERLAP_STEP;
        for (int step = 0; step < 6; step++) {
            moments(f, dx, dy, m);
            double c = m[0];
            double o = overlapOf(i, sx, sy, dx, dy);
            if (!(o > 0) || !(c > 0)) {
                return;
            }
            double lx = (overlapOf(i, sx, sy, dx + h, dy) - overlapOf(i, sx, sy, dx - h, dy)) / (2 * h * o);
            double ly = (overlapOf(i, sx, sy, dx, dy + h) - overlapOf(i, sx, sy, dx, dy - h)) / (2 * h * o);
            double gx = m[1] - c * lx;
            double gy = m[2] - c * ly;
            double hxx = m[3] - m[1] * lx;
            double hyy = m[4] - m[2] * ly;
            double hxy = m[5];
            double det = hxx * hyy - hxy * hxy;
            if (!(hxx < 0) || !(det > 0)) {
                return;
            }
            double stepX = (hyy * gx - hxy * gy) / det;
            double stepY = (hxx * gy - hxy * gx) / det;
            dx -= stepX;
            dy -= stepY;
            if (Math.abs(dx - x0) > 1 || Math.abs(dy - y0) > 1 || Math.abs(dx) >= window || Math.abs(dy) >= window) {
                return;
            }
            if (stepX * stepX + stepY * stepY < 1e-6) {
                break;
            }
        }
        ux[i] = dx;
        uy[i] = dy;
    }

    /**
     * The correlation of frame spectrum f with the others (P = F conj(sum - F)) at lag (dx, dy) and
     * its derivatives: m = {C, dC/dx, dC/dy, d2C/dx2, d2C/dy2, d2C/dxdy}, up to a common factor. P is
     * Hermitian, so the sum runs over half the spectrum (rows of positive frequency, and the positive
     * half of row 0): the other half doubles every term, which the Newton steps do not see.
     */
    private void moments(float[] f, double dx, double dy, double[] m) {
        for (int x = 0; x < width; x++) {
            double p = omegaX[x] * dx;
            phaseXr[x] = Math.cos(p);
            phaseXi[x] = Math.sin(p);
        }
        java.util.Arrays.fill(m, 0);
        int lastRow = (height - 1) / 2;
        for (int y = 0; y <= lastRow; y++) {
            int kept = keptX[y];
            if (kept < 0) {
                continue;
            }
            double q0r = 0;
            double q0i = 0;
            double q1r = 0;
            double q1i = 0;
            double q2r = 0;
            double q2i = 0;
            int o = 2 * y * width;
            // row 0: only positive frequencies (their mirrors are the negative ones); other rows: both runs
            int negFrom = y == 0 ? width : width - kept;
            int posFrom = y == 0 ? 1 : 0;
            for (int run = 0; run < 2; run++) {
                int from = run == 0 ? posFrom : Math.max(negFrom, kept + 1);
                int to = run == 0 ? Math.min(kept, width - 1) : width - 1;
                for (int x = from; x <= to; x++) {
                    int j = o + 2 * x;
                    float fr = f[j];
                    float fi = f[j + 1];
                    float rr = sum[j] - fr;
                    float ri = sum[j + 1] - fi;
                    float w = weight[j >> 1];
                    double pr = w * (fr * rr + fi * ri);
                    double pi = w * (fi * rr - fr * ri);
                    double er = phaseXr[x];
                    double ei = phaseXi[x];
                    double qr = pr * er - pi * ei;
                    double qi = pr * ei + pi * er;
                    double wx = omegaX[x];
                    q0r += qr;
                    q0i += qi;
                    q1r += wx * qr;
                    q1i += wx * qi;
                    q2r += wx * wx * qr;
                    q2i += wx * wx * qi;
                }
            }
            double p = omegaY[y] * dy;
            double er = Math.cos(p);
            double ei = Math.sin(p);
            double wy = omegaY[y];
            // Re and Im of e^{i wy dy} times each row sum
            double c0 = q0r * er - q0i * ei;
            double s0 = q0r * ei + q0i * er;
            double c1 = q1r * er - q1i * ei;
            double s1 = q1r * ei + q1i * er;
            double c2 = q2r * er - q2i * ei;
            m[0] += c0;
            m[1] -= s1;
            m[2] -= wy * s0;
            m[3] -= c2;
            m[4] -= wy * wy * c0;
            m[5] -= wy * c1;
        }
    }

    /**
     * Weighs each frequency of the cross-power by what it tells about a frame's shift, estimated from
     * the stack as aligned so far. Per radial shell, one frame's signal power is S = (|sum|² - sum of
     * |F|²) / (n (n - 1)) and its noise power N = sum of |F|² / n - S. A frame correlated with the
     * other n - 1 has expected cross-power (n - 1) S and variance (n - 1) N (n S + N), so the weight
     * that minimises the variance of the peak's position is S / (N (n S + N)): about S / N² where
     * frames are noisy, falling as 1 / S where they are clean (N taken as at least S / 100). Shells
     * with no measurable signal (CTF zeros, beyond the specimen's resolution) get 0 and add no noise
     * to the peak. Relative to the spectra as given, so the alignment band's B-factor shapes only the
     * first iteration, before the frames are aligned well enough to measure their SNR. A stack
     * without measurable signal in any shell keeps the uniform weight.
     */
    private void weighBySignal(float[][] spectra) {
        int n = spectra.length;
        double[] sumPower = new double[shells];
        double[] framePower = new double[shells];
        long[] count = new long[shells];
        for (int k = 0; k < shell.length; k++) {
            int sh = shell[k];
            if (sh >= 0) {
                double power = (double) sum[2 * k] * sum[2 * k] + (double) sum[2 * k + 1] * sum[2 * k + 1];
                sumPower[sh] += power;
                // frequencies the band left out are zero in every frame: they are not part of the shell's mean
                count[sh] += power > 0 ? 1 : 0;
            }
        }
        for (float[] f : spectra) {
            for (int k = 0; k < shell.length; k++) {
                int sh = shell[k];
                if (sh >= 0) {
                    framePower[sh] += (double) f[2 * k] * f[2 * k] + (double) f[2 * k + 1] * f[2 * k + 1];
                }
            }
        }
        double[] w = new double[shells];
        double max = 0;
        for (int sh = 0; sh < shells; sh++) {
            if (count[sh] == 0 || framePower[sh] == 0) {
                continue;
            }
            double signal = (sumPower[sh] - framePower[sh]) / (n * (n - 1.0)) / count[sh];
            // a frame SNR above 100 is taken as 100: beyond that, what differs between frames is not counts
            double noise = Math.max(framePower[sh] / n / count[sh] - signal, MAX_FRAME_SNR_INVERSE * signal);
            if (signal > 0) {
                w[sh] = signal / (noise * (n * signal + noise));
                max = Math.max(max, w[sh]);
            }
        }
        if (!(max > 0)) {
            uniformWeight();
            return;
        }
        for (int k = 0; k < shell.length; k++) {
            weight[k] = shell[k] < 0 ? 0f : (float) (w[shell[k]] / max);
        }
    }

    /** Every frequency off the axes weighs the same. */
    private void uniformWeight() {
        for (int k = 0; k < shell.length; k++) {
            weight[k] = shell[k] < 0 ? 0f : 1f;
        }
    }

    /** Per row, the largest |frequency| column holding a non-zero value in any spectrum, or -1. */
    private int[] keptColumns(float[][] spectra) {
        int[] kept = new int[height];
        java.util.Arrays.fill(kept, -1);
        for (int y = 0; y < halfRows(height); y++) {
            int o = 2 * y * width;
            search:
            for (int fx = width / 2; fx >= 0; fx--) {
                int xp = 2 * fx;
                int xn = 2 * ((width - fx) % width);
                for (float[] s : spectra) {
                    if (s[o + xp] != 0 || s[o + xp + 1] != 0 || s[o + xn] != 0 || s[o + xn + 1] != 0) {
                        kept[y] = fx;
                        break search;
                    }
                }
            }
        }
        return kept;
    }

    /** The overlap of frame i, moved by lag (dx, dy) from its current shift, with the other frames. */
    private double overlapOf(int i, double[] sx, double[] sy, double dx, double dy) {
        double o = 0;
        for (int j = 0; j < sx.length; j++) {
            if (j != i) {
                o += lagged(overlapX, dx + sx[i] - sx[j]) * lagged(overlapY, dy + sy[i] - sy[j]);
            }
        }
        return o;
    }

    /** Offset of a parabola's vertex through (-1, l), (0, c), (1, r), within half a pixel. */
    static double vertex(double l, double c, double r) {
        double d = l - 2 * c + r;
        if (!(d < 0)) {
            return 0;
        }
        double v = 0.5 * (l - r) / d;
        return Math.max(-0.5, Math.min(0.5, v));
    }
}
