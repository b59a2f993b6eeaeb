package org.fieldwork.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Region writes from several writers, hyperslab reads, the Hadoop store, and the errors users see. */
class ZarrArrayTest {
    @TempDir
    Path dir;

    private String path(String name) {
        return dir.resolve(name).toString();
    }

    /** Everything under a folder, names relative, file contents compared byte for byte. */
    private static void assertSameFiles(Path a, Path b) throws Exception {
        List<Path> fa;
        List<Path> fb;
        try (Stream<Path> s = Files.walk(a)) {
            fa = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        try (Stream<Path> s = Files.walk(b)) {
            fb = s.filter(Files::isRegularFile).map(b::relativize).sorted().toList();
        }
        assertEquals(fa, fb);
        for (Path p : fa) {
            assertArrayEquals(Files.readAllBytes(a.resolve(p)), Files.readAllBytes(b.resolve(p)), p.toString());
        }
    }

    private static void assertNoTempFiles(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> tmp = s.filter(p -> p.getFileName().toString().endsWith(".partial")).toList();
            assertEquals(List.of(), tmp);
        }
    }

    @Test
    void rowBlocksFromManyTasksEqualOneSequentialWrite() throws Exception {
        // The SEG-Y layout: [n_traces, n_samples] float32, chunks of whole traces, 1000 % 64 != 0.
        int n = 1000;
        int ns = 37;
        int t = 64;
        float[] all = (float[]) ZarrTestValues.random(DataType.FLOAT32, n * ns, 11);
        ZarrArrayMetadata meta = ZarrArrayMetadata.of(new long[] {n, ns}, new int[] {t, ns}, DataType.FLOAT32,
                Compressor.zstd(3), Double.NaN);
        ZarrArray.create(Storage.defaults(), path("seq"), meta).writeRows(0, all);

        ZarrArray parallel = ZarrArray.create(Storage.defaults(), path("par"), meta);
        int block = 2 * t;
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s < n; s += block) {
            starts.add(s);
        }
        Collections.shuffle(starts, new Random(3));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s : starts) {
                done.add(pool.submit(() -> {
                    // Each "task" reopens the array, as a Spark task does from the path.
                    ZarrArray a = ZarrArray.open(Storage.defaults(), path("par"));
                    int rows = Math.min(block, n - s);
                    float[] mine = new float[rows * ns];
                    System.arraycopy(all, s * ns, mine, 0, mine.length);
                    a.writeRows(s, mine);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(meta, ZarrArray.open(Storage.defaults(), path("par")).metadata());
        assertSameFiles(dir.resolve("seq"), dir.resolve("par"));
        assertNoTempFiles(dir);
        assertArrayEquals(all, (float[]) parallel.readAll());
        float[] middle = (float[]) parallel.readRows(500, 30);
        for (int i = 0; i < middle.length; i++) {
            assertEquals(Float.floatToIntBits(all[500 * ns + i]), Float.floatToIntBits(middle[i]));
        }
    }

    /** Chunks given as their element bytes (the SEG-Y import's path) equal chunks given as floats. */
    @Test
    void chunkBytesEqualChunkValuesAndTheEdgeChunkMayBeShort() throws Exception {
        int n = 300;
        int ns = 2100; // 1.1 MB chunks of 128 rows: large enough for direct I/O, as the import writes them
        int t = 128;
        float[] all = (float[]) ZarrTestValues.random(DataType.FLOAT32, n * ns, 5);
        float[] other = (float[]) ZarrTestValues.random(DataType.FLOAT32, t * ns, 6);
        for (Compressor c : List.of(Compressor.none(), Compressor.zstd(1))) {
            // A fill value that is not zero, so the edge chunk's padding is visible.
            ZarrArrayMetadata meta = ZarrArrayMetadata.of(new long[] {n, ns}, new int[] {t, ns}, DataType.FLOAT32, c, -7.5);
            String name = c.id() == null ? "none" : c.id();
            ZarrArray.create(Storage.defaults(), path("values-" + name), meta).writeRows(0, all);
            ZarrArray bytes = ZarrArray.create(Storage.defaults(), path("bytes-" + name), meta);
            java.nio.ByteBuffer le = java.nio.ByteBuffer.allocate(4 * all.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            le.asFloatBuffer().put(all);
            byte[] raw = le.array();
            for (int chunk = 0; chunk * t < n; chunk++) {
                int rows = Math.min(t, n - chunk * t);
                if (rows < t) {
                    // Leave other values in this thread's chunk buffer: the edge chunk must not show them.
                    ZarrArray.create(Storage.defaults(), path("other-" + name), meta).writeChunk(new long[] {0, 0}, other);
                }
                byte[] mine = Arrays.copyOfRange(raw, chunk * t * ns * 4, (chunk * t + rows) * ns * 4);
                bytes.writeChunkBytes(new long[] {chunk, 0}, mine, mine.length); // the last one holds 44 rows
            }
            assertSameFiles(dir.resolve("values-" + name), dir.resolve("bytes-" + name));
            assertArrayEquals(all, (float[]) bytes.readAll());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bytes.writeChunkBytes(new long[] {0, 0}, raw, 100));
            assertTrue(e.getMessage().contains("expected " + t * ns * 4 + " (full chunk)"), e.getMessage());
            IllegalArgumentException edge = assertThrows(IllegalArgumentException.class,
                    () -> bytes.writeChunkBytes(new long[] {2, 0}, raw, 4 * ns));
            assertTrue(edge.getMessage().contains("or " + 44 * ns * 4 + " (its 44 rows inside the array)"), edge.getMessage());
            assertThrows(IllegalArgumentException.class, () -> bytes.writeChunkBytes(new long[] {0, 0}, new byte[8], t * ns * 4));
        }
        assertNoTempFiles(dir);
    }

    @Test
    void tiledRegionsAndSingleChunksFromThreadsEqualSequential() throws Exception {
        // 2-d tiles of int16, each writer taking a [32, 40] block of [16, 20] chunks; the edges are partial.
        int rows = 100;
        int cols = 90;
        short[] all = (short[]) ZarrTestValues.random(DataType.INT16, rows * cols, 12);
        ZarrArrayMetadata meta = ZarrArrayMetadata.of(new long[] {rows, cols}, new int[] {16, 20}, DataType.INT16,
                Compressor.zlib(4), -1.0);
        ZarrArray.create(Storage.defaults(), path("seq"), meta).writeRegion(new long[] {0, 0}, new int[] {rows, cols}, all);
        ZarrArray tiled = ZarrArray.create(Storage.defaults(), path("tiles"), meta);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int r0 = 0; r0 < rows; r0 += 32) {
                for (int c0 = 0; c0 < cols; c0 += 40) {
                    int fr = r0;
                    int fc = c0;
                    done.add(pool.submit(() -> {
                        int h = Math.min(32, rows - fr);
                        int w = Math.min(40, cols - fc);
                        short[] tile = new short[h * w];
                        for (int i = 0; i < h; i++) {
                            System.arraycopy(all, (fr + i) * cols + fc, tile, i * w, w);
                        }
                        tiled.writeRegion(new long[] {fr, fc}, new int[] {h, w}, tile);
                        return null;
                    }));
                }
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertSameFiles(dir.resolve("seq"), dir.resolve("tiles"));

        // The same array chunk by chunk: full-size buffers inside, edge-clipped buffers on the edges.
        ZarrArray byChunk = ZarrArray.create(Storage.defaults(), path("chunks"), meta);
        for (long ci = 0; ci < meta.chunkCount(0); ci++) {
            for (long cj = 0; cj < meta.chunkCount(1); cj++) {
                int h = (int) Math.min(16, rows - ci * 16);
                int w = (int) Math.min(20, cols - cj * 20);
                short[] chunk = new short[h * w];
                for (int i = 0; i < h; i++) {
                    System.arraycopy(all, (int) ((ci * 16 + i) * cols + cj * 20), chunk, i * w, w);
                }
                byChunk.writeChunk(new long[] {ci, cj}, chunk);
            }
        }
        assertSameFiles(dir.resolve("seq"), dir.resolve("chunks"));
        assertNoTempFiles(dir);
        // Edge chunk padding is the fill value, as zarr-python writes it.
        short[] edge = (short[]) byChunk.readChunk(6, 4);
        assertEquals(16 * 20, edge.length);
        assertEquals(all[96 * cols + 80], edge[0]);
        assertEquals(-1, edge[4 * 20]);     // row 100 is outside the array
        assertEquals(-1, edge[10]);         // column 90 is outside the array
    }

    @Test
    void arbitraryRegionsReadLikeAReferenceArray() throws Exception {
        int[] shape = {9, 7, 11};
        int n = 9 * 7 * 11;
        int[] all = (int[]) ZarrTestValues.random(DataType.INT32, n, 13);
        ZarrArray a = ZarrArray.create(Storage.defaults(), path("cube"), ZarrArrayMetadata.of(
                new long[] {9, 7, 11}, new int[] {4, 3, 5}, DataType.INT32, Compressor.zstd(1), 42.0));
        a.writeRegion(new long[] {0, 0, 0}, shape, all);
        // Drop two chunks: their cells read as the fill value.
        Files.delete(Path.of(a.chunkPath(1, 1, 1)));
        Files.delete(Path.of(a.chunkPath(2, 2, 2)));
        int[] ref = all.clone();
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 7; j++) {
                for (int k = 0; k < 11; k++) {
                    boolean gone = (i / 4 == 1 && j / 3 == 1 && k / 5 == 1) || (i / 4 == 2 && j / 3 == 2 && k / 5 == 2);
                    if (gone) {
                        ref[(i * 7 + j) * 11 + k] = 42;
                    }
                }
            }
        }
        Random r = new Random(7);
        int[] reuse = new int[n];
        for (int trial = 0; trial < 200; trial++) {
            long[] off = new long[3];
            int[] ext = new int[3];
            for (int d = 0; d < 3; d++) {
                off[d] = r.nextInt(shape[d]);
                ext[d] = 1 + r.nextInt((int) (shape[d] - off[d]));
            }
            int[] got = trial % 2 == 0 ? a.readInts(off, ext) : reuse;
            if (trial % 2 == 1) {
                a.readInto(off, ext, reuse);
            }
            int m = 0;
            for (int i = 0; i < ext[0]; i++) {
                for (int j = 0; j < ext[1]; j++) {
                    for (int k = 0; k < ext[2]; k++) {
                        int want = ref[(int) (((off[0] + i) * 7 + off[1] + j) * 11 + off[2] + k)];
                        assertEquals(want, got[m++], "trial " + trial);
                    }
                }
            }
        }
    }

    @Test
    void everyTypedAccessorRoundTrips() throws Exception {
        for (DataType type : DataType.values()) {
            for (Compressor c : ZarrTestValues.compressors()) {
                ZarrArray a = ZarrArray.create(Storage.defaults(), path(type + "_" + ZarrTestValues.name(c)),
                        ZarrArrayMetadata.of(new long[] {5, 3}, new int[] {2, 3}, type, c, null));
                Object v = ZarrTestValues.random(type, 15, type.ordinal());
                a.writeRows(0, v);
                long[] o = {0, 0};
                int[] e = {5, 3};
                Object back = switch (type) {
                    case BOOL -> a.readBooleans(o, e);
                    case INT8, UINT8 -> a.readBytes(o, e);
                    case INT16, UINT16 -> a.readShorts(o, e);
                    case INT32 -> a.readInts(o, e);
                    case FLOAT32 -> a.readFloats(o, e);
                    case FLOAT64 -> a.readDoubles(o, e);
                };
                assertArrayEquals(ZarrTestValues.littleEndian(v), ZarrTestValues.littleEndian(back), a.path());
            }
        }
    }

    @Test
    void hadoopStoreWritesTheSameFilesAndTravelsSerialized() throws Exception {
        float[] v = (float[]) ZarrTestValues.random(DataType.FLOAT32, 20 * 8, 14);
        ZarrArrayMetadata meta = ZarrArrayMetadata.of(new long[] {20, 8}, new int[] {6, 8}, DataType.FLOAT32,
                Compressor.zstd(2), 0.0);
        ZarrArray.create(Storage.defaults(), path("nio"), meta).writeRows(0, v);

        String uri = dir.resolve("hadoop").toUri().toString();
        ZarrArray viaHadoop = ZarrArray.create(new HadoopChunkStore(Storage.defaults(), uri), meta);
        // Ship it like a Spark closure, then write from the copy.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(viaHadoop);
        }
        ZarrArray copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ZarrArray) in.readObject();
        }
        copy.writeRows(0, java.util.Arrays.copyOf(v, 12 * 8));
        float[] tail = java.util.Arrays.copyOfRange(v, 12 * 8, 20 * 8);
        copy.writeRows(12, tail);
        assertArrayEquals(v, (float[]) ZarrArray.open(Storage.defaults(), path("hadoop")).readAll());
        assertArrayEquals(v, (float[]) copy.readAll());
        assertNoTempFiles(dir);
        for (String chunk : List.of("0.0", "1.0", "2.0", "3.0", ".zarray")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("nio").resolve(chunk)),
                    Files.readAllBytes(dir.resolve("hadoop").resolve(chunk)), chunk);
        }
        // The local store goes through java.nio: no Hadoop checksum files.
        try (Stream<Path> s = Files.list(dir.resolve("nio"))) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".crc")));
        }
    }

    @Test
    void rewritingAChunkReplacesIt() throws Exception {
        ZarrArray a = ZarrArray.create(Storage.defaults(), path("re"), ZarrArrayMetadata.of(new long[] {4},
                new int[] {2}, DataType.FLOAT64, Compressor.zlib(1), null));
        a.writeChunk(new long[] {1}, new double[] {1, 2});
        a.writeChunk(new long[] {1}, new double[] {3, 4});
        assertArrayEquals(new double[] {0, 0, 3, 4}, (double[]) a.readAll());
        assertNoTempFiles(dir);
    }

    @Test
    void readersNeverSeeHalfAChunkWhileItIsRewritten() throws Exception {
        int n = 256 * 1024;
        ZarrArray a = ZarrArray.create(Storage.defaults(), path("busy"), ZarrArrayMetadata.of(new long[] {n},
                new int[] {n}, DataType.FLOAT32, Compressor.none(), 0.0));
        float[] ones = new float[n];
        float[] twos = new float[n];
        Arrays.fill(ones, 1f);
        Arrays.fill(twos, 2f);
        a.writeChunk(new long[] {0}, ones);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> writer = pool.submit(() -> {
                for (int i = 0; i < 60; i++) {
                    a.writeChunk(new long[] {0}, i % 2 == 0 ? twos : ones);
                }
                return null;
            });
            int reads = 0;
            while (!writer.isDone() || reads < 10) {
                float[] got = (float[]) a.readChunk(0); // a torn file would fail as corrupt (wrong length)
                float first = got[0];
                assertTrue(first == 1f || first == 2f);
                assertEquals(first, got[n - 1]);
                reads++;
            }
            writer.get();
        } finally {
            pool.shutdown();
        }
        assertNoTempFiles(dir);
    }

    // ---------------------------------------------------------------- errors

    private Path zarray(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p);
        Files.writeString(p.resolve(".zarray"), json);
        return p;
    }

    private static String zarrayJson(String dtype, String order, String compressor) {
        return "{\"chunks\":[2],\"compressor\":" + compressor + ",\"dtype\":\"" + dtype + "\",\"fill_value\":0,"
                + "\"filters\":null,\"order\":\"" + order + "\",\"shape\":[4],\"zarr_format\":2}";
    }

    @Test
    void unsupportedMetadataNamesTheArrayAndTheField() throws Exception {
        Path p = zarray("i8", zarrayJson("<i8", "C", "null"));
        ZarrFormatException e = assertThrows(ZarrFormatException.class, () -> ZarrArray.open(Storage.defaults(), p.toString()));
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("<i8"), e.getMessage());

        Path obj = zarray("obj", zarrayJson("|O", "C", "null"));
        e = assertThrows(ZarrFormatException.class, () -> ZarrArray.open(Storage.defaults(), obj.toString()));
        assertTrue(e.getMessage().contains("|O"), e.getMessage());

        Path f = zarray("forder", zarrayJson("<f4", "F", "null"));
        e = assertThrows(ZarrFormatException.class, () -> ZarrArray.open(Storage.defaults(), f.toString()));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("order 'F'"), e.getMessage());

        Path b = zarray("blosc", zarrayJson("<f4", "C",
                "{\"id\":\"blosc\",\"cname\":\"lz4\",\"clevel\":5,\"shuffle\":1,\"blocksize\":0}"));
        e = assertThrows(ZarrFormatException.class, () -> ZarrArray.open(Storage.defaults(), b.toString()));
        assertTrue(e.getMessage().contains(b.toString()) && e.getMessage().contains("'blosc'"), e.getMessage());

        Path fl = zarray("filters", zarrayJson("<f4", "C", "null").replace("\"filters\":null",
                "\"filters\":[{\"id\":\"delta\",\"dtype\":\"<f4\"}]"));
        e = assertThrows(ZarrFormatException.class, () -> ZarrArray.open(Storage.defaults(), fl.toString()));
        assertTrue(e.getMessage().contains("delta"), e.getMessage());

        // A newer numcodecs zstd config (with checksum) still reads.
        Path ck = zarray("checksum", zarrayJson("<f4", "C", "{\"id\":\"zstd\",\"level\":3,\"checksum\":false}"));
        assertEquals(Compressor.zstd(3), ZarrArray.open(Storage.defaults(), ck.toString()).metadata().compressor());

        assertThrows(FileNotFoundException.class, () -> ZarrArray.open(Storage.defaults(), path("nothing")));
        assertThrows(FileNotFoundException.class, () -> ZarrGroup.open(Storage.defaults(), path("nothing")));
    }

    @Test
    void corruptChunksNameTheChunkFile() throws Exception {
        for (Compressor c : ZarrTestValues.compressors()) {
            ZarrArray a = ZarrArray.create(Storage.defaults(), path("bad_" + ZarrTestValues.name(c)),
                    ZarrArrayMetadata.of(new long[] {100}, new int[] {50}, DataType.FLOAT32, c, 0.0));
            a.writeRows(0, new float[100]);
            Path chunk = Path.of(a.chunkPath(1));
            byte[] good = Files.readAllBytes(chunk);
            // Truncated (a half-written file from some other writer), then garbage.
            Files.write(chunk, java.util.Arrays.copyOf(good, good.length / 2));
            ZarrFormatException e = assertThrows(ZarrFormatException.class, () -> a.readChunk(1));
            assertTrue(e.getMessage().contains(chunk.toString()), e.getMessage());
            Files.write(chunk, "not a chunk at all".getBytes(StandardCharsets.US_ASCII));
            e = assertThrows(ZarrFormatException.class, () -> a.readRegion(new long[] {40}, new int[] {20}));
            assertTrue(e.getMessage().contains(chunk.toString()), e.getMessage());
            assertEquals(50, a.readFloats(new long[] {0}, new int[] {50}).length);
        }
    }

    @Test
    void misuseFailsWithAClearMessage() throws Exception {
        ZarrArray a = ZarrArray.create(Storage.defaults(), path("m"), ZarrArrayMetadata.of(new long[] {10, 4},
                new int[] {4, 4}, DataType.INT32, Compressor.zstd(1), 0.0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.writeRows(0, new float[16]));
        assertTrue(e.getMessage().contains("int[]") && e.getMessage().contains("float[]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.writeRows(2, new int[16]));
        assertTrue(e.getMessage().contains("not aligned"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.writeRows(0, new int[6]));
        assertTrue(e.getMessage().contains("not aligned") || e.getMessage().contains("whole number"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.writeRows(0, new int[15]));
        assertTrue(e.getMessage().contains("whole number of rows"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.readRegion(new long[] {8, 0}, new int[] {4, 4}));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.readFloats(new long[] {0, 0}, new int[] {1, 1}));
        assertTrue(e.getMessage().contains("<i4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> a.writeChunk(new long[] {3, 0}, new int[16]));
        assertTrue(e.getMessage().contains("outside"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZarrArrayMetadata.of(new long[] {4}, new int[] {2},
                DataType.UINT8, Compressor.none(), 300.0));
        assertThrows(IllegalArgumentException.class, () -> ZarrGroup.create(Storage.defaults(), path("g"))
                .createArray("../escape", ZarrArrayMetadata.of(new long[] {1}, new int[] {1}, DataType.INT32, null, null)));
    }
}
