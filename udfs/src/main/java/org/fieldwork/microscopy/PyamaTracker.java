package org.fieldwork.microscopy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyAMA's tracking: traces start in frame 0 only; a region continues the one trace it overlaps in
 * the previous frame; merges, divisions and edge contact invalidate the traces involved; only
 * traces present in every frame and never invalidated are kept.
 */
final class PyamaTracker implements CellTracker {
    private final CellClasses classes;
    private final List<int[]> labels = new ArrayList<>();   // per trace, label per frame
    private final List<Boolean> valid = new ArrayList<>();
    private int[] previous;
    private int[] trackOfPrevious;
    private int frames;

    PyamaTracker(CellClasses classes) {
        this.classes = classes;
    }

    @Override
    public void add(CellRegions frame) {
        int n = frame.count();
        int[] trackOf = new int[n + 1];
        Arrays.fill(trackOf, -1);
        if (frames == 0) {
            for (int l = 1; l <= n; l++) {
                if (!classes.ignored(frame, l)) {
                    trackOf[l] = labels.size();
                    labels.add(new int[] {l});
                    valid.add(!frame.touchesBorder(l));
                }
            }
        } else {
            List<int[]> parents = RegionOverlaps.of(previous, trackOfPrevious, frame);
            boolean[] taken = new boolean[labels.size()];
            for (int l = 1; l <= n; l++) {
                if (classes.ignored(frame, l)) {
                    continue;
                }
                int[] p = parents.get(l);
                if (p.length == 0) {
                    continue;
                }
                if (p.length > 1) {
                    for (int t : p) {
                        valid.set(t, false);
                    }
                    continue;
                }
                int t = p[0];
                if (taken[t]) {
                    valid.set(t, false);
                    continue;
                }
                taken[t] = true;
                trackOf[l] = t;
                int[] row = labels.get(t);
                row = Arrays.copyOf(row, frames + 1);
                row[frames] = l;
                labels.set(t, row);
                if (frame.touchesBorder(l)) {
                    valid.set(t, false);
                }
            }
        }
        previous = frame.labels();
        trackOfPrevious = trackOf;
        frames++;
    }

    @Override
    public List<CellTrack> tracks() {
        List<CellTrack> out = new ArrayList<>();
        for (int t = 0; t < labels.size(); t++) {
            int[] row = labels.get(t);
            if (valid.get(t) && row.length == frames) {
                out.add(new CellTrack(out.size() + 1, 0, 0, row));
            }
        }
        return out;
    }
}
