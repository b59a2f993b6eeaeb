package org.fieldwork.em;

/**
 * The contrast transfer function of a microscope for one image, in the spec's (CTFFIND4) form:
 * astigmatic defocus {@code df(theta) = (u + v)/2 + (u - v)/2 cos(2 (theta - theta_ast))}, phase
 * {@code chi = pi lambda k^2 (df(theta) - lambda^2 k^2 Cs / 2) + phaseShift + atan(A / sqrt(1 - A^2))}
 * and {@code CTF = -sin chi}. Spatial frequencies are in 1/Å, {@code theta} is the frequency's angle
 * from the +x axis towards +y (image columns, then rows), {@code theta_ast} the direction of defocus
 * {@code u}. Defocus is in Å, underfocus positive.
 *
 * @param voltageKv acceleration voltage (kV)
 * @param csMm spherical aberration (mm)
 * @param amplitudeContrast amplitude contrast fraction A, 0 &le; A &lt; 1
 * @param pixelSizeA pixel size of the image the CTF applies to (Å), used by {@link #render}
 * @param defocusUA defocus along {@code astigmatismAngleDeg} (Å)
 * @param defocusVA defocus perpendicular to it (Å)
 * @param astigmatismAngleDeg {@code theta_ast} in degrees
 * @param phaseShiftRad additional phase shift (phase plate), radians
 */
public record CtfModel(double voltageKv, double csMm, double amplitudeContrast, double pixelSizeA,
        double defocusUA, double defocusVA, double astigmatismAngleDeg, double phaseShiftRad) {

    public CtfModel {
        if (!(voltageKv > 0) || !(pixelSizeA > 0) || csMm < 0 || !(amplitudeContrast >= 0 && amplitudeContrast < 1)) {
            throw new IllegalArgumentException("bad CTF parameters: " + voltageKv + " kV, Cs " + csMm + " mm, A "
                    + amplitudeContrast + ", pixel " + pixelSizeA + " Å");
        }
    }

    /** Relativistic electron wavelength in Å for an acceleration voltage in kV (spec formula). */
    public static double wavelengthA(double voltageKv) {
        double v = voltageKv * 1000;
        return 12.2643247 / Math.sqrt(v * (1 + 0.978466e-6 * v));
    }

    /** The constant phase of amplitude contrast, {@code atan(A / sqrt(1 - A^2))}. */
    public static double amplitudeContrastPhase(double amplitudeContrast) {
        return Math.atan(amplitudeContrast / Math.sqrt(1 - amplitudeContrast * amplitudeContrast));
    }

    public double wavelengthA() {
        return wavelengthA(voltageKv);
    }

    /** Defocus (Å) along the frequency direction {@code (kx, ky)}; the mean defocus at the origin. */
    public double defocusA(double kx, double ky) {
        double k2 = kx * kx + ky * ky;
        double mean = (defocusUA + defocusVA) / 2;
        if (k2 == 0) {
            return mean;
        }
        double a = Math.toRadians(2 * astigmatismAngleDeg);
        // cos 2(theta - theta_ast) from cos 2theta = (kx^2 - ky^2)/k^2 and sin 2theta = 2 kx ky / k^2
        double cos2 = ((kx * kx - ky * ky) * Math.cos(a) + 2 * kx * ky * Math.sin(a)) / k2;
        return mean + (defocusUA - defocusVA) / 2 * cos2;
    }

    /** The phase {@code chi} at spatial frequency {@code (kx, ky)} in 1/Å. */
    public double chi(double kx, double ky) {
        double lambda = wavelengthA();
        double k2 = kx * kx + ky * ky;
        double csA = csMm * 1e7;
        return Math.PI * lambda * k2 * (defocusA(kx, ky) - lambda * lambda * k2 * csA / 2)
                + phaseShiftRad + amplitudeContrastPhase(amplitudeContrast);
    }

    /** The CTF, {@code -sin chi}, at spatial frequency {@code (kx, ky)} in 1/Å. */
    public double value(double kx, double ky) {
        return -Math.sin(chi(kx, ky));
    }

    /**
     * The CTF (or its square) on an {@code n x n} spectrum grid with the origin at {@code (n/2, n/2)}:
     * element {@code (y, x)} at {@code y * n + x} is the frequency {@code ((x - n/2), (y - n/2)) / (n pixelSizeA)}.
     */
    public float[] render(int n, boolean squared) {
        float[] out = new float[n * n];
        double step = 1 / (n * pixelSizeA);
        for (int y = 0; y < n; y++) {
            double ky = (y - n / 2) * step;
            for (int x = 0; x < n; x++) {
                double c = value((x - n / 2) * step, ky);
                out[y * n + x] = (float) (squared ? c * c : c);
            }
        }
        return out;
    }

    /**
     * Multiplies a spectrum in {@link Fft2}'s layout ({@code width x height}, interleaved complex, of an
     * image with this model's pixel size) by {@code scale * CTF(k) * exp(-bFactorA2 k^2 / 4)}: the image
     * the microscope forms of a weak phase object, with a B-factor envelope on the amplitudes.
     */
    public void applyTo(float[] spectrum, int width, int height, double bFactorA2, double scale) {
        if (spectrum.length != 2 * width * height) {
            throw new IllegalArgumentException("spectrum has " + spectrum.length / 2 + " values, not " + width + "x" + height);
        }
        double lambda = wavelengthA();
        double csA = csMm * 1e7;
        double mean = (defocusUA + defocusVA) / 2, half = (defocusUA - defocusVA) / 2;
        double a = Math.toRadians(2 * astigmatismAngleDeg);
        double hc = half * Math.cos(a), hs = half * Math.sin(a);
        double offset = phaseShiftRad + amplitudeContrastPhase(amplitudeContrast);
        double[] kx = new double[width], ex = new double[width];
        for (int x = 0; x < width; x++) {
            kx[x] = Fft2.frequency(x, width) / (width * pixelSizeA);
            ex[x] = Math.exp(-bFactorA2 * kx[x] * kx[x] / 4);
        }
        for (int y = 0; y < height; y++) {
            double ky = Fft2.frequency(y, height) / (height * pixelSizeA);
            double ey = scale * Math.exp(-bFactorA2 * ky * ky / 4);
            for (int x = 0; x < width; x++) {
                double k2 = kx[x] * kx[x] + ky * ky;
                // k^2 df(theta) = mean k^2 + half ((kx^2 - ky^2) cos 2a + 2 kx ky sin 2a)
                double k2df = mean * k2 + hc * (kx[x] * kx[x] - ky * ky) + hs * 2 * kx[x] * ky;
                double chi = Math.PI * lambda * (k2df - lambda * lambda * k2 * k2 * csA / 2) + offset;
                float f = (float) (-Math.sin(chi) * ex[x] * ey);
                int i = 2 * (y * width + x);
                spectrum[i] *= f;
                spectrum[i + 1] *= f;
            }
        }
    }

    /** This model with other defocus values and astigmatism angle. */
    public CtfModel withDefocus(double defocusUA, double defocusVA, double astigmatismAngleDeg) {
        return new CtfModel(voltageKv, csMm, amplitudeContrast, pixelSizeA, defocusUA, defocusVA, astigmatismAngleDeg,
                phaseShiftRad);
    }

    /** This model for an image of another pixel size (same optics). */
    public CtfModel withPixelSize(double pixelSizeA) {
        return new CtfModel(voltageKv, csMm, amplitudeContrast, pixelSizeA, defocusUA, defocusVA, astigmatismAngleDeg,
                phaseShiftRad);
    }
}
