package org.fieldwork.run;

import java.io.Serializable;

/** Progress of a run at one moment: what the console bar shows and what callbacks receive. */
public record ProgressSnapshot(
        String job,
        int unitsTotal,
        int unitsDone,
        int unitsFailed,
        long bytesTotal,
        long bytesDone,
        long items,
        String itemName,
        long elapsedMillis,
        boolean finished) implements Serializable {

    public double megabytesPerSecond() {
        return elapsedMillis <= 0 ? 0 : bytesDone / 1e6 / (elapsedMillis / 1000.0);
    }

    public double itemsPerSecond() {
        return elapsedMillis <= 0 ? 0 : items / (elapsedMillis / 1000.0);
    }

    /** Seconds left, from bytes when sizes are known, else from units; -1 when unknown. */
    public long etaSeconds() {
        double fraction;
        if (bytesTotal > 0) {
            fraction = Math.min(1.0, bytesDone / (double) bytesTotal);
        } else if (unitsTotal > 0) {
            fraction = (unitsDone + unitsFailed) / (double) unitsTotal;
        } else {
            return -1;
        }
        if (fraction <= 0) {
            return -1;
        }
        return Math.round(elapsedMillis / 1000.0 * (1 - fraction) / fraction);
    }
}
