package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;

/**
 * RELION 3.1 (Debian package {@code relion}) as an oracle: its programs run in a folder; MRC files go
 * in and out through python3-mrcfile. Outside CI a test skips when RELION is not installed.
 */
final class Relion {
    private Relion() {
    }

    static void require(String program) {
        if (!Files.isExecutable(Path.of("/usr/bin", program))) {
            String msg = program + " is not installed (Debian package relion; the test command installs it)";
            if (SharedData.inCi()) {
                fail(msg);
            }
            assumeTrue(false, msg);
        }
        Python.requireModule("mrcfile");
    }

    /** Runs a RELION program in {@code dir}; returns its standard output, fails the test on a non-zero exit. */
    static String run(Path dir, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        cmd.set(0, "/usr/bin/" + cmd.get(0));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail(command[0] + " timed out");
        }
        if (p.exitValue() != 0) {
            fail(command[0] + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** Writes a float32 image as an MRC file through mrcfile. */
    static void writeMrc(Path file, float[] image, int width, int height, double pixelSizeA) throws IOException {
        Path raw = file.resolveSibling(file.getFileName() + ".raw");
        ByteBuffer bb = ByteBuffer.allocate(4 * image.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(image);
        Files.write(raw, bb.array());
        Python.check("import sys, numpy as np, mrcfile\n"
                + "a = np.fromfile(sys.argv[1], '<f4').reshape(int(sys.argv[4]), int(sys.argv[3]))\n"
                + "with mrcfile.new(sys.argv[2], overwrite=True) as m:\n"
                + "    m.set_data(a)\n"
                + "    m.voxel_size = float(sys.argv[5])\n",
                raw.toString(), file.toString(), String.valueOf(width), String.valueOf(height), String.valueOf(pixelSizeA));
        Files.delete(raw);
    }

    /** The images of an MRC stack read through mrcfile, each row-major. */
    static List<float[]> readStack(Path file) throws IOException {
        Path raw = file.resolveSibling(file.getFileName() + ".raw");
        String shape = Python.check("import sys, numpy as np, mrcfile\n"
                + "with mrcfile.open(sys.argv[1], permissive=True) as m:\n"
                + "    d = np.asarray(m.data, dtype='<f4')\n"
                + "    d = d.reshape((-1,) + d.shape[-2:])\n"
                + "    d.tofile(sys.argv[2])\n"
                + "    print(d.shape[0], d.shape[1], d.shape[2])\n", file.toString(), raw.toString()).trim();
        String[] s = shape.split("\\s+");
        int n = Integer.parseInt(s[0]);
        int size = Integer.parseInt(s[1]) * Integer.parseInt(s[2]);
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(raw)).order(ByteOrder.LITTLE_ENDIAN);
        Files.delete(raw);
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] img = new float[size];
            bb.asFloatBuffer().position(i * size).get(img);
            out.add(img);
        }
        return out;
    }
}
