package org.fieldwork.em;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/**
 * CTF estimation of a micrograph in the manner of CTFFIND4.
 *
 * <ol>
 * <li>Binning: when the pixel is small for the fit range, tiles of {@code window * b} pixels are
 * transformed and only their central {@code window} frequencies kept (Fourier binning by an integer
 * {@code b}), so that the fit range's high-resolution end lies at no more than 3/4 of the spectrum's
 * Nyquist frequency: {@code b = floor(0.375 maxResolution / pixelSize)}, at least 1, and smaller if a
 * tile would not fit the micrograph.</li>
 * <li>Spectrum: the mean power spectrum of half-overlapping, tapered tiles ({@link TilePowerSpectrum}),
 * square-rooted to amplitudes; inside the fit range's inner radius the amplitudes are replaced by their
 * mean at that radius, a box mean a sixteenth of the window wide is subtracted as the smooth background,
 * and each radius is divided by the RMS of the result around that radius (a whitening that weights
 * frequencies by how far they stand out of the noise).</li>
 * <li>1-D search: the rotational average of the spectrum over the fit range against the CTF^2 of a
 * grid of defocus values ({@code defocusStepA / 10} apart, and phase shifts 10 degrees apart when
 * fitted), by normalised correlation.</li>
 * <li>Astigmatic search: the fit range split into 72 angular sectors of the half-plane; for each, the
 * sector's radial profile is scored against CTF^2 over a table of defocus values, so that any astigmatic
 * defocus {@code df(theta) = m + ax cos 2theta + ay sin 2theta} is scored by one look-up per sector. An
 * exhaustive grid over {@code m} around the 1-D answer and {@code (ax, ay)} within half of
 * {@code maxAstigmatismA}, {@code defocusStepA / 5} apart, gives the start for</li>
 * <li>refinement: Nelder-Mead over {@code (m, ax, ay[, phase])} maximising the normalised correlation
 * of CTF^2 with every spectrum pixel of the fit range. The model of a pixel is CTF^2 averaged across
 * the pixel's radial width ({@code (1 - sinc(x) cos 2chi) / 2} with {@code x} the change of chi over one
 * pixel), so rings finer than the pixel grid weigh nothing instead of aliasing.</li>
 * <li>Fit resolution: the spectrum's equiphase average (pixels binned by their fitted chi, 8 bins per
 * Thon ring) against {@code sin^2 chi}; each ring's correlation is taken over two rings centred on it.
 * The fit holds up to the outer end of the last ring in the unbroken run, from the first ring wholly
 * above the fit range's inner end outwards, whose correlation is at least {@link #FIT_RESOLUTION_CC};
 * that phase is converted to a resolution along the mean defocus.</li>
 * </ol>
 * The parametrisation by {@code (m, ax, ay)} makes defocus {@code u, v = m +- hypot(ax, ay)} and
 * {@code theta_ast = atan2(ay, ax) / 2}, smooth through zero astigmatism.
 */
public final class CtfEstimator {
    /** Smallest equiphase-average correlation at which a Thon ring counts as fitted (CTFFIND4's CC_fit). */
    public static final double FIT_RESOLUTION_CC = 0.75;

    private static final int SECTORS = 72;
    private static final int EPA_BINS_PER_RING = 8;

    private CtfEstimator() {
    }

