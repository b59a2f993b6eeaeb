package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fieldwork.io.Storage;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's python3-mrcfile as the oracle both ways: it opens (strictly) and validates every file
 * we write, with the values numpy's own conversions give; we read what it writes, extended headers
 * and big-endian files included.
 */
class MrcPythonOracleTest {
    private static final int W = 37;
    private static final int H = 23;
    private static final int N = 3;
    private static final double PIXEL = 1.35;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsMrcfile() {
        Python.requireModule("mrcfile");
    }

    @Test
    void mrcfileReadsAndValidatesWhatWeWrite() throws IOException {
        List<float[]> sections = MrcTestData.sections(W, H, N);
        MrcTestData.writeRaw(dir.resolve("orig.f32"), sections);
        for (MrcMode mode : MrcMode.values()) {
            Files.write(dir.resolve("mode" + mode.code() + ".mrcs"), MrcWriter.encode(sections, W, H, mode, PIXEL));
        }
        Files.write(dir.resolve("single.mrc"), MrcWriter.encode(sections.get(0), W, H, MrcMode.INT16, PIXEL));
        Files.write(dir.resolve("volume.mrc"),
                MrcWriter.encode(sections, W, H, MrcMode.UINT16, PIXEL, MrcWriter.Kind.VOLUME));
        try (OutputStream out = new FileOutputStream(dir.resolve("stream.mrcs").toFile());
             MrcWriter w = MrcWriter.toStream(out, W, H, N, MrcMode.FLOAT32, PIXEL, MrcWriter.Kind.IMAGES)) {
            for (float[] s : sections) {
                w.write(s);
            }
        }
        try (MrcWriter w = MrcWriter.toFile(dir.resolve("file.mrcs"), W, H, MrcMode.FLOAT16, PIXEL, MrcWriter.Kind.IMAGES)) {
            for (float[] s : sections) {
                w.write(s);
            }
        }

        String out = Python.check(String.join("\n",
                "import sys, io, os, numpy as np, mrcfile",
                "d = sys.argv[1]",
                "orig = np.fromfile(os.path.join(d, 'orig.f32'), dtype='<f4').reshape(3, 23, 37)",
                "conv = {0: lambda a: np.clip(np.rint(a), -128, 127).astype(np.int8),",
                "        1: lambda a: np.clip(np.rint(a), -32768, 32767).astype(np.int16),",
                "        2: lambda a: a.astype(np.float32),",
                "        6: lambda a: np.clip(np.rint(a), 0, 65535).astype(np.uint16),",
                "        12: lambda a: a.astype(np.float16)}",
                "files = [('mode%d.mrcs' % m, m, orig, 'stack') for m in conv]",
                "files += [('single.mrc', 1, orig[0], 'image'), ('volume.mrc', 6, orig, 'volume'),",
                "          ('stream.mrcs', 2, orig, 'stack'), ('file.mrcs', 12, orig, 'stack')]",
                "for name, mode, src, kind in files:",
                "    path = os.path.join(d, name)",
                "    expected = conv[mode](src)",
                "    with mrcfile.open(path) as m:",
                "        same = m.data.dtype == expected.dtype and m.data.shape == expected.shape \\",
                "            and np.array_equal(m.data, expected)",
                "        got = {'image': m.is_single_image(), 'stack': m.is_image_stack(), 'volume': m.is_volume()}[kind]",
                "        vs = (float(m.voxel_size.x), float(m.voxel_size.y), float(m.voxel_size.z))",
                "    report = io.StringIO()",
                "    valid = mrcfile.validate(path, print_file=report)",
                "    print(name, same, got, valid, *vs, '|', report.getvalue().replace(chr(10), ' / '))"),
                dir.toString());
        String[] lines = out.strip().split("\n");
        assertEquals(9, lines.length, out);
        for (String line : lines) {
            String[] w = line.split(" ");
            assertEquals("True", w[1], "mrcfile reads the values numpy's conversion gives: " + line);
            assertEquals("True", w[2], "mrcfile sees the intended kind (image, stack, volume): " + line);
            assertEquals("True", w[3], "mrcfile.validate passes: " + line);
            for (int axis = 4; axis <= 6; axis++) {
                assertEquals(PIXEL, Double.parseDouble(w[axis]), 1e-6, "voxel size == pixel size: " + line);
            }
        }
    }

