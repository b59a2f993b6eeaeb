package org.fieldwork.omr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads bubbles from the page image at template size with OMRChecker's thresholding: a global
 * threshold from the largest jump among all bubble means (looseness 4), a global threshold on the
 * per-field standard deviations (looseness 1), then a per-field threshold from the field's own
 * largest jump that falls back to the global one when the field has no confident jump and little
 * spread. Pure Java; the page arrives as gray pixels.
 */
public final class BubbleReader {
    private final TuningConfig config;

    public BubbleReader(TuningConfig config) {
        this.config = config;
    }

    /** The readings of every field in template order, plus the two global thresholds. */
    public record Reading(List<FieldReading> fields, double globalThreshold, double globalStdThreshold) {
    }

    /**
     * @param page   gray pixels, row-major, {@code width * height}
     * @param shifts per field block horizontal shift (auto-alignment), or null for none
     */
    public Reading read(byte[] page, int width, int height, SheetTemplate template, int[] shifts) {
        List<double[]> strips = new ArrayList<>();
        List<BubbleField> fields = new ArrayList<>();
        List<String> empties = new ArrayList<>();
        List<Double> allMeans = new ArrayList<>();
        List<Double> allStds = new ArrayList<>();
        for (int b = 0; b < template.fieldBlocks.size(); b++) {
            FieldBlock block = template.fieldBlocks.get(b);
            int shift = shifts == null ? 0 : shifts[b];
            for (BubbleField f : block.fields) {
                double[] means = new double[f.bubbles().size()];
                for (int i = 0; i < means.length; i++) {
                    Bubble bu = f.bubbles().get(i);
                    means[i] = rectMean(page, width, height, bu.x() + shift, bu.y(), block.bubbleWidth, block.bubbleHeight);
                    allMeans.add(means[i]);
                }
                strips.add(means);
                fields.add(f);
                empties.add(block.emptyValue);
                allStds.add(Math.rint(NumpyStats.std(means) * 100.0) / 100.0);
            }
        }
        double globalStdThreshold = globalThreshold(toArray(allStds), 1);
        double globalThreshold = globalThreshold(toArray(allMeans), 4);

        List<FieldReading> out = new ArrayList<>();
        for (int s = 0; s < strips.size(); s++) {
            double[] means = strips.get(s);
            boolean noOutliers = allStds.get(s) < globalStdThreshold;
            double thr = localThreshold(means, globalThreshold, noOutliers);
            boolean[] marked = new boolean[means.length];
            StringBuilder value = new StringBuilder();
            double confidence = Double.POSITIVE_INFINITY;
            BubbleField f = fields.get(s);
            for (int i = 0; i < means.length; i++) {
                marked[i] = thr > means[i];
                if (marked[i]) {
                    value.append(f.bubbles().get(i).value());
                }
                confidence = Math.min(confidence, Math.abs(means[i] - thr));
            }
            String v = value.length() == 0 ? empties.get(s) : value.toString();
            out.add(new FieldReading(f.label(), v, thr, means, marked, confidence));
        }
        return new Reading(out, globalThreshold, globalStdThreshold);
    }

    /** cv2.mean over img[y:y+h, x:x+w]: the slice is clipped to the image like a numpy slice. */
    static double rectMean(byte[] page, int width, int height, int x, int y, int w, int h) {
        int x0 = clip(x, width), x1 = clip(x + w, width);
        int y0 = clip(y, height), y1 = clip(y + h, height);
        if (x1 <= x0 || y1 <= y0) {
            return 0;
        }
        long sum = 0;
        for (int r = y0; r < y1; r++) {
            int row = r * width;
            for (int c = x0; c < x1; c++) {
                sum += page[row + c] & 0xff;
            }
        }
        // cv::mean scales by the reciprocal of the count (not a division): same last bit as OMRChecker.
        return sum * (1. / ((long) (x1 - x0) * (y1 - y0)));
    }

    private static int clip(int v, int size) {
        // numpy: a negative bound counts from the end; bounds beyond the size stop at the size.
        if (v < 0) {
            v = Math.max(0, size + v);
        }
        return Math.min(v, size);
    }

    /**
     * Largest jump between values {@code ls} apart in the sorted list, where ls = (looseness+1)//2;
     * the threshold sits in the middle of the jump. No jump above MIN_JUMP leaves the page default.
     */
    double globalThreshold(double[] values, int looseness) {
        double[] q = values.clone();
        Arrays.sort(q);
        int ls = (looseness + 1) / 2;
        int l = q.length - ls;
        double max = config.minJump;
        double thr = config.defaultPageThreshold();
        for (int i = ls; i < l; i++) {
            double jump = q[i + ls] - q[i - ls];
            if (jump > max) {
                max = jump;
                thr = q[i - ls] + jump / 2;
            }
        }
        return thr;
    }

    /** A field's own threshold; see the class comment. */
    double localThreshold(double[] values, double globalThreshold, boolean noOutliers) {
        double[] q = values.clone();
        Arrays.sort(q);
        if (q.length < 3) {
            return q[q.length - 1] - q[0] < config.minGap ? globalThreshold : NumpyStats.mean(q);
        }
        int l = q.length - 1;
        double max = config.minJump;
        double thr = 255;
        for (int i = 1; i < l; i++) {
            double jump = q[i + 1] - q[i - 1];
            if (jump > max) {
                max = jump;
                thr = q[i - 1] + jump / 2;
            }
        }
        if (max < config.minJump + config.confidentSurplus && noOutliers) {
            thr = globalThreshold;
        }
        return thr;
    }

    private static double[] toArray(List<Double> l) {
        double[] a = new double[l.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = l.get(i);
        }
        return a;
    }
}
