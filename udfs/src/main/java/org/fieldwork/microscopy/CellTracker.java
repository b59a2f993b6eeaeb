package org.fieldwork.microscopy;

import java.util.List;

/**
 * Links the cell regions of consecutive frames into tracks by overlap. Frames are added in order;
 * only the previous frame's labels are kept, so memory does not grow with the movie's length
 * beyond one label per track and frame.
 */
public interface CellTracker {

    void add(CellRegions frame);

    /** The tracks that are kept, in cell id order. */
    List<CellTrack> tracks();

    /** A tracker for a method: "pyama" (the reference's rules) or "fieldwork" (lineages). */
    static CellTracker of(String method, CellClasses classes, int minTraceLength) {
        return switch (method) {
            case "pyama" -> new PyamaTracker(classes);
            case "fieldwork" -> new LineageTracker(classes, minTraceLength);
            default -> throw new IllegalArgumentException("unknown method '" + method + "' (pyama or fieldwork)");
        };
    }
}
