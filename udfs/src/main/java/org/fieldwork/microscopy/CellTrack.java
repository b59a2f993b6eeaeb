package org.fieldwork.microscopy;

/**
 * One tracked cell: its id, the cell it divided from (0 for none), and its region label in each
 * frame from {@code firstFrame} on (0 where it has none).
 */
public record CellTrack(int cellId, int parentId, int firstFrame, int[] labels) {

    public int lastFrame() {
        return firstFrame + labels.length - 1;
    }

    /** The track's label in frame t, 0 when the track has no region there. */
    public int labelAt(int t) {
        int k = t - firstFrame;
        return k >= 0 && k < labels.length ? labels[k] : 0;
    }
}
