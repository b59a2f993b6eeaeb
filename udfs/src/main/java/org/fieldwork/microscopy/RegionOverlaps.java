package org.fieldwork.microscopy;

import java.util.ArrayList;
import java.util.List;

/**
 * Which tracks of the previous frame each region of this frame overlaps by at least one pixel,
 * each track listed once, in the order first met in a raster scan.
 */
final class RegionOverlaps {
    private RegionOverlaps() {
    }

    /**
     * @param previous   the previous frame's label image
     * @param trackOf    the track index of each previous label (-1 for none)
     * @param current    this frame's regions
     * @return per current label (index 1..count) the distinct overlapping track indices
     */
    static List<int[]> of(int[] previous, int[] trackOf, CellRegions current) {
        int[] labels = current.labels();
        int n = current.count();
        List<int[]> out = new ArrayList<>(n + 1);
        int[] sizes = new int[n + 1];
        for (int i = 0; i <= n; i++) {
            out.add(new int[2]);
        }
        int lastCur = -1;
        int lastTrack = -1;
        for (int i = 0; i < labels.length; i++) {
            int cur = labels[i];
            int prev = previous[i];
            if (cur == 0 || prev == 0) {
                continue;
            }
            int track = trackOf[prev];
            if (track < 0 || (cur == lastCur && track == lastTrack)) {
                continue;
            }
            lastCur = cur;
            lastTrack = track;
            int[] list = out.get(cur);
            boolean seen = false;
            for (int k = 0; k < sizes[cur]; k++) {
                seen |= list[k] == track;
            }
            if (!seen) {
                if (sizes[cur] == list.length) {
                    list = java.util.Arrays.copyOf(list, list.length * 2);
                    out.set(cur, list);
                }
                list[sizes[cur]++] = track;
            }
        }
        for (int i = 0; i <= n; i++) {
            out.set(i, java.util.Arrays.copyOf(out.get(i), sizes[i]));
        }
        return out;
    }
}
