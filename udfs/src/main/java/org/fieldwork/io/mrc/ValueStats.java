package org.fieldwork.io.mrc;

/**
 * Minimum, maximum, mean and RMS deviation (population standard deviation) of the values as
 * stored, for the header: each section's mean and squared deviations in double (summed about the
 * section's first value), merged into the running totals (Chan et al.), so a stack's RMS keeps its
 * precision whatever its mean.
 */
final class ValueStats {
    private long count;
    private double mean;
    private double squares;
    private float min = Float.POSITIVE_INFINITY;
    private float max = Float.NEGATIVE_INFINITY;

    /** Adds the stored values of {@code section} in {@code mode} (NaN values are skipped). */
    void add(float[] section, int count, MrcMode mode) {
        // one pass, with sums of deviations from the section's first value, which keeps them small
        double shift = Double.NaN;
        double sum = 0;
        double sumSquares = 0;
        int n = 0;
        float lo = min;
        float hi = max;
        boolean exact = mode == MrcMode.FLOAT32;
        for (int i = 0; i < count; i++) {
            float v = exact ? section[i] : mode.stored(section[i]);
            if (v == v) {
                if (n == 0) {
                    shift = Double.isInfinite(v) ? 0 : v;
                }
                double d = v - shift;
                sum += d;
                sumSquares += d * d;
                n++;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (n == 0) {
            return;
        }
        double sectionMean = shift + sum / n;
        double sectionSquares = Math.max(0, sumSquares - sum * sum / n);
        if (this.count == 0) {
            mean = sectionMean;
            squares = sectionSquares;
        } else {
            long total = this.count + n;
            double delta = sectionMean - mean;
            squares += sectionSquares + delta * delta * ((double) this.count * n / total);
            mean += delta * n / total;
        }
        this.count += n;
        min = lo;
        max = hi;
    }

    boolean empty() {
        return count == 0;
    }

    float min() {
        return min;
    }

    float max() {
        return max;
    }

    double mean() {
        return mean;
    }

    double rms() {
        return count == 0 ? 0 : Math.sqrt(squares / count);
    }
}
