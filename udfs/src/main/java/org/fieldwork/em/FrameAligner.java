package org.fieldwork.em;

/**
 * Iterative alignment of a stack of frame spectra to their own sum (MotionCor2 / RELION style).
 * Each iteration correlates every frame with the sum of the others (the frame itself left out, so
 * that its own noise makes no peak at its current position), takes the highest cross-correlation
 * within the maximum shift, refines it to sub-pixel with a parabola per axis, and then shifts all
 * frames by their updates with Fourier phase ramps. It stops when the RMS update is below the
 * tolerance or after the last iteration; the updates of the last iteration are applied too.
 *
 * <p>Frames do not wrap around: content leaves at one edge and new content enters at the other,
 * so a frame shares less area with the others the further it is moved from where its edges meet
 * theirs. The correlation is divided by that shared area at each lag, which would otherwise pull
 * every frame towards the others' raw positions and shrink the trajectory.
 *
 * <p>Spectra are full complex arrays as {@link Fft2} makes them, already filtered for alignment
 * (band and B-factor): the cross-power spectrum is their plain product. Two correlation maps are
 * real, so they share one inverse transform as the real and imaginary part. Shifts follow the
 * movie convention: a frame whose content moved by +s is aligned by sampling it at x + s.
 */
final class FrameAligner {
    private final int width;
    private final int height;
    private final Fft2 fft;
    private final float[] sum;
    private final float[] work;
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
        this.sum = new float[2 * width * height];
        this.work = new float[2 * width * height];
        this.rampXr = new float[width];
        this.rampXi = new float[width];
        this.rampYr = new float[height];
        this.rampYi = new float[height];
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
        int iterations = 0;
        for (int it = 0; it < maxIterations; it++) {
            iterations++;
            sumOf(spectra);
            for (int i = 0; i < n; i += 2) {
                float[] a = spectra[i];
                float[] b = i + 1 < n ? spectra[i + 1] : null;
                crossPowerPair(a, b);
                fft.inverseInPlace(work);
                overlap(i, sx, sy, window);
                peak(0, window, ux, uy, i);
                if (b != null) {
                    overlap(i + 1, sx, sy, window);
                    peak(1, window, ux, uy, i + 1);
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
        for (int y = 0; y < height; y++) {
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

    /** work = Pa + i Pb with P = F conj(sum - F), the cross-power of a frame with all the others. */
    private void crossPowerPair(float[] a, float[] b) {
        int len = sum.length;
        if (b == null) {
            for (int j = 0; j < len; j += 2) {
                float ar = a[j];
                float ai = a[j + 1];
                float rr = sum[j] - ar;
                float ri = sum[j + 1] - ai;
                work[j] = ar * rr + ai * ri;
                work[j + 1] = ai * rr - ar * ri;
            }
            return;
        }
        for (int j = 0; j < len; j += 2) {
            float sr = sum[j];
            float si = sum[j + 1];
            float ar = a[j];
            float ai = a[j + 1];
            float br = b[j];
            float bi = b[j + 1];
            float rar = sr - ar;
            float rai = si - ai;
            float rbr = sr - br;
            float rbi = si - bi;
            float par = ar * rar + ai * rai;
            float pai = ai * rar - ar * rai;
            float pbr = br * rbr + bi * rbi;
            float pbi = bi * rbr - br * rbi;
            work[j] = par - pbi;
            work[j + 1] = pai + pbr;
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
