package org.fieldwork.microscopy;

import java.util.List;
import java.util.Map;

/**
 * What processing one field of view produced besides its frame-sized outputs.
 *
 * @param rows           trace rows in (cell, frame) order
 * @param tracks         the tracks kept, in cell id order
 * @param invalidFrames  per fluorescence channel, frames whose background could not be estimated
 *                       (a tile without background pixels), with the reason; their corrected frame is NaN
 * @param seconds        time per step ("read", "binarize", "track", "background", "correct")
 */
public record FovResult(List<TraceRow> rows, List<CellTrack> tracks, Map<String, List<String>> invalidFrames,
                        Map<String, Double> seconds) {

    /** Per label of frame t's regions, the cell id tracked there (0: none); for pictures. */
    public int[] cellIdsByLabel(int t, int labels) {
        int[] ids = new int[labels + 1];
        for (CellTrack track : tracks) {
            int l = track.labelAt(t);
            if (l > 0 && l <= labels) {
                ids[l] = track.cellId();
            }
        }
        return ids;
    }
}