    /** Fits the CTF of a {@code width x height} micrograph (row-major floats). */
    public static CtfFit estimate(float[] micrograph, int width, int height, CtfSettings s) {
        int bin = binning(s, width, height);
        int n = s.windowPx();
        double pixel = s.pixelSizeA() * bin;
        double dk = 1 / (n * pixel);
        double rMin = 1 / (s.minResolutionA() * dk);
        double rMax = Math.min(1 / (s.maxResolutionA() * dk), n / 2.0 - 1);
        if (rMax < rMin + 8) {
            throw new IllegalArgumentException("fit range " + s.minResolutionA() + "-" + s.maxResolutionA()
                    + " Å spans too few frequencies of a " + n + " px window at " + pixel + " Å/px");
        }
        float[] spectrum = whitenedSpectrum(TilePowerSpectrum.average(micrograph, width, height, n, bin), n, rMin);
        Fitter f = new Fitter(s, spectrum, n, dk, rMin, rMax);

        double[] oneD = f.searchMeanDefocus();
        double[] start = f.searchAstigmatism(oneD[0], oneD[1]);
        double[] best = f.refine(start);

        double m = best[0], ax = best[1], ay = best[2];
        double phase = 0;
        if (s.findPhaseShift()) {
            // CTF^2 repeats every pi of phase
            phase = best[3] % Math.PI;
            if (phase < 0) {
                phase += Math.PI;
            }
        }
        double half = Math.hypot(ax, ay);
        double angle = half == 0 ? 0 : Math.toDegrees(Math.atan2(ay, ax) / 2);
        if (angle < 0) {
            angle += 180;
        }
        if (angle >= 180) {
            angle -= 180;
        }
        double score = f.correlation(m, ax, ay, phase);
        double fitResolution = f.fitResolution(m, ax, ay, phase);

        CtfModel model = new CtfModel(s.voltageKv(), s.csMm(), s.amplitudeContrast(), pixel, m + half, m - half,
                angle, phase);
        float[] picture = model.render(n, true);
        f.matchMoments(picture);
        return new CtfFit((m + half) / 1e4, (m - half) / 1e4, angle, phase / Math.PI, fitResolution, score, pixel, n,
                spectrum, picture);
    }

    /** The Fourier binning factor the estimator uses for these settings and micrograph size. */
    public static int binning(CtfSettings s, int width, int height) {
        int side = Math.min(width, height);
        if (s.windowPx() > side) {
            throw new IllegalArgumentException("CTF window " + s.windowPx() + " px is larger than the " + width + "x"
                    + height + " micrograph");
        }
        int b = Math.max(1, (int) Math.floor(0.375 * s.maxResolutionA() / s.pixelSizeA()));
        while (b > 1 && s.windowPx() * b > side) {
            b--;
        }
        return b;
    }

