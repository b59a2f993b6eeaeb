package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each step of the pyama method against the independent numpy/scipy oracle, on time lapses the
 * oracle generates itself: masks identical, background within 1e-4 relative, traces with the same
 * cells, areas and positions.
 */
class PyamaStepsTest {
    static final int T = 6;
    static final int H = 300;
    static final int W = 400;

    @TempDir
    static Path dir;
    static PyamaOracle oracle;
    static float[][] pc;
    static float[][] fl;

    @BeforeAll
    static void generate() throws Exception {
        oracle = new PyamaOracle(dir);
        float[][][] s = oracle.synthetic(T, H, W, 7);
        pc = s[0];
        fl = s[1];
    }

    static String[] dims() {
        return new String[] {Integer.toString(T), Integer.toString(H), Integer.toString(W)};
    }

    @Test
    void binarizationMasksAreIdentical() throws Exception {
        PhaseContrastBinarizer b = new PhaseContrastBinarizer(W, H);
        int cells = 0;
        for (int t = 0; t < T; t++) {
            Path in = dir.resolve("pc" + t + ".raw");
            Path out = dir.resolve("mask" + t + ".raw");
            PyamaOracle.writeDoubles(in, pc[t]);
            oracle.run("binarize", in.toString(), Integer.toString(H), Integer.toString(W), out.toString());
            byte[] expected = java.nio.file.Files.readAllBytes(out);
            byte[] mask = b.binarize(pc[t]);
            assertArrayEquals(expected, mask, "frame " + t);
            for (byte v : mask) {
                cells += v;
            }
        }
        assertTrue(cells > T * 5000, "the frames have cells: " + cells + " cell pixels");
    }

    @Test
    void backgroundGainAndCorrectionMatch() throws Exception {
        PhaseContrastBinarizer b = new PhaseContrastBinarizer(W, H);
        byte[][] masks = new byte[T][];
        for (int t = 0; t < T; t++) {
            masks[t] = b.binarize(pc[t]);
        }
        Path flRaw = dir.resolve("fl.raw");
        Path maskRaw = dir.resolve("masks.raw");
        PyamaOracle.writeDoubles(flRaw, fl);
        PyamaOracle.writeBytes(maskRaw, masks);
        List<String> args = new ArrayList<>(List.of("background", flRaw.toString(), maskRaw.toString()));
        args.addAll(List.of(dims()));
        args.addAll(List.of(dir.resolve("bg.raw").toString(), dir.resolve("gain.raw").toString(), dir.resolve("corr.raw").toString()));
        oracle.run(args.toArray(String[]::new));
        double[] bg = PyamaOracle.readDoubles(dir.resolve("bg.raw"));
        double[] gain = PyamaOracle.readDoubles(dir.resolve("gain.raw"));
        float[] corr = PyamaOracle.readFloats(dir.resolve("corr.raw"));

        TileSplineBackground tiles = new TileSplineBackground(W, H, 7, 5);
        SchwarzfischerBackground background = new SchwarzfischerBackground(W, H, tiles);
        List<double[]> medians = new ArrayList<>();
        for (int t = 0; t < T; t++) {
            medians.add(tiles.fit(fl[t], masks[t], true));
        }
        float[] g = background.gain(medians);
        double[] row = new double[W];
        float[] c = new float[W * H];
        double worst = 0;
        for (int t = 0; t < T; t++) {
            for (int y = 0; y < H; y++) {
                tiles.surfaceRow(medians.get(t), y, row);
                for (int x = 0; x < W; x++) {
                    double e = bg[(t * H + y) * W + x];
                    worst = Math.max(worst, Math.abs(row[x] - e) / Math.abs(e));
                }
            }
            background.correct(fl[t], medians.get(t), g, c);
            for (int i = 0; i < W * H; i++) {
                double e = corr[t * W * H + i];
                double scale = bg[t * W * H + i];
                assertEquals(e, c[i], 1e-4 * scale, "corrected frame " + t + " pixel " + i);
            }
        }
        assertTrue(worst < 1e-9, "background surface relative error " + worst);
        for (int i = 0; i < W * H; i++) {
            assertEquals(gain[i], g[i], 1e-6 * gain[i], "gain pixel " + i);
        }
    }

    @Test
    void tracesHaveTheSameCellsAreasAndIntensities() throws Exception {
        InMemoryFov fov = new InMemoryFov(W, H, pc, fl);
        FovResult r = new FovProcessor(FovParameters.defaults("pyama")).process(fov, 0, 0, new int[] {1}, fov, () -> false);
        Path pcRaw = dir.resolve("pipe-pc.raw");
        Path flRaw = dir.resolve("pipe-fl.raw");
        PyamaOracle.writeDoubles(pcRaw, pc);
        PyamaOracle.writeDoubles(flRaw, fl);
        List<String> args = new ArrayList<>(List.of("pipeline", pcRaw.toString(), flRaw.toString()));
        args.addAll(List.of(dims()));
        args.add(dir.resolve("pipe").toString());
        oracle.run(args.toArray(String[]::new));
        List<Map<String, String>> expected = PyamaOracle.csv(dir.resolve("pipe/traces.csv"));
        assertTrue(expected.size() >= 3 * T, "the oracle found cells: " + expected.size() + " rows");
        assertEquals(expected.size(), r.rows().size(), "rows");
        for (int i = 0; i < expected.size(); i++) {
            Map<String, String> e = expected.get(i);
            TraceRow a = r.rows().get(i);
            String where = "row " + i + " " + e;
            assertEquals(Integer.parseInt(e.get("cell_id")), a.cellId(), where);
            assertEquals(Integer.parseInt(e.get("frame")), a.frame(), where);
            assertEquals(Integer.parseInt(e.get("area")), a.area(), where);
            assertEquals(Boolean.parseBoolean(e.get("good").toLowerCase()), a.good(), where);
            assertEquals(Double.parseDouble(e.get("position_x")), a.positionX(), 1e-12, where);
            assertEquals(Double.parseDouble(e.get("position_y")), a.positionY(), 1e-12, where);
            double total = Double.parseDouble(e.get("intensity_total"));
            assertEquals(total, a.intensityTotal()[0], 1e-4 * Math.max(1, Math.abs(total)), where);
            assertEquals(0, a.parentId());
        }
        byte[] masks = java.nio.file.Files.readAllBytes(dir.resolve("pipe/binarized.raw"));
        for (int t = 0; t < T; t++) {
            assertArrayEquals(java.util.Arrays.copyOfRange(masks, t * W * H, (t + 1) * W * H), fov.masks[t], "mask " + t);
        }
    }
}
