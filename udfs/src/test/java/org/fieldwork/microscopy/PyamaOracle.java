package org.fieldwork.microscopy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fieldwork.testing.Python;

/**
 * The independent numpy/scipy implementation of PyAMA's steps (pyama_oracle.py), called with raw
 * little-endian arrays.
 */
final class PyamaOracle {
    private final Path script;
    private final Path dir;

    PyamaOracle(Path dir) throws IOException {
        Python.requireModule("scipy");
        this.dir = dir;
        this.script = dir.resolve("pyama_oracle.py");
        try (InputStream in = PyamaOracle.class.getResourceAsStream("pyama_oracle.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    String run(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = script.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return Python.check("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", all);
    }

    Python.Result tryRun(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = script.toString();
        System.arraycopy(args, 0, all, 1, args.length);
        return Python.run("import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", all);
    }

    /** Synthetic phase-contrast and fluorescence stacks from the oracle's own generator, rounded to 16-bit counts. */
    float[][][] synthetic(int frames, int height, int width, int seed) throws IOException {
        Path out = dir.resolve("synth-" + seed);
        run("synth", out.toString(), Integer.toString(frames), Integer.toString(height), Integer.toString(width),
                "--seed", Integer.toString(seed));
        float[][] pc = counts(readDoubles(out.resolve("pc.raw")), frames);
        float[][] fl = counts(readDoubles(out.resolve("fl.raw")), frames);
        return new float[][][] {pc, fl};
    }

    private static float[][] counts(double[] all, int frames) {
        int n = all.length / frames;
        float[][] out = new float[frames][n];
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < n; i++) {
                out[t][i] = (float) Math.max(0, Math.min(65535, Math.rint(all[t * n + i])));
            }
        }
        return out;
    }

    static void writeDoubles(Path p, float[]... frames) throws IOException {
        int n = frames[0].length;
        ByteBuffer b = ByteBuffer.allocate(8 * n * frames.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] f : frames) {
            for (float v : f) {
                b.putDouble(v);
            }
        }
        Files.write(p, b.array());
    }

    static void writeBytes(Path p, byte[]... frames) throws IOException {
        int n = frames[0].length;
        byte[] all = new byte[n * frames.length];
        for (int t = 0; t < frames.length; t++) {
            System.arraycopy(frames[t], 0, all, t * n, n);
        }
        Files.write(p, all);
    }

    static void writeFloats(Path p, float[]... frames) throws IOException {
        int n = frames[0].length;
        ByteBuffer b = ByteBuffer.allocate(4 * n * frames.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] f : frames) {
            for (float v : f) {
                b.putFloat(v);
            }
        }
        Files.write(p, b.array());
    }

    static double[] readDoubles(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        double[] d = new double[b.remaining() / 8];
        b.asDoubleBuffer().get(d);
        return d;
    }

    static float[] readFloats(Path p) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
        float[] d = new float[b.remaining() / 4];
        b.asFloatBuffer().get(d);
        return d;
    }

    /** traces.csv rows by column name. */
    static List<java.util.Map<String, String>> csv(Path p) throws IOException {
        List<java.util.Map<String, String>> out = new ArrayList<>();
        try (var parser = org.apache.commons.csv.CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(p))) {
            parser.forEach(r -> out.add(r.toMap()));
        }
        return out;
    }
}