    /**
     * Amplitude spectrum with its centre flattened, its box-mean background subtracted and each radius
     * scaled to unit RMS; zero inside {@code rMin}.
     */
    static float[] whitenedSpectrum(float[] power, int n, double rMin) {
        int half = n / 2;
        float[] a = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) Math.sqrt(power[i]);
        }
        double ringSum = 0;
        int ringCount = 0;
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                double r = Math.hypot(x - half, y - half);
                if (r >= rMin && r < rMin + 1.5) {
                    ringSum += a[y * n + x];
                    ringCount++;
                }
            }
        }
        float centre = (float) (ringSum / Math.max(1, ringCount));
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                if (Math.hypot(x - half, y - half) < rMin) {
                    a[y * n + x] = centre;
                }
            }
        }
        int box = Math.max(3, (n / 16) | 1);
        float[] bg = boxMean(a, n, box);
        int bins = (int) Math.ceil(half * Math.sqrt(2)) + 2;
        double[] sq = new double[bins];
        int[] count = new int[bins];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = y * n + x;
                a[i] -= bg[i];
                double r = Math.hypot(x - half, y - half);
                if (r >= rMin) {
                    int b = (int) (r + 0.5);
                    sq[b] += (double) a[i] * a[i];
                    count[b]++;
                }
            }
        }
        double[] rms = new double[bins];
        int w = box / 2;
        for (int b = 0; b < bins; b++) {
            double s = 0;
            long c = 0;
            for (int j = Math.max(0, b - w); j <= Math.min(bins - 1, b + w); j++) {
                s += sq[j];
                c += count[j];
            }
            rms[b] = c == 0 ? 0 : Math.sqrt(s / c);
        }
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                int i = y * n + x;
                double r = Math.hypot(x - half, y - half);
                double d = rms[(int) (r + 0.5)];
                a[i] = r < rMin || d == 0 ? 0f : (float) (a[i] / d);
            }
        }
        return a;
    }

    /** Mean over a {@code box x box} square around each pixel, the square clipped to the image. */
    static float[] boxMean(float[] a, int n, int box) {
        int w = box / 2;
        float[] rows = new float[n * n];
        double[] prefix = new double[n + 1];
        for (int y = 0; y < n; y++) {
            for (int x = 0; x < n; x++) {
                prefix[x + 1] = prefix[x] + a[y * n + x];
            }
            for (int x = 0; x < n; x++) {
                int lo = Math.max(0, x - w), hi = Math.min(n, x + w + 1);
                rows[y * n + x] = (float) ((prefix[hi] - prefix[lo]) / (hi - lo));
            }
        }
        float[] out = new float[n * n];
        for (int x = 0; x < n; x++) {
            for (int y = 0; y < n; y++) {
                prefix[y + 1] = prefix[y] + rows[y * n + x];
            }
            for (int y = 0; y < n; y++) {
                int lo = Math.max(0, y - w), hi = Math.min(n, y + w + 1);
                out[y * n + x] = (float) ((prefix[hi] - prefix[lo]) / (hi - lo));
            }
        }
        return out;
    }

    /** The fit-range pixels of one whitened spectrum and the searches over them. */
    private static final class Fitter {
        private final CtfSettings s;
        private final float[] spectrum;
        private final int n;
        private final double dk;
        private final double rMin;
        private final double lambda;
        private final double csA;
        private final double ampPhase;

        // fit-range pixels of the half-plane
        private final int[] index;
        private final double[] k2;
        private final double[] cos2;
        private final double[] sin2;
        private final double[] value;
        private final double[] chiPerDf;
        private final double[] chiCs;
        private final double[] slopePerDf;
        private final double[] slopeCs;
        private final double sumSquares;

        // radial bins (1 px) of the fit range, overall and per sector
        private final int bins;
        private final int[] binOf;
        private final int[] sectorOf;

        Fitter(CtfSettings s, float[] spectrum, int n, double dk, double rMin, double rMax) {
            this.s = s;
            this.spectrum = spectrum;
            this.n = n;
            this.dk = dk;
            this.rMin = rMin;
            this.lambda = s.wavelengthA();
            this.csA = s.csMm() * 1e7;
            this.ampPhase = CtfModel.amplitudeContrastPhase(s.amplitudeContrast());
            int half = n / 2;
            int count = 0;
            for (int y = half; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    if (inFit(x - half, y - half, rMin, rMax)) {
                        count++;
                    }
                }
            }
            index = new int[count];
            k2 = new double[count];
            cos2 = new double[count];
            sin2 = new double[count];
            value = new double[count];
            chiPerDf = new double[count];
            chiCs = new double[count];
            slopePerDf = new double[count];
            slopeCs = new double[count];
            binOf = new int[count];
            sectorOf = new int[count];
            int lowBin = (int) (rMin + 0.5);
            bins = (int) (rMax + 0.5) - lowBin + 1;
            double mean = 0;
            int i = 0;
            for (int y = half; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int fx = x - half, fy = y - half;
                    if (!inFit(fx, fy, rMin, rMax)) {
                        continue;
                    }
                    double r2 = (double) fx * fx + (double) fy * fy;
                    double r = Math.sqrt(r2);
                    double k = r * dk;
                    index[i] = y * n + x;
                    k2[i] = k * k;
                    cos2[i] = (fx * (double) fx - fy * (double) fy) / r2;
                    sin2[i] = 2.0 * fx * fy / r2;
                    value[i] = spectrum[y * n + x];
                    mean += value[i];
                    chiPerDf[i] = Math.PI * lambda * k * k;
                    chiCs[i] = Math.PI / 2 * lambda * lambda * lambda * csA * k * k * k * k;
                    slopePerDf[i] = 2 * Math.PI * lambda * k * dk;
                    slopeCs[i] = 2 * Math.PI * lambda * lambda * lambda * csA * k * k * k * dk;
                    binOf[i] = (int) (r + 0.5) - lowBin;
                    double theta = Math.atan2(fy, fx);
                    sectorOf[i] = Math.min(SECTORS - 1, (int) (theta / Math.PI * SECTORS));
                    i++;
                }
            }
            mean /= count;
            double ss = 0;
            for (int j = 0; j < count; j++) {
                value[j] -= mean;
                ss += value[j] * value[j];
            }
            sumSquares = ss;
        }

        /** Half-plane ({@code fy > 0}, or {@code fy == 0} and {@code fx > 0}) within the fit radii. */
        private static boolean inFit(int fx, int fy, double rMin, double rMax) {
            if (fy < 0 || (fy == 0 && fx <= 0)) {
                return false;
            }
            double r = Math.sqrt((double) fx * fx + (double) fy * fy);
            return r >= rMin && r <= rMax;
        }

        /** Pixel-averaged CTF^2: {@code (1 - sinc(slope) cos 2chi) / 2}. */
        private static double model(double chi, double slope) {
            return 0.5 - 0.5 * sinc(Math.abs(slope)) * Math.cos(2 * chi);
        }

        /** sin(x)/x on [0, pi] by its Taylor series to x^8, 0 beyond. */
        private static double sinc(double x) {
            if (x >= Math.PI) {
                return 0;
            }
            double x2 = x * x;
            return 1 + x2 * (-1.0 / 6 + x2 * (1.0 / 120 + x2 * (-1.0 / 5040 + x2 / 362880)));
        }

        /** Normalised correlation of the model with the fit-range spectrum. */
        double correlation(double m, double ax, double ay, double phase) {
            double sm = 0, smm = 0, svm = 0;
            double offset = ampPhase + phase;
            int count = value.length;
            for (int i = 0; i < count; i++) {
                double df = m + ax * cos2[i] + ay * sin2[i];
                double chi = chiPerDf[i] * df - chiCs[i] + offset;
                double mod = model(chi, slopePerDf[i] * df - slopeCs[i]);
                sm += mod;
                smm += mod * mod;
                svm += value[i] * mod;
            }
            double var = smm - sm * sm / count;
            return var <= 0 ? 0 : svm / Math.sqrt(var * sumSquares);
        }

        /** 1-D grid search on the rotational average: {mean defocus, phase shift}. */
        double[] searchMeanDefocus() {
            double[] sum = new double[bins], sumK2 = new double[bins];
            int[] count = new int[bins];
            for (int i = 0; i < value.length; i++) {
                sum[binOf[i]] += value[i];
                sumK2[binOf[i]] += k2[i];
                count[binOf[i]]++;
            }
            int used = 0;
            for (int b = 0; b < bins; b++) {
                used += count[b] > 0 ? 1 : 0;
            }
            double[] profile = new double[used], kk = new double[used];
            int u = 0;
            double mean = 0;
            for (int b = 0; b < bins; b++) {
                if (count[b] > 0) {
                    profile[u] = sum[b] / count[b];
                    kk[u] = sumK2[b] / count[b];
                    mean += profile[u];
                    u++;
                }
            }
            mean /= used;
            double ss = 0;
            for (int j = 0; j < used; j++) {
                profile[j] -= mean;
                ss += profile[j] * profile[j];
            }
            double step = s.defocusStepA() / 10;
            int phases = s.findPhaseShift() ? 18 : 1;
            double best = Double.NEGATIVE_INFINITY, bestDf = s.minDefocusA(), bestPhase = 0;
            for (int p = 0; p < phases; p++) {
                double offset = ampPhase + p * Math.PI / phases;
                for (double df = s.minDefocusA(); df <= s.maxDefocusA() + 1e-9; df += step) {
                    double sm = 0, smm = 0, svm = 0;
                    for (int j = 0; j < used; j++) {
                        double k = Math.sqrt(kk[j]);
                        double chi = Math.PI * lambda * kk[j] * (df - lambda * lambda * kk[j] * csA / 2) + offset;
                        double mod = model(chi, 2 * Math.PI * lambda * k * (df - lambda * lambda * kk[j] * csA) * dk);
                        sm += mod;
                        smm += mod * mod;
                        svm += profile[j] * mod;
                    }
                    double var = smm - sm * sm / used;
                    double cc = var <= 0 ? 0 : svm / Math.sqrt(var * ss);
                    if (cc > best) {
                        best = cc;
                        bestDf = df;
                        bestPhase = p * Math.PI / phases;
                    }
                }
            }
            return new double[] {bestDf, bestPhase};
        }

        /** Exhaustive astigmatic grid around the 1-D answer on per-sector tables: {m, ax, ay, phase}. */
        double[] searchAstigmatism(double m0, double phase) {
            double step = s.defocusStepA() / 5;
            double radius = s.maxAstigmatismA() / 2;
            double mRange = radius + 2 * s.defocusStepA();
            int cells = SECTORS * bins;
            double[] sum = new double[cells], sumK2 = new double[cells];
            int[] count = new int[cells];
            for (int i = 0; i < value.length; i++) {
                int c = sectorOf[i] * bins + binOf[i];
                sum[c] += value[i];
                sumK2[c] += k2[i];
                count[c]++;
            }
            double kMax2 = 0;
            for (double v : k2) {
                kMax2 = Math.max(kMax2, v);
            }
            double tableStep = Math.min(step / 2, 1 / (16 * lambda * kMax2));
            double lo = m0 - mRange - radius - 2 * step;
            int entries = (int) Math.ceil(2 * (mRange + radius + 2 * step) / tableStep) + 2;
            double offset = ampPhase + phase;
            double[][] table = new double[SECTORS][entries];
            for (int sec = 0; sec < SECTORS; sec++) {
                for (int b = 0; b < bins; b++) {
                    int c = sec * bins + b;
                    if (count[c] == 0) {
                        continue;
                    }
                    double kk = sumK2[c] / count[c];
                    double k = Math.sqrt(kk);
                    double[] t = table[sec];
                    for (int e = 0; e < entries; e++) {
                        double df = lo + e * tableStep;
                        double chi = Math.PI * lambda * kk * (df - lambda * lambda * kk * csA / 2) + offset;
                        t[e] += sum[c] * model(chi, 2 * Math.PI * lambda * k * (df - lambda * lambda * kk * csA) * dk);
                    }
                }
            }
            double[] sc = new double[SECTORS], ss = new double[SECTORS];
            for (int sec = 0; sec < SECTORS; sec++) {
                double theta = (sec + 0.5) * Math.PI / SECTORS;
                sc[sec] = Math.cos(2 * theta);
                ss[sec] = Math.sin(2 * theta);
            }
            int steps = (int) Math.floor(radius / step + 1e-9);
            int mSteps = (int) Math.round(mRange / step);
            double best = Double.NEGATIVE_INFINITY;
            double[] arg = {m0, 0, 0, phase};
            for (int iy = -steps; iy <= steps; iy++) {
                for (int ix = -steps; ix <= steps; ix++) {
                    double ax = ix * step, ay = iy * step;
                    if (Math.hypot(ax, ay) > radius + 1e-9) {
                        continue;
                    }
                    for (int im = -mSteps; im <= mSteps; im++) {
                        double m = m0 + im * step;
                        double score = 0;
                        for (int sec = 0; sec < SECTORS; sec++) {
                            double pos = (m + ax * sc[sec] + ay * ss[sec] - lo) / tableStep;
                            int e = (int) pos;
                            double frac = pos - e;
                            double[] t = table[sec];
                            score += t[e] + frac * (t[e + 1] - t[e]);
                        }
                        if (score > best) {
                            best = score;
                            arg = new double[] {m, ax, ay, phase};
                        }
                    }
                }
            }
            return arg;
        }

        /** Nelder-Mead on the full correlation, twice (the second from a fresh, smaller simplex). */
        double[] refine(double[] start) {
            boolean withPhase = s.findPhaseShift();
            int dims = withPhase ? 4 : 3;
            double step = s.defocusStepA() / 5;
            double[] x = Arrays.copyOf(start, dims);
            ToDoubleFunction<double[]> f = p -> -correlation(p[0], p[1], p[2],
                    withPhase ? p[3] : start[3]);
            for (double scale : new double[] {1, 0.25}) {
                double[] steps = new double[dims], tol = new double[dims];
                for (int d = 0; d < 3; d++) {
                    steps[d] = step * scale;
                    tol[d] = 1;
                }
                if (withPhase) {
                    steps[3] = 0.2 * scale;
                    tol[3] = 1e-3;
                }
                x = NelderMead.minimize(f, x, steps, tol, 250, null);
            }
            return new double[] {x[0], x[1], x[2], withPhase ? x[3] : start[3]};
        }

        /** Resolution (Å) to which the equiphase average follows the fitted model; NaN if not at all. */
        double fitResolution(double m, double ax, double ay, double phase) {
            int half = n / 2;
            double rOuter = half - 1;
            double offset = ampPhase + phase;
            double binWidth = Math.PI / EPA_BINS_PER_RING;
            double startChi = Double.NEGATIVE_INFINITY, endChi = Double.POSITIVE_INFINITY, maxChi = 0;
            // chi along the edges of the annulus: where every direction has data
            for (int y = half; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int fx = x - half, fy = y - half;
                    if (!inFit(fx, fy, rMin, rOuter)) {
                        continue;
                    }
                    double chi = chiAt(fx, fy, m, ax, ay, offset);
                    double r = Math.hypot(fx, fy);
                    maxChi = Math.max(maxChi, chi);
                    if (r < rMin + 1.5) {
                        startChi = Math.max(startChi, chi);
                    }
                    if (r > rOuter - 1.5) {
                        endChi = Math.min(endChi, chi);
                    }
                }
            }
            int nBins = (int) (maxChi / binWidth) + 2;
            double[] sum = new double[nBins];
            int[] count = new int[nBins];
            for (int y = half; y < n; y++) {
                for (int x = 0; x < n; x++) {
                    int fx = x - half, fy = y - half;
                    if (!inFit(fx, fy, rMin, rOuter)) {
                        continue;
                    }
                    double chi = chiAt(fx, fy, m, ax, ay, offset);
                    if (chi < 0) {
                        continue;
                    }
                    int b = (int) (chi / binWidth);
                    sum[b] += spectrum[y * n + x];
                    count[b]++;
                }
            }
            int ring = (int) Math.ceil(startChi / Math.PI + 0.5);
            int lastGood = -1;
            for (; (ring + 1.5) * Math.PI <= endChi; ring++) {
                int first = ring * EPA_BINS_PER_RING - EPA_BINS_PER_RING / 2;
                double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
                int c = 0;
                for (int b = first; b < first + 2 * EPA_BINS_PER_RING; b++) {
                    if (count[b] == 0) {
                        continue;
                    }
                    double e = sum[b] / count[b];
                    double mod = Math.pow(Math.sin((b + 0.5) * binWidth), 2);
                    sx += e;
                    sy += mod;
                    sxx += e * e;
                    syy += mod * mod;
                    sxy += e * mod;
                    c++;
                }
                if (c < EPA_BINS_PER_RING) {
                    break;
                }
                double cov = sxy - sx * sy / c, vx = sxx - sx * sx / c, vy = syy - sy * sy / c;
                double cc = vx <= 0 || vy <= 0 ? 0 : cov / Math.sqrt(vx * vy);
                if (cc < FIT_RESOLUTION_CC) {
                    break;
                }
                lastGood = ring;
            }
            if (lastGood < 0) {
                return Double.NaN;
            }
            // k^2 where the isotropic chi at mean defocus reaches the outer end of the last good ring
            double target = (lastGood + 1) * Math.PI - offset;
            double a = Math.PI / 2 * lambda * lambda * lambda * csA, b = Math.PI * lambda * m;
            double disc = b * b - 4 * a * target;
            double u = disc < 0 ? b / (2 * a) : 2 * target / (b + Math.sqrt(disc));
            return 1 / Math.sqrt(u);
        }

        private double chiAt(int fx, int fy, double m, double ax, double ay, double offset) {
            double r2 = (double) fx * fx + (double) fy * fy;
            double kk = r2 * dk * dk;
            double df = m + ax * (fx * (double) fx - fy * (double) fy) / r2 + ay * 2.0 * fx * fy / r2;
            return Math.PI * lambda * kk * (df - lambda * lambda * kk * csA / 2) + offset;
        }

        /** Scales {@code model} in place to the spectrum's mean and standard deviation over the fit range. */
        void matchMoments(float[] model) {
            double ms = 0, mss = 0, vs = 0, vss = 0;
            for (int i : index) {
                ms += model[i];
                mss += (double) model[i] * model[i];
                vs += spectrum[i];
                vss += (double) spectrum[i] * spectrum[i];
            }
            int c = index.length;
            double mMean = ms / c, mSd = Math.sqrt(Math.max(0, mss / c - mMean * mMean));
            double vMean = vs / c, vSd = Math.sqrt(Math.max(0, vss / c - vMean * vMean));
            double scale = mSd == 0 ? 0 : vSd / mSd;
            for (int i = 0; i < model.length; i++) {
                model[i] = (float) ((model[i] - mMean) * scale + vMean);
            }
        }
    }
}
