package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tracking on small hand-drawn masks with every event: a steady cell, a division, a merge, a cell
 * that reaches the border, one that appears late, and debris. The pyama rules against the oracle;
 * the lineage rules against the lineage they must give.
 */
class CellTrackerTest {
    static final int T = 4;
    static final int H = 60;
    static final int W = 80;
    static final CellClasses SMALL = new CellClasses(4, 10, 1000);

    /** Frames of rectangles: [x0, y0, x1, y1) per cell per frame. */
    static byte[][] masks() {
        byte[][] m = new byte[T][W * H];
        for (int t = 0; t < T; t++) {
            rect(m[t], 5, 5, 15, 12);                 // A: steady
            if (t < 2) {
                rect(m[t], 25, 5, 40, 12);            // B before dividing
                rect(m[t], 50, 5, 56, 12);            // C and D apart
                rect(m[t], 60, 5, 66, 12);
            } else {
                rect(m[t], 25, 5, 31, 12);            // B's daughters
                rect(m[t], 34, 5, 40, 12);
                rect(m[t], 50, 5, 66, 12);            // C and D merged
            }
            int ex = 10 - 4 * t;                      // E drifts left and touches the border at t = 3
            rect(m[t], Math.max(0, ex), 30, Math.max(0, ex) + 8, 38);
            if (t >= 1) {
                rect(m[t], 40, 30, 48, 38);           // F appears at t = 1
            }
            rect(m[t], 60, 40, 62, 42);               // debris: 4 px, ignored
        }
        return m;
    }

    static void rect(byte[] m, int x0, int y0, int x1, int y1) {
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                m[y * W + x] = 1;
            }
        }
    }

    static List<CellTrack> track(String method, byte[][] masks) {
        CellTracker tracker = CellTracker.of(method, SMALL, 1);
        for (byte[] m : masks) {
            tracker.add(CellRegions.of(m, W, H));
        }
        return tracker.tracks();
    }

    @Test
    void pyamaRulesEqualTheOracle(@TempDir Path dir) throws Exception {
        PyamaOracle oracle = new PyamaOracle(dir);
        byte[][] m = masks();
        float[][] corr = new float[T][W * H];
        for (int t = 0; t < T; t++) {
            for (int i = 0; i < W * H; i++) {
                corr[t][i] = (i % 7) + t;
            }
        }
        PyamaOracle.writeBytes(dir.resolve("m.raw"), m);
        PyamaOracle.writeFloats(dir.resolve("c.raw"), corr);
        oracle.run("traces", dir.resolve("m.raw").toString(), dir.resolve("c.raw").toString(), "" + T, "" + H, "" + W,
                dir.resolve("t.csv").toString(), "--ignore-max-area", "4", "--good-min-area", "10", "--good-max-area", "1000");
        List<Map<String, String>> expected = PyamaOracle.csv(dir.resolve("t.csv"));

        List<CellTrack> tracks = track("pyama", m);
        List<String> got = new ArrayList<>();
        for (CellTrack tr : tracks) {
            for (int t = 0; t < T; t++) {
                CellRegions r = CellRegions.of(m[t], W, H);
                int l = tr.labelAt(t);
                got.add(tr.cellId() + "," + t + "," + r.area(l) + "," + SMALL.good(r, l));
            }
        }
        List<String> want = new ArrayList<>();
        expected.forEach(e -> want.add(e.get("cell_id") + "," + e.get("frame") + "," + e.get("area") + ","
                + e.get("good").toLowerCase()));
        assertEquals(want, got);
        // Only A spans every frame untouched by a division, merge or the border.
        assertEquals(1, tracks.size());
    }

    @Test
    void lineagesFollowDivisionsMergesAndLateCells() {
        List<CellTrack> tracks = track("fieldwork", masks());
        // Start order: frame 0 labels A, B, C, D, E (raster order of first pixel), then F at t=1,
        // then B's daughters and the merged C+D at t=2.
        assertEquals(9, tracks.size(), tracks.toString());
        CellTrack a = tracks.get(0);
        assertEquals(0, a.firstFrame());
        assertEquals(T - 1, a.lastFrame());
        CellTrack b = tracks.get(1);
        assertEquals(1, b.lastFrame(), "B ends when it divides");
        List<CellTrack> late = tracks.subList(6, 9);
        assertEquals(2, late.stream().filter(t -> t.parentId() == b.cellId()).count(), "two daughters name B: " + late);
        assertTrue(late.stream().allMatch(t -> t.firstFrame() == 2));
        assertEquals(1, late.stream().filter(t -> t.parentId() == 0).count(), "the merged cell has no single parent");
        assertEquals(1, tracks.get(2).lastFrame(), "C ends in the merge");
        assertEquals(1, tracks.get(3).lastFrame(), "D ends in the merge");
        CellTrack e = tracks.get(4);
        assertEquals(T - 1, e.lastFrame(), "a cell at the border is still tracked");
        CellRegions last = CellRegions.of(masks()[T - 1], W, H);
        assertTrue(last.touchesBorder(e.labelAt(T - 1)));
        assertFalse(SMALL.good(last, e.labelAt(T - 1)), "but not good there");
        CellTrack f = tracks.get(5);
        assertEquals(1, f.firstFrame(), "F starts late");
        assertEquals(T - 1, f.lastFrame());
    }

    @Test
    void shortTracksAreDropped() {
        CellTracker tracker = CellTracker.of("fieldwork", SMALL, 3);
        for (byte[] m : masks()) {
            tracker.add(CellRegions.of(m, W, H));
        }
        // A, E (4 frames) and F (3 frames) remain; B, C, D (2 frames) and the t=2 tracks (2 frames) go.
        assertEquals(3, tracker.tracks().size());
        assertEquals(List.of(1, 2, 3), tracker.tracks().stream().map(CellTrack::cellId).toList());
    }
}
