package org.fieldwork.microscopy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tracking that keeps lineages: a region without a parent starts a track in any frame; a cell that
 * divides ends its track and each daughter starts one that names it as parent; regions that merge
 * end the tracks that met and start a new one. Edge contact does not end a track (the traces mark
 * those frames not good). Tracks shorter than the minimum length are dropped. Cell ids follow the
 * order in which tracks start (frame, then label).
 */
final class LineageTracker implements CellTracker {
    private final CellClasses classes;
    private final int minLength;
    private final List<Track> tracks = new ArrayList<>();
    private int[] previous;
    private int[] trackOfPrevious;
    private int frames;

    private static final class Track {
        final int parent;       // index of the parent track, -1 for none
        final int first;
        int[] labels = new int[8];
        int length;

        Track(int parent, int first) {
            this.parent = parent;
            this.first = first;
        }

        void add(int label) {
            if (length == labels.length) {
                labels = Arrays.copyOf(labels, length * 2);
            }
            labels[length++] = label;
        }
    }

    LineageTracker(CellClasses classes, int minLength) {
        this.classes = classes;
        this.minLength = Math.max(1, minLength);
    }

    @Override
    public void add(CellRegions frame) {
        int n = frame.count();
        int[] trackOf = new int[n + 1];
        Arrays.fill(trackOf, -1);
        List<int[]> parents = frames == 0 ? null : RegionOverlaps.of(previous, trackOfPrevious, frame);
        // Daughters per parent track in this frame, to tell continuations from divisions.
        int[] children = new int[tracks.size()];
        if (parents != null) {
            for (int l = 1; l <= n; l++) {
                if (!classes.ignored(frame, l) && parents.get(l).length == 1) {
                    children[parents.get(l)[0]]++;
                }
            }
        }
        for (int l = 1; l <= n; l++) {
            if (classes.ignored(frame, l)) {
                continue;
            }
            int[] p = parents == null ? new int[0] : parents.get(l);
            Track t;
            if (p.length == 1 && children[p[0]] == 1) {
                t = tracks.get(p[0]);
                trackOf[l] = p[0];
            } else {
                // New cell, daughter of a division (parent known), or the product of a merge (no single parent).
                t = new Track(p.length == 1 ? p[0] : -1, frames);
                trackOf[l] = tracks.size();
                tracks.add(t);
            }
            t.add(l);
        }
        previous = frame.labels();
        trackOfPrevious = trackOf;
        frames++;
    }

    @Override
    public List<CellTrack> tracks() {
        int[] ids = new int[tracks.size()];
        int next = 0;
        // A movie shorter than the minimum keeps the tracks that span it.
        int min = Math.min(minLength, Math.max(1, frames));
        for (int i = 0; i < tracks.size(); i++) {
            if (tracks.get(i).length >= min) {
                ids[i] = ++next;
            }
        }
        List<CellTrack> out = new ArrayList<>();
        for (int i = 0; i < tracks.size(); i++) {
            Track t = tracks.get(i);
            if (ids[i] > 0) {
                int parent = t.parent < 0 ? 0 : ids[t.parent];
                out.add(new CellTrack(ids[i], parent, t.first, Arrays.copyOf(t.labels, t.length)));
            }
        }
        return out;
    }
}
