package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The import job end to end on real files, against segyio (or the numpy decoding where segyio 1.8 cannot read). */
class SegyImportJobTest {
    static SparkSession spark;
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("SegyImportJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunSummary importSegy(String in, Path out, String key, Integer segments, Integer chunkTraces, boolean merge)
            throws Exception {
        SegyImportSettings s = new SegyImportSettings(in, key, segments, 64, "zstd", chunkTraces, 0);
        return new JobRunner(spark, Storage.defaults()).driverThresholdBytes(0).run(new SegyImportJob(s, merge), out.toString());
    }

    @Test
    void everySharedFileImportsEqualToTheReference(@TempDir Path tmp) throws Exception {
        Path data = SharedData.require("segy");
        Python.requireModule("segyio");
        Python.requireModule("zarr");
        Path ref = Files.createDirectories(tmp.resolve("ref"));
        Path script = tmp.resolve("segy_oracle.py");
        try (InputStream in = SegyImportJobTest.class.getResourceAsStream("/org/fieldwork/seismic/segy_oracle.py")) {
            Files.copy(in, script);
        }
        Python.check(Files.readString(script),
                data.toString(), ref.toString());
        JsonNode index = JSON.readTree(ref.resolve("index.json").toFile());

        // Two folder runs (top level and multiformats/), many segments and small chunks, so
        // nearly every chunk boundary is exercised and a few files are unreadable.
        Path outTop = tmp.resolve("top");
        Path outFormats = tmp.resolve("formats");
        RunSummary top = importSegy(data.toString(), outTop, null, 3, 5, true);
        RunSummary formats = importSegy(data.resolve("multiformats").toString(), outFormats, null, 3, 5, true);

        Map<String, String> failedFiles = new TreeMap<>();
        for (RunSummary s : List.of(top, formats)) {
            for (RunSummary.FailedUnit f : s.failures()) {
                failedFiles.put(f.unit().replaceAll("\\.unreadable$", "").replaceAll("\\.seg-.*", ""), f.error());
            }
        }
        int compared = 0;
        int vsSegyio = 0;
        List<String> pairs = new ArrayList<>();
        for (JsonNode rec : index) {
            String file = rec.get("file").asText();
            String stem = Path.of(file).getFileName().toString().replaceAll("\\.sgy$", "");
            String oracle = rec.get("oracle").asText();
            Path dataset = (file.startsWith("multiformats/") ? outFormats : outTop).resolve(stem);
            if ("none".equals(oracle)) {
                String err = failedFiles.get(stem);
                assertTrue(err != null, file + " is invalid for the references but imported");
                assertTrue(err.contains(file.replaceAll(".*/", "")), "error must name the file: " + err);
                continue;
            }
            assertFalse(failedFiles.containsKey(stem), file + " failed: " + failedFiles.get(stem));
            JsonNode meta = JSON.readTree(ref.resolve(rec.get("id").asInt() + ".json").toFile());
            long n = meta.get("tracecount").asLong();
            if (n == 0) {
                continue;
            }
            pairs.add(dataset + "|" + ref.resolve(rec.get("id").asInt() + ".f32"));
            compareHeaders(file, dataset, meta.get("headers"), n);
            compared++;
            if ("segyio".equals(oracle)) {
                vsSegyio++;
            }
        }
        // Python zarr reads each dataset and compares every sample bit for bit with the reference dump.
        String check = String.join("\n",
                "import sys, zarr, numpy as np",
                "bad = []",
                "for pair in sys.argv[1:]:",
                "    ds, ref = pair.split('|')",
                "    z = zarr.open(ds + '/traces.zarr', mode='r')",
                "    want = np.fromfile(ref, dtype='<f4').reshape(z.shape)",
                "    if z.dtype != np.float32 or not np.array_equal(z[:].view('<u4'), want.view('<u4')):",
                "        bad.append(ds)",
                "print('ok' if not bad else 'differ: ' + ' '.join(bad))");
        assertEquals("ok", Python.check(check, pairs.toArray(new String[0])).trim());
        assertTrue(vsSegyio >= 40, "only " + vsSegyio + " files compared against segyio");
        assertTrue(compared >= 70, "only " + compared + " files compared");
        assertTrue(failedFiles.keySet().containsAll(List.of("broken")), failedFiles.toString());
        assertFalse(Files.exists(outTop.resolve(RunManifest.SUCCESS)), "a run with failed units has no _SUCCESS");
        assertTrue(top.merge().contains("not merged"), top.merge());
    }

    /** Every trace header field of the dataset equals the reference, in trace order. */
    private static void compareHeaders(String file, Path dataset, JsonNode refHeaders, long n) {
        Dataset<Row> h = spark.read().parquet(dataset.resolve("headers.parquet").toString()).orderBy("trace_index");
        List<String> fields = new ArrayList<>();
        refHeaders.fieldNames().forEachRemaining(fields::add);
        List<Row> rows = h.select("trace_index", fields.toArray(new String[0])).collectAsList();
        assertEquals(n, rows.size(), file);
        for (int t = 0; t < n; t++) {
            Row r = rows.get(t);
            assertEquals(t, r.getLong(0), file);
            for (int f = 0; f < fields.size(); f++) {
                long want = refHeaders.get(fields.get(f)).get(t).asLong();
                assertEquals(want, ((Number) r.get(f + 1)).longValue(), file + " trace " + t + " " + fields.get(f));
            }
        }
    }

    @Test
    void oneThreeAndSevenSegmentsGiveTheSameDataset(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(3001, 37, 5, 40, SampleFormat.IBM_FLOAT32, 7).write(sgy);
        Map<Integer, Path> outs = new TreeMap<>();
        for (int n : new int[] {1, 3, 7}) {
            Path out = tmp.resolve("out" + n);
            RunSummary s = importSegy(sgy.toString(), out, "fldr", n, 64, true);
            assertEquals(0, s.unitsFailed(), s.render());
            assertEquals(n, s.unitsTotal());
            assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
            outs.put(n, out);
        }
        Map<String, byte[]> one = chunkFiles(outs.get(1).resolve("traces.zarr"));
        assertEquals((3001 + 63) / 64 + 2, one.size(), "every chunk plus .zarray and .zattrs");
        for (int n : new int[] {3, 7}) {
            Map<String, byte[]> other = chunkFiles(outs.get(n).resolve("traces.zarr"));
            assertEquals(one.keySet(), other.keySet());
            for (String k : one.keySet()) {
                assertArrayEquals(one.get(k), other.get(k), n + " segments: " + k + " differs");
            }
            for (String table : List.of("headers.parquet", "gathers.parquet")) {
                Dataset<Row> a = spark.read().parquet(outs.get(1).resolve(table).toString()).drop("segment_id");
                Dataset<Row> b = spark.read().parquet(outs.get(n).resolve(table).toString()).drop("segment_id");
                assertEquals(a.count(), b.count());
                assertEquals(0, a.except(b).count(), table + " with " + n + " segments");
                assertEquals(0, b.except(a).count(), table + " with " + n + " segments");
            }
            assertFalse(Files.exists(outs.get(n).resolve(SegyDataset.SEGMENTS)), "segment scratch removed");
        }
        // Gathers: a gather never spans two segments, and the table matches the key's runs.
        Dataset<Row> perGather = spark.read().parquet(outs.get(7).resolve("headers.parquet").toString())
                .groupBy("gather_id").agg(org.apache.spark.sql.functions.countDistinct("segment_id").alias("segs"),
                        org.apache.spark.sql.functions.countDistinct("FieldRecord").alias("keys"));
        assertEquals(0, perGather.where("segs > 1 OR keys > 1").count());
        // And the samples are what the reader decodes.
        try (SegyReader r = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(3001, 37);
            r.read(0, 3001, block);
            float[] zarr = ZarrArray.open(Storage.defaults(), outs.get(7).resolve("traces.zarr").toString()).readFloats(
                    new long[] {0, 0}, new int[] {3001, 37});
            assertArrayEquals(java.util.Arrays.copyOf(block.samples(), 3001 * 37), zarr);
        }
    }

    @Test
    void aGathersIdIsItsFirstTraceAndAReImportWithOtherSegmentsReplacesTheTables(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(2000, 16, 5, 40, SampleFormat.IBM_FLOAT32, 9).write(sgy);
        Path out = tmp.resolve("out");
        assertEquals(0, importSegy(sgy.toString(), out, "fldr", 7, 32, true).unitsFailed());
        // Same folder, other segmentation: new settings redo every segment; no part of the first import may stay.
        RunSummary again = importSegy(sgy.toString(), out, "fldr", 3, 32, true);
        assertEquals(3, again.unitsDone(), again.render());
        Dataset<Row> headers = spark.read().parquet(out.resolve("headers.parquet").toString());
        Dataset<Row> gathers = spark.read().parquet(out.resolve("gathers.parquet").toString());
        assertEquals(2000, headers.count());
        assertEquals(2000L, gathers.agg(org.apache.spark.sql.functions.sum("trace_count")).first().getLong(0));
        assertEquals(0, gathers.where("gather_id <> first_trace").count());
        // Every trace lies inside its gather, and the gather's key is the trace's.
        assertEquals(0, headers.join(gathers.withColumnRenamed("FieldRecord", "gather_key"), "gather_id")
                .where("trace_index < first_trace OR trace_index >= first_trace + trace_count OR FieldRecord <> gather_key")
                .count());
        try (Stream<Path> parts = Files.list(out.resolve("headers.parquet"))) {
            assertEquals(3, parts.filter(p -> p.getFileName().toString().endsWith(".parquet")).count());
        }
        JsonNode desc = JSON.readTree(out.resolve("segy.json").toFile());
        assertEquals(gathers.count(), desc.get("gatherCount").asLong());

        // Without a key this time: no gather table from the keyed import may survive.
        assertEquals(0, importSegy(sgy.toString(), out, null, 2, 32, true).unitsFailed());
        try (Stream<Path> parts = Files.list(out.resolve("gathers.parquet"))) {
            assertEquals(0, parts.count(), "stale gathers.parquet after a re-import without key");
        } catch (java.nio.file.NoSuchFileException gone) {
            // also fine
        }
        assertEquals(2000, spark.read().parquet(out.resolve("headers.parquet").toString()).count());
    }

    @Test
    void noMergeLeavesNoDatasetAndMergeFinishesIt(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(500, 20, 5, 30, SampleFormat.IEEE_FLOAT32, 3).write(sgy);
        Path out = tmp.resolve("out");
        RunSummary first = importSegy(sgy.toString(), out, "fldr", 4, 32, false);
        assertEquals(4, first.unitsDone());
        assertFalse(Files.exists(out.resolve("traces.zarr/.zarray")), "the array is published only by the merge");
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));
        assertTrue(Files.isDirectory(out.resolve(SegyDataset.SEGMENTS)));

