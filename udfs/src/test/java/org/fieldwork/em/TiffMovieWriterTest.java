package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.fieldwork.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TIFF movies we write, read by tifffile (the oracle): shape, dtype and every value. */
class TiffMovieWriterTest {

    @Test
    void tifffileReadsEveryPageWithItsValues(@TempDir Path tmp) throws Exception {
        Python.requireModule("tifffile");
        Random r = new Random(5);
        int w = 37, h = 23, n = 4;
        List<float[]> frames = new ArrayList<>();
        for (int f = 0; f < n; f++) {
            float[] v = new float[w * h];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextInt(4000) + (f == 0 ? 0.25f : 0);
            }
            frames.add(v);
        }
        for (TiffMovieWriter.Sample s : TiffMovieWriter.Sample.values()) {
            Path file = tmp.resolve("m-" + s + ".tif");
            try (OutputStream out = Files.newOutputStream(file)) {
                TiffMovieWriter.write(out, w, h, frames, s);
            }
            Path dump = tmp.resolve("dump-" + s + ".txt");
            Python.check(String.join("\n",
                    "import sys, tifffile, numpy as np",
                    "a = tifffile.imread(sys.argv[1])",
                    "open(sys.argv[2], 'w').write(str(a.dtype) + ' ' + ' '.join(map(str, a.shape)) + '\\n' + ' '.join(repr(float(x)) for x in a.ravel()))"),
                    file.toString(), dump.toString());
            String[] lines = Files.readString(dump).split("\n");
            assertEquals((s == TiffMovieWriter.Sample.UINT16 ? "uint16" : "float32") + " " + n + " " + h + " " + w, lines[0]);
            String[] values = lines[1].split(" ");
            assertEquals(n * w * h, values.length);
            for (int f = 0; f < n; f++) {
                for (int i = 0; i < w * h; i++) {
                    float expected = s == TiffMovieWriter.Sample.UINT16 ? Math.round(frames.get(f)[i]) : frames.get(f)[i];
                    assertEquals(expected, Float.parseFloat(values[f * w * h + i]), 0f, "frame " + f + " value " + i);
                }
            }
            assertTrue(Files.size(file) > (long) n * w * h * 2);
        }
    }
}
