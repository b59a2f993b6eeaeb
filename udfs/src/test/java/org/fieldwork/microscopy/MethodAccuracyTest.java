package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both methods against the truth of a synthetic time lapse with vignetted illumination, moving,
 * growing and dividing cells, cells at the border and cells that appear late: the fieldwork method
 * must be measurably closer where the spec says the reference fails.
 */
class MethodAccuracyTest {
    static final int N = 1024;
    static final int T = 10;
    static SyntheticTimeLapse lapse;
    static Map<String, InMemoryFov> runs = new HashMap<>();
    static Map<String, FovResult> results = new HashMap<>();

    @BeforeAll
    static void run() throws Exception {
        lapse = new SyntheticTimeLapse(SyntheticTimeLapse.Parameters.builder().size(N, N).frames(T).seed(5).build());
        float[][] pc = new float[T][];
        float[][] fl = new float[T][];
        for (int t = 0; t < T; t++) {
            pc[t] = floats(lapse.phaseContrast(t));
            fl[t] = floats(lapse.fluorescence(t));
        }
        for (String method : List.of("pyama", "fieldwork")) {
            InMemoryFov fov = new InMemoryFov(N, N, pc, fl);
            results.put(method, new FovProcessor(FovParameters.defaults(method)).process(fov, 0, 0, new int[] {1}, fov,
                    () -> false));
            runs.put(method, fov);
        }
    }

    static float[] floats(short[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = a[i] & 0xFFFF;
        }
        return f;
    }

    /** Mean |bias| of the corrected background (should be 0) over 32x32 blocks in the frame's corners, and the worst block. */
    static double[] cornerBias(InMemoryFov fov) {
        int b = 32;
        int nb = N / b;
        double[] sum = new double[nb * nb];
        long[] n = new long[nb * nb];
        for (int t = 0; t < T; t++) {
            int[] labels = lapse.labels(t);
            for (int i = 0; i < N * N; i++) {
                if (labels[i] == 0) {
                    int k = (i / N / b) * nb + (i % N) / b;
                    sum[k] += fov.corrected[0][t][i];
                    n[k]++;
                }
            }
        }
        double corner = 0;
        double worst = 0;
        int c = 0;
        for (int k = 0; k < sum.length; k++) {
            if (n[k] < 100) {
                continue;   // a block a cell covers
            }
            double v = Math.abs(sum[k] / n[k]);
            worst = Math.max(worst, v);
            int bx = k % nb;
            int by = k / nb;
            if ((bx < 3 || bx >= nb - 3) && (by < 3 || by >= nb - 3)) {
                corner += v;
                c++;
            }
        }
        return new double[] {corner / c, worst};
    }

    /** Mean relative error of intensity_total against the truth, over the rows of cells off the border. */
    static double intensityError(FovResult r) {
        double err = 0;
        int n = 0;
        for (TraceRow row : r.rows()) {
            SyntheticCellTruth truth = truthAt(row);
            if (truth != null && !truth.touchesBorder()) {
                err += Math.abs(row.intensityTotal()[0] - truth.intensityTotal()) / truth.intensityTotal();
                n++;
            }
        }
        assertTrue(n > 50, "enough matched rows: " + n);
        return err / n;
    }

    static SyntheticCellTruth truthAt(TraceRow row) {
        int id = lapse.labels(row.frame())[(int) Math.round(row.positionY()) * N + (int) Math.round(row.positionX())];
        return lapse.truth(row.frame()).stream().filter(c -> c.id() == id).findFirst().orElse(null);
    }

    /** The figures the README quotes. */
    @org.junit.jupiter.api.AfterAll
    static void report() {
        for (String m : List.of("pyama", "fieldwork")) {
            double[] bias = cornerBias(runs.get(m));
            System.out.printf("MethodAccuracyTest %s: corner background bias %.2f (worst block %.2f), intensity_total error %.2f%%,"
                    + " %d traces%n", m, bias[0], bias[1], 100 * intensityError(results.get(m)), results.get(m).tracks().size());
        }
    }

    @Test
    void theBackgroundHoldsInTheCorners() {
        double[] pyama = cornerBias(runs.get("pyama"));
        double[] fieldwork = cornerBias(runs.get("fieldwork"));
        assertTrue(pyama[0] > 10, "the reference's background is off in the corners: " + pyama[0]);
        assertTrue(fieldwork[0] < pyama[0] / 5, "corner bias fieldwork " + fieldwork[0] + " vs pyama " + pyama[0]);
        assertTrue(fieldwork[1] < 10, "worst block " + fieldwork[1] + " (pyama " + pyama[1] + ")");
    }

    @Test
    void intensitiesAreCloserToTheTruth() {
        double pyama = intensityError(results.get("pyama"));
        double fieldwork = intensityError(results.get("fieldwork"));
        assertTrue(fieldwork < pyama / 2, "intensity error fieldwork " + fieldwork + " vs pyama " + pyama);
        assertTrue(fieldwork < 0.01, "fieldwork within 1% of the truth: " + fieldwork);
    }

    @Test
    void lineagesSurviveDivisionsAndLateCellsAreTraced() {
        FovResult pyama = results.get("pyama");
        FovResult fieldwork = results.get("fieldwork");
        // Every truth division whose daughters are traced must name the right parent.
        Map<Integer, Integer> truthOfTrack = new HashMap<>();
        for (TraceRow row : fieldwork.rows()) {
            SyntheticCellTruth truth = truthAt(row);
            if (truth != null) {
                truthOfTrack.putIfAbsent(row.cellId(), truth.id());
            }
        }
        int daughters = 0;
        for (CellTrack t : fieldwork.tracks()) {
            if (t.parentId() > 0) {
                SyntheticCellTruth child = lapse.truth(t.firstFrame()).stream()
                        .filter(c -> c.id() == truthOfTrack.get(t.cellId())).findFirst().orElseThrow();
                assertTrue(child.parentId() == truthOfTrack.get(t.parentId()), "track " + t.cellId() + " names the cell it divided from");
                daughters++;
            }
        }
        assertTrue(daughters >= 2, "divisions traced as parent -> daughters: " + daughters);
        assertTrue(fieldwork.tracks().stream().anyMatch(t -> t.firstFrame() > 0 && t.parentId() == 0),
                "a cell that appears late gets a trace");
        assertTrue(pyama.tracks().stream().allMatch(t -> t.firstFrame() == 0 && t.parentId() == 0));
        assertTrue(fieldwork.tracks().size() > pyama.tracks().size() + daughters / 2,
                fieldwork.tracks().size() + " traces vs the reference's " + pyama.tracks().size());
    }
}
