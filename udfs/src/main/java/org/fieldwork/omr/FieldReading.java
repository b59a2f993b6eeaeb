package org.fieldwork.omr;

import java.io.Serializable;

/**
 * How one field was read: its value, the threshold used, each bubble's mean gray and mark, and a
 * confidence: the smallest distance (gray levels) between a bubble mean and the threshold. A value
 * near 0 means one bubble sat right at the threshold and the answer could flip on a rescan.
 */
public record FieldReading(String label, String value, double threshold, double[] bubbleMeans, boolean[] marked,
        double confidence) implements Serializable {

    public int markCount() {
        int n = 0;
        for (boolean m : marked) {
            if (m) {
                n++;
            }
        }
        return n;
    }

    public boolean multiMarked() {
        return markCount() > 1;
    }
}
