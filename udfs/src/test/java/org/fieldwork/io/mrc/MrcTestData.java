package org.fieldwork.io.mrc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Synthetic sections for MRC tests, and raw little-endian float32 files to exchange values with python. */
final class MrcTestData {
    private MrcTestData() {
    }

    /**
     * Sections whose values cover each mode's edge cases: fractions, exact .5 ties, values beyond
     * the int8 / int16 / uint16 ranges, and small and large magnitudes for float16.
     */
    static List<float[]> sections(int width, int height, int count) {
        List<float[]> out = new ArrayList<>();
        float[] special = {0f, -0f, 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, 127.4f, 127.5f, 128f, -128.5f, -129f, 300f,
                32767.5f, -32768.6f, 40000f, 65535.4f, 65536f, 70000f, -1e6f, 1e-6f, 3e-8f, 65504f, 0.1f};
        for (int s = 0; s < count; s++) {
            float[] v = new float[width * height];
            for (int i = 0; i < v.length; i++) {
                double x = Math.sin(0.37 * i + 1.1 * s) * 150 + (i % 7) * 0.25 - s;
                v[i] = (float) x;
            }
            for (int i = 0; i < special.length && s * special.length + i < v.length; i++) {
                v[(s * special.length + i) % v.length] = special[i];
            }
            out.add(v);
        }
        return out;
    }

    static void writeRaw(Path file, List<float[]> sections) throws IOException {
        int n = sections.stream().mapToInt(a -> a.length).sum();
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] s : sections) {
            b.asFloatBuffer().put(s);
            b.position(b.position() + 4 * s.length);
        }
        Files.write(file, b.array());
    }

    static float[] readRaw(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }
}
