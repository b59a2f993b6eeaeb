package org.fieldwork.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fieldwork.io.Storage;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Python zarr 2.x (Debian's python3-zarr) is the oracle: what we write it reads, and the reverse. */
class ZarrPythonInteropTest {
    private static final long[] SHAPE = {7, 5};
    private static final int[] CHUNKS = {3, 2};
    /** Chunk (1, 1) is never written, so it must read back as the fill value. */
    private static final long[] MISSING = {1, 1};

    @TempDir
    Path dir;

    @BeforeAll
    static void needsZarr() {
        Python.requireModule("zarr");
    }

    /** The values Java writes for a dtype, and what they read as once chunk MISSING is left out. */
    private static Object[] javaValues(DataType type) {
        int n = (int) (SHAPE[0] * SHAPE[1]);
        Object written = ZarrTestValues.random(type, n, type.ordinal() * 31L + 1);
        Object expected = type.newArray(n);
        System.arraycopy(written, 0, expected, 0, n);
        for (int i = 0; i < SHAPE[0]; i++) {
            for (int j = 0; j < SHAPE[1]; j++) {
                if (i / CHUNKS[0] == MISSING[0] && j / CHUNKS[1] == MISSING[1]) {
                    ZarrTestValues.set(expected, (int) (i * SHAPE[1] + j), ZarrTestValues.fill(type));
                }
            }
        }
        return new Object[] {written, expected};
    }

    @Test
    void pythonReadsWhatJavaWrites() throws Exception {
        List<String> names = new ArrayList<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        for (DataType type : DataType.values()) {
            for (Compressor c : ZarrTestValues.compressors()) {
                String name = type.name().toLowerCase() + "_" + ZarrTestValues.name(c);
                Object[] values = javaValues(type);
                ZarrArray a = ZarrArray.create(Storage.defaults(), dir.resolve(name).toString(),
                        ZarrArrayMetadata.of(SHAPE, CHUNKS, type, c, ZarrTestValues.fill(type)));
                // Row blocks of whole chunks; the last one is the partial edge (rows 6..7), then drop one chunk.
                Object rows = type.newArray(6 * 5);
                System.arraycopy(values[0], 0, rows, 0, 30);
                Object last = type.newArray(5);
                System.arraycopy(values[0], 30, last, 0, 5);
                a.writeRows(0, rows);
                a.writeRows(6, last);
                Files.delete(Path.of(a.chunkPath(MISSING)));
                names.add(name);
                expected.put(name, values[1]);
            }
        }
        List<String> args = new ArrayList<>(List.of(dir.toString()));
        args.addAll(names);
        String out = Python.check(String.join("\n",
                "import sys, json, zarr, numpy as np",
                "root = sys.argv[1]",
                "for name in sys.argv[2:]:",
                "    z = zarr.open_array(root + '/' + name, mode='r')",
                "    a = z[...]",
                "    open(root + '/' + name + '.bin', 'wb').write(a.astype(a.dtype.newbyteorder('<')).tobytes())",
                "    fv = z.fill_value",
                "    fv = None if fv is None else (str(fv) if isinstance(fv, float) and np.isnan(fv) else fv.item() if hasattr(fv, 'item') else fv)",
                "    print(json.dumps({'name': name, 'dtype': z.dtype.str, 'shape': list(z.shape), 'chunks': list(z.chunks),",
                "        'compressor': None if z.compressor is None else z.compressor.get_config(), 'fill': fv,",
                "        'initialized': z.nchunks_initialized}))"),
                args.toArray(String[]::new));
        ObjectMapper mapper = new ObjectMapper();
        int seen = 0;
        for (String line : out.strip().split("\n")) {
            JsonNode j = mapper.readTree(line);
            String name = j.get("name").asText();
            DataType type = DataType.valueOf(name.substring(0, name.indexOf('_')).toUpperCase());
            String comp = name.substring(name.indexOf('_') + 1);
            assertEquals(type.typestr(java.nio.ByteOrder.LITTLE_ENDIAN), j.get("dtype").asText(), name);
            assertEquals("[7,5]", j.get("shape").toString(), name);
            assertEquals("[3,2]", j.get("chunks").toString(), name);
            assertEquals("none".equals(comp) ? "null" : comp, j.get("compressor").path("id").asText("null"), name);
            assertFalse(j.get("compressor").has("checksum"), name);
            double fill = ZarrTestValues.fill(type);
            JsonNode pyFill = j.get("fill");
            if (Double.isNaN(fill)) {
                assertEquals("nan", pyFill.asText(), name);
            } else if (type == DataType.BOOL) {
                assertEquals(fill != 0, pyFill.asBoolean(), name);
                assertTrue(pyFill.isBoolean(), name);
            } else {
                assertEquals(fill, pyFill.asDouble(), name);
            }
            assertEquals(3 * 3 - 1, j.get("initialized").asInt(), name);
            byte[] got = Files.readAllBytes(dir.resolve(name + ".bin"));
            assertArrayEquals(ZarrTestValues.littleEndian(expected.get(name)), got, name);
            seen++;
        }
        assertEquals(names.size(), seen);
    }

    @Test
    void javaReadsWhatPythonWrites() throws Exception {
        String out = Python.check(String.join("\n",
                "import sys, os, json, zarr, numcodecs, numpy as np",
                "root = sys.argv[1]",
                "rng = np.random.default_rng(5)",
                "types = ['|b1', '|i1', '|u1', '<u2', '<i2', '<i4', '<f4', '<f8', '>u2', '>i2', '>i4', '>f4', '>f8']",
                "comps = {'zstd': numcodecs.Zstd(level=5), 'zlib': numcodecs.Zlib(level=6), 'none': None}",
                "fills = {'b': True, 'i': -3, 'u': 9, 'f': np.nan}",
                "for t in types:",
                "    dt = np.dtype(t)",
                "    for cname, comp in comps.items():",
                "        if t.startswith('>') and cname != 'zlib': continue",
                "        name = t.replace('<', 'le').replace('>', 'be').replace('|', '') + '_' + cname",
                "        z = zarr.open_array(root + '/' + name, mode='w', shape=(7, 5), chunks=(3, 2), dtype=dt,",
                "                            compressor=comp, fill_value=fills[dt.kind])",
                "        if dt.kind == 'b': v = rng.integers(0, 2, (7, 5)).astype(dt)",
                "        elif dt.kind == 'f': v = (rng.standard_normal((7, 5)) * 1000).astype(dt); v[0, 0] = np.nan; v[0, 1] = -np.inf",
                "        else: v = rng.integers(np.iinfo(dt).min, np.iinfo(dt).max, (7, 5), endpoint=True).astype(dt)",
                "        z[...] = v",
                "        os.remove(root + '/' + name + '/1.1')",
                "        a = z[...]",
                "        open(root + '/' + name + '.expected', 'wb').write(a.astype(a.dtype.newbyteorder('<')).tobytes())",
                "        print(name)",
                // a 3-d array with '/' in chunk names and a zero-dimensional one
                "z = zarr.open_array(root + '/nested', mode='w', shape=(4, 5, 6), chunks=(3, 2, 4), dtype='<i4',",
                "                    compressor=numcodecs.Zstd(level=1), fill_value=0, dimension_separator='/')",
                "z[...] = np.arange(120, dtype='<i4').reshape(4, 5, 6)",
                "z = zarr.open_array(root + '/scalar', mode='w', shape=(), dtype='<f8', compressor=None)",
                "z[...] = 2.75",
                // a group with attributes and a member array in a subgroup
                "g = zarr.open_group(root + '/grp', mode='w')",
                "g.attrs.update({'title': 'survey', 'n': 3, 'ratio': 2.5, 'tags': ['a', 'b'], 'nested': {'ok': True, 'none': None}, 'blank': float('nan')})",
                "s = g.create_group('sub')",
                "s.attrs['level'] = 2",
                "arr = s.create_dataset('arr', data=np.arange(10, dtype='<f4'), chunks=(4,), compressor=numcodecs.Zstd(level=2))",
                "arr.attrs['units'] = 'ms'"),
                dir.toString());
        int checked = 0;
        for (String name : out.strip().split("\n")) {
            ZarrArray a = ZarrArray.open(Storage.defaults(), dir.resolve(name).toString());
            Object values = a.readAll();
            byte[] want = Files.readAllBytes(dir.resolve(name + ".expected"));
            assertArrayEquals(want, ZarrTestValues.littleEndian(values), name);
            assertFalse(a.chunkExists(1, 1), name);
            // A region that crosses the missing chunk and the edge, read through the typed path.
            Object region = a.readRegion(new long[] {2, 1}, new int[] {5, 3});
            for (int i = 0; i < 5; i++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(java.lang.reflect.Array.get(values, (2 + i) * 5 + 1 + j),
                            java.lang.reflect.Array.get(region, i * 3 + j), name);
                }
            }
            checked++;
        }
        assertEquals(8 * 3 + 5, checked);

        int[] nested = ZarrArray.open(Storage.defaults(), dir.resolve("nested").toString())
                .readInts(new long[] {1, 1, 1}, new int[] {3, 4, 5});
        int k = 0;
        for (int i = 1; i < 4; i++) {
            for (int j = 1; j < 5; j++) {
                for (int l = 1; l < 6; l++) {
                    assertEquals(i * 30 + j * 6 + l, nested[k++]);
                }
            }
        }
        double[] scalar = (double[]) ZarrArray.open(Storage.defaults(), dir.resolve("scalar").toString()).readAll();
        assertArrayEquals(new double[] {2.75}, scalar);

        ZarrGroup g = ZarrGroup.open(Storage.defaults(), dir.resolve("grp").toString());
        Map<String, Object> attrs = g.attributes();
        assertEquals("survey", attrs.get("title"));
        assertEquals(3, ((Number) attrs.get("n")).intValue());
        assertEquals(2.5, ((Number) attrs.get("ratio")).doubleValue());
        assertEquals(List.of("a", "b"), attrs.get("tags"));
        Map<String, Object> nestedAttrs = new LinkedHashMap<>();
        nestedAttrs.put("ok", true);
        nestedAttrs.put("none", null);
        assertEquals(nestedAttrs, attrs.get("nested"));
        assertTrue(Double.isNaN(((Number) attrs.get("blank")).doubleValue()));
        ZarrGroup sub = g.openGroup("sub");
        assertEquals(Map.of("level", 2), sub.attributes());
        ZarrArray arr = sub.openArray("arr");
        assertEquals(Map.of("units", "ms"), arr.attributes());
        assertArrayEquals(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, arr.readFloats(new long[] {0}, new int[] {10}));
    }

    @Test
    void pythonReadsJavaGroupsAndAttributes() throws Exception {
        ZarrGroup root = ZarrGroup.create(Storage.defaults(), dir.resolve("run.zarr").toString());
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("job", "segy-import");
        attrs.put("count", 12);
        attrs.put("dt", 0.004);
        attrs.put("axes", List.of("trace", "sample"));
        attrs.put("flags", Map.of("done", true));
        Map<String, Object> withNaN = new LinkedHashMap<>(attrs);
        withNaN.put("noData", Double.NaN);
        root.writeAttributes(withNaN);
        ZarrGroup seismic = root.createGroup("seismic");
        ZarrArray traces = seismic.createArray("traces", ZarrArrayMetadata.of(new long[] {10, 4}, new int[] {4, 4},
                DataType.FLOAT32, Compressor.zstd(1), 0.0));
        traces.writeAttributes(Map.of("units", "m/s"));
        float[] v = new float[40];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.5f;
        }
        traces.writeRows(0, v);
        String out = Python.check(String.join("\n",
                "import sys, json, zarr",
                "g = zarr.open_group(sys.argv[1], mode='r')",
                "t = g['seismic/traces']",
                "attrs = g.attrs.asdict()",
                "nan = attrs.pop('noData')",
                "print(json.dumps({'attrs': attrs, 'nan': nan != nan, 'sub': list(g.group_keys()), 'units': t.attrs['units'],",
                "                  'sum': float(t[...].sum()), 'last': float(t[9, 3])}, sort_keys=True))"),
                dir.resolve("run.zarr").toString());
        JsonNode j = new ObjectMapper().readTree(out);
        assertEquals(new ObjectMapper().valueToTree(attrs), j.get("attrs"));
        assertTrue(j.get("nan").asBoolean());
        assertEquals("[\"seismic\"]", j.get("sub").toString());
        assertEquals("m/s", j.get("units").asText());
        assertEquals(0.5 * 39 * 40 / 2, j.get("sum").asDouble());
        assertEquals(19.5, j.get("last").asDouble());
        assertTrue(Files.exists(dir.resolve("run.zarr/.zgroup")));
    }

    /** Noisy floats (full mantissas) and 16-bit-like floats, one chunk each of 64Ki values. */
    private static float[] noisyThenQuantised() {
        java.util.Random r = new java.util.Random(11);
        float[] v = new float[2 << 16];
        for (int i = 0; i < v.length; i++) {
            double x = r.nextGaussian() * 300;
            v[i] = i < (1 << 16) ? (float) x : Math.round(x);
        }
        return v;
    }

    @Test
    void chunksZstdCannotShrinkAreRawFramesThatPythonReads() throws Exception {
        float[] v = noisyThenQuantised();
        int rawChunk = 4 << 16;
        for (Compressor c : List.of(Compressor.zstd(1), Compressor.zstd(1, 0))) {
            String name = c.equals(Compressor.zstd(1)) ? "adaptive" : "always";
            ZarrArray a = ZarrArray.create(Storage.defaults(), dir.resolve(name).toString(),
                    ZarrArrayMetadata.of(new long[] {2, 1 << 16}, new int[] {1, 1 << 16}, DataType.FLOAT32, c, 0.0));
            a.writeRows(0, v);
            assertArrayEquals(v, a.readFloats(new long[] {0, 0}, new int[] {2, 1 << 16}), name);
            long noisy = Files.size(dir.resolve(name).resolve("0.0"));
            long quantised = Files.size(dir.resolve(name).resolve("1.0"));
            assertTrue(quantised < rawChunk * 0.7, name + ": integer-valued floats are compressed, " + quantised + " bytes");
            if (name.equals("adaptive")) {
                // magic, header, content size, and a 3-byte header per 128 KB block
                assertEquals(rawChunk + 4 + 1 + 4 + 3 * 2, noisy, "noisy floats are stored raw");
            } else {
                assertTrue(noisy < rawChunk, "zstd-always compresses the noisy chunk too: " + noisy);
            }
        }
        String out = Python.check(String.join("\n",
                "import sys, zarr, numpy as np",
                "for name in ('adaptive', 'always'):",
                "    z = zarr.open_array(sys.argv[1] + '/' + name, mode='r')",
                "    open(sys.argv[1] + '/' + name + '.bin', 'wb').write(z[...].astype('<f4').tobytes())",
                "    print(name, z.compressor.codec_id)"),
                dir.toString());
        assertEquals("adaptive zstd\nalways zstd", out.strip());
        byte[] expected = new byte[4 * v.length];
        java.nio.ByteBuffer.wrap(expected).order(java.nio.ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("adaptive.bin")));
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("always.bin")));
    }
}
