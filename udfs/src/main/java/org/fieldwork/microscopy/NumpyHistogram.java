package org.fieldwork.microscopy;

/**
 * numpy's histogram with equal bins, to the bit: edges from {@code linspace} (i * step + first,
 * the last edge exactly the maximum), the index from a scaled subtraction corrected against the
 * edges, the last bin closed.
 */
final class NumpyHistogram {
    private NumpyHistogram() {
    }

    static double[] edges(double first, double last, int bins) {
        double[] e = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i <= bins; i++) {
            e[i] = step == 0 ? (double) i / bins * (last - first) + first : i * step + first;
        }
        e[bins] = last;
        return e;
    }

    static int[] counts(double[] values, double[] edges) {
        int bins = edges.length - 1;
        double first = edges[0];
        double last = edges[bins];
        double norm = bins / (last - first);
        int[] counts = new int[bins];
        for (double v : values) {
            if (!(v >= first && v <= last)) {
                continue;
            }
            int i = (int) ((v - first) * norm);
            if (i == bins) {
                i--;
            }
            if (v < edges[i]) {
                i--;
            }
            if (i != bins - 1 && v >= edges[i + 1]) {
                i++;
            }
            counts[i]++;
        }
        return counts;
    }
}