    @Test
    void weReadWhatMrcfileWrites() throws IOException {
        String out = Python.check(String.join("\n",
                "import sys, os, numpy as np, mrcfile",
                "d = sys.argv[1]",
                "rng = np.random.default_rng(7)",
                "ext = lambda n: np.frombuffer(bytes(range(12 * n)), dtype=[('a', '<i4'), ('b', '<f4'), ('c', '<i4')])",
                "files = {",
                "  'f32_ext.mrcs': (rng.normal(0, 50, (4, 30, 50)).astype(np.float32), 84, 0.82, True),",
                "  'i16_ext.mrcs': (rng.integers(-32768, 32768, (3, 40, 20)).astype(np.int16), 120, 1.1, True),",
                "  'be_f32.mrc': (rng.normal(5, 2, (2, 16, 24)).astype('>f4'), 0, 3.5, False),",
                "  'f16.mrcs': (rng.normal(0, 300, (2, 10, 12)).astype(np.float16), 0, 0.5, True),",
                "  'u16.mrcs': (rng.integers(0, 65536, (2, 10, 12)).astype(np.uint16), 0, 0.7, True),",
                "  'i8.mrcs': (rng.integers(-128, 128, (2, 10, 12)).astype(np.int8), 12, 2.0, True),",
                "}",
                "for name, (data, ext_bytes, voxel, stack) in files.items():",
                "    path = os.path.join(d, name)",
                "    with mrcfile.new(path, overwrite=True) as m:",
                "        m.set_data(data)",
                "        if stack:",
                "            m.set_image_stack()",
                "        if ext_bytes:",
                "            m.set_extended_header(ext(ext_bytes // 12))",
                "            m.header.exttyp = b'MRCO'",
                "        m.voxel_size = voxel",
                "        stamp = bytes(m.header.machst[:2]).hex()",
                "    data.astype('<f4').tofile(path + '.f32')",
                "    print(name, data.shape[2], data.shape[1], data.shape[0], ext_bytes, voxel, stamp)"),
                dir.toString());
        Map<String, String[]> files = new HashMap<>();
        for (String line : out.strip().split("\n")) {
            files.put(line.split(" ")[0], line.split(" "));
        }
        assertEquals(6, files.size(), out);
        assertEquals("1111", files.get("be_f32.mrc")[6], "numpy's big-endian data made mrcfile write a big-endian file");
        for (String[] f : files.values()) {
            Path path = dir.resolve(f[0]);
            float[] expected = MrcTestData.readRaw(dir.resolve(f[0] + ".f32"));
            try (MrcReader r = MrcReader.open(Storage.defaults(), path.toString())) {
                assertEquals(Integer.parseInt(f[1]), r.width(), f[0]);
                assertEquals(Integer.parseInt(f[2]), r.height(), f[0]);
                assertEquals(Integer.parseInt(f[3]), r.frames(), f[0]);
                assertEquals(Integer.parseInt(f[4]), r.header().nsymbt(), f[0]);
                assertEquals(Double.parseDouble(f[5]), r.pixelSizeA(), 1e-6, f[0]);
                assertEquals(f[6].equals("1111") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN, r.header().byteOrder());
                int plane = r.width() * r.height();
                for (int z = 0; z < r.frames(); z++) {
                    assertArrayEquals(Arrays.copyOfRange(expected, z * plane, (z + 1) * plane), r.frame(z), f[0] + " frame " + z);
                }
            }
        }
        assertTrue(files.containsKey("f32_ext.mrcs") && files.containsKey("i16_ext.mrcs"));
    }
}
