package org.fieldwork.em;

/**
 * The full-size aligned sum, accumulated frame by frame in Fourier space: each frame's spectrum is
 * shifted with a phase ramp (exact for any sub-pixel shift; content leaving one edge comes back at
 * the other) and, with dose weighting, multiplied by its {@link DoseWeights exposure filter} q_i(k).
 * Only the half spectrum kx = 0..width/2 is kept, since the sum is real.
 *
 * <p>Normalisation: without dose weighting the result is the plain sum of the aligned frames. With
 * it, the weighted sum is scaled by sqrt(N / sum_i q_i(k)²) at each frequency, which is the spec's
 * 1 / sqrt(sum q²) times sqrt(N): the mean and the lowest frequencies, where every q is 1, equal
 * the plain sum's.
 */
final class AlignedSum {
    private final int width;
    private final int height;
    private final int halfWidth;
    private final float[] acc;
    /** Dose weighting: per-frame factor r(k) = exp(-dose / (2 Ne(k))), next frame's weight, sum of squares. */
    private final float[] decay;
    private final float[] next;
    private final float[] sumSquares;
    private final float[] rampAr;
    private final float[] rampAi;
    private final float[] rampBr;
    private final float[] rampBi;
    private int frames;

    AlignedSum(int width, int height, double pixelSizeA, double dosePerFrame, double voltageKv) {
        this.width = width;
        this.height = height;
        this.halfWidth = width / 2 + 1;
        this.acc = new float[2 * height * halfWidth];
        this.rampAr = new float[halfWidth];
        this.rampAi = new float[halfWidth];
        this.rampBr = new float[halfWidth];
        this.rampBi = new float[halfWidth];
        if (dosePerFrame > 0) {
            int n = height * halfWidth;
            decay = new float[n];
            next = new float[n];
            sumSquares = new float[n];
            for (int y = 0; y < height; y++) {
                double ky = Fft2.frequency(y, height) / (height * pixelSizeA);
                for (int x = 0; x < halfWidth; x++) {
                    double kx = x / (width * pixelSizeA);
                    double r = DoseWeights.weight(Math.sqrt(kx * kx + ky * ky), dosePerFrame, voltageKv);
                    decay[y * halfWidth + x] = (float) r;
                    next[y * halfWidth + x] = (float) r;
                }
            }
        } else {
            decay = null;
            next = null;
            sumSquares = null;
        }
    }

    /**
     * Adds frames a and b, transformed together as a + i b into z (full size), each shifted so that
     * content displaced by (s.x, s.y) is moved back; {@code hasB} false when z held a alone. Frames
     * must come in movie order (the dose weight follows the order of the calls).
     */
    void addPair(float[] z, double ax, double ay, boolean hasB, double bx, double by) {
        ramp(rampAr, rampAi, ax);
        if (hasB) {
            ramp(rampBr, rampBi, bx);
        }
        for (int y = 0; y < height; y++) {
            double fy = Fft2.frequency(y, height);
            float yAr = (float) Math.cos(2 * Math.PI * fy * ay / height);
            float yAi = (float) Math.sin(2 * Math.PI * fy * ay / height);
            float yBr = (float) Math.cos(2 * Math.PI * fy * by / height);
            float yBi = (float) Math.sin(2 * Math.PI * fy * by / height);
            int row = 2 * y * width;
            int mirrorRow = 2 * ((height - y) % height) * width;
            int h = y * halfWidth;
            for (int x = 0; x < halfWidth; x++) {
                int k = row + 2 * x;
                int m = x == 0 ? mirrorRow : mirrorRow + 2 * (width - x);
                float zr = z[k];
                float zi = z[k + 1];
                float mzr = z[m];
                float mzi = z[m + 1];
                // A = (Z(k) + conj Z(-k)) / 2 and B = (Z(k) - conj Z(-k)) / 2i, both times 2 here.
                float ar = zr + mzr;
                float ai = zi - mzi;
                float er = rampAr[x] * yAr - rampAi[x] * yAi;
                float ei = rampAr[x] * yAi + rampAi[x] * yAr;
                float sr = ar * er - ai * ei;
                float si = ar * ei + ai * er;
                float qa = 1f;
                float qb = 1f;
                if (decay != null) {
                    int i = h + x;
                    float r = decay[i];
                    qa = next[i];
                    qb = qa * r;
                    if (hasB) {
                        next[i] = qb * r;
                        sumSquares[i] += qa * qa + qb * qb;
                    } else {
                        next[i] = qb;
                        sumSquares[i] += qa * qa;
                    }
                }
                float outR = 0.5f * qa * sr;
                float outI = 0.5f * qa * si;
                if (hasB) {
                    float br = zi + mzi;
                    float bi = mzr - zr;
                    float fr = rampBr[x] * yBr - rampBi[x] * yBi;
                    float fi = rampBr[x] * yBi + rampBi[x] * yBr;
                    outR += 0.5f * qb * (br * fr - bi * fi);
                    outI += 0.5f * qb * (br * fi + bi * fr);
                }
                acc[2 * (h + x)] += outR;
                acc[2 * (h + x) + 1] += outI;
            }
        }
        frames += hasB ? 2 : 1;
    }

    private void ramp(float[] re, float[] im, double shift) {
        for (int x = 0; x < halfWidth; x++) {
            double p = 2 * Math.PI * x * shift / width;
            re[x] = (float) Math.cos(p);
            im[x] = (float) Math.sin(p);
        }
    }

    /** The aligned sum in real space; {@code z} (full complex size) is the work array. */
    float[] result(float[] z) {
        float root = (float) frames;
        for (int y = 0; y < height; y++) {
            int h = y * halfWidth;
            int row = 2 * y * width;
            for (int x = 0; x < halfWidth; x++) {
                float f = 1f;
                if (sumSquares != null) {
                    float ss = sumSquares[h + x];
                    f = ss > 0 ? (float) Math.sqrt(root / ss) : 0f;
                }
                z[row + 2 * x] = f * acc[2 * (h + x)];
                z[row + 2 * x + 1] = f * acc[2 * (h + x) + 1];
            }
        }
        for (int y = 0; y < height; y++) {
            int row = 2 * y * width;
            int mirror = 2 * ((height - y) % height) * width;
            for (int x = halfWidth; x < width; x++) {
                int from = mirror + 2 * (width - x);
                z[row + 2 * x] = z[from];
                z[row + 2 * x + 1] = -z[from + 1];
            }
        }
        return Fft2.of(width, height).inverseReal(z);
    }
}