        SegyImportSettings stored = SegyImportJob.storedSettings(Storage.defaults(), out.toString());
        RunSummary merged = new JobRunner(spark, Storage.defaults()).run(new SegyImportJob(stored, true), out.toString());
        assertEquals(4, merged.unitsSkipped());
        assertTrue(merged.merge().contains("500 traces"), merged.merge());
        assertTrue(Files.exists(out.resolve("traces.zarr/.zarray")));
        assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
        assertEquals(500, spark.read().parquet(out.resolve("headers.parquet").toString()).count());
    }

    @Test
    void folderWithABrokenFileImportsTheOthers(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        new SyntheticSegy(200, 10, 5, 10, SampleFormat.IBM_FLOAT32, 1).write(in.resolve("a.sgy"));
        new SyntheticSegy(300, 10, 5, 10, SampleFormat.INT16, 2).write(in.resolve("b.segy"));
        byte[] whole = Files.readAllBytes(in.resolve("a.sgy"));
        Files.write(in.resolve("cut.sgy"), java.util.Arrays.copyOf(whole, whole.length - 17));
        Path out = tmp.resolve("out");
        RunSummary s = importSegy(in.toString(), out, null, 2, 16, true);
        assertEquals(1, s.unitsFailed(), s.render());
        assertTrue(s.failures().get(0).error().contains("cut.sgy"), s.failures().get(0).error());
        assertEquals(1, s.exitCode());
        assertTrue(Files.exists(out.resolve("a/traces.zarr/.zarray")));
        assertTrue(Files.exists(out.resolve("b/traces.zarr/.zarray")));
        assertEquals(300, spark.read().parquet(out.resolve("b/headers.parquet").toString()).count());
        assertFalse(Files.exists(out.resolve("cut/traces.zarr/.zarray")));
    }

    static Map<String, byte[]> chunkFiles(Path dir) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.collect(Collectors.toList())) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    static TreeSet<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
