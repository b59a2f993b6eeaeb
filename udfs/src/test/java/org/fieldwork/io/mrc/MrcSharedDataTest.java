package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.fieldwork.io.Storage;
import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shared cryo-EM samples (legacy headers: version 0, cell 0) read as mrcfile reads them. */
class MrcSharedDataTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"hiv_images_shift_noise_80x80x10.mrc, 10", "hiv_image_80x80x1.mrc, 1"})
    void legacyFilesOpenWithMrcfilesValues(String name, int frames) throws IOException {
        Path file = SharedData.require("cryoem/" + name);
        Python.requireModule("mrcfile");
        Path raw = dir.resolve(name + ".f32");
        String out = Python.check(String.join("\n",
                "import sys, numpy as np, mrcfile",
                "with mrcfile.open(sys.argv[1], permissive=True) as m:",
                "    m.data.astype('<f4').tofile(sys.argv[2])",
                "    print(m.header.nx, m.header.ny, m.header.nz, m.header.nversion, float(m.header.cella.x))"),
                file.toString(), raw.toString());
        assertEquals("80 80 " + frames + " 0 0.0", out.strip(), "the sample's header is a legacy one");
        float[] expected = MrcTestData.readRaw(raw);
        try (MrcReader r = MrcReader.open(Storage.defaults(), file.toString())) {
            assertEquals(80, r.width());
            assertEquals(80, r.height());
            assertEquals(frames, r.frames());
            assertEquals(MrcMode.FLOAT32, r.header().mode());
            assertEquals(0, r.header().nversion());
            assertEquals(0.0, r.pixelSizeA());
            for (int z = 0; z < frames; z++) {
                assertArrayEquals(Arrays.copyOfRange(expected, z * 6400, (z + 1) * 6400), r.frame(z), name + " frame " + z);
            }
        }
    }
}
