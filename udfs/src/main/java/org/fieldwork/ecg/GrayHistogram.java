package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import org.bytedeco.opencv.opencv_core.Mat;

/** The 256-bin histogram of an 8-bit gray image, and the two statistics the reference takes from it. */
final class GrayHistogram {
    private final long[] counts;
    private final long total;

    private GrayHistogram(long[] counts, long total) {
        this.counts = counts;
        this.total = total;
    }

    static GrayHistogram of(Mat gray) {
        if (gray.type() != CV_8UC1) {
            throw new IllegalArgumentException("expected an 8-bit single-channel image, got OpenCV type " + gray.type());
        }
        Mat c = gray.isContinuous() ? gray : gray.clone();
        byte[] row = new byte[c.cols()];
        long[] counts = new long[256];
        org.bytedeco.javacpp.BytePointer data = c.data();
        long step = c.step();
        for (int y = 0; y < c.rows(); y++) {
            data.position(y * step).get(row);
            for (byte b : row) {
                counts[b & 0xff]++;
            }
        }
        data.position(0);
        return new GrayHistogram(counts, (long) c.rows() * c.cols());
    }

    long count(int level) {
        return counts[level];
    }

    /** The median gray level as numpy computes it: the mean of the two middle values when the count is even. */
    double median() {
        if (total == 0) {
            return 0;
        }
        long upperRank = total / 2;
        int upper = levelAtRank(upperRank);
        if (total % 2 == 1) {
            return upper;
        }
        return (levelAtRank(upperRank - 1) + upper) / 2.0;
    }

    /** The level of the pixel at 0-based rank {@code rank} in sorted order. */
    private int levelAtRank(long rank) {
        long seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += counts[v];
            if (seen > rank) {
                return v;
            }
        }
        return 255;
    }

    /** Population standard deviation of the 256 bin counts (the reference's "contrast" score). */
    double countsStd() {
        double mean = total / 256.0;
        double sum = 0;
        for (long c : counts) {
            double d = c - mean;
            sum += d * d;
        }
        return Math.sqrt(sum / 256.0);
    }
}
