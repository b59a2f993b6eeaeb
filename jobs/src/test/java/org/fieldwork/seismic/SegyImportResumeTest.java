package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.OutputLock;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.ChildJvm;
import org.fieldwork.testing.S3ProxyServer;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A killed import resumes to the same result; input and output on s3a through a real S3 server. */
@ExtendWith(S3ProxyServer.class)
class SegyImportResumeTest {
    static SparkSession spark;
    static S3ProxyServer s3;

    @BeforeAll
    static void start(S3ProxyServer server) {
        s3 = server;
        SparkSession.Builder b = SparkSession.builder().master("local[2]").appName("SegyImportResumeTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4");
        server.sparkSettings().forEach(b::config);
        spark = b.getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SegyImportSettings settings(String in) {
        return new SegyImportSettings(in, "fldr", 12, SegyImportSettings.DEFAULT_MAX_PROBE, "zstd", null, 0);
    }

    @Test
    void aRunKilledMidwayResumesToTheSameDataset(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(24_000, 1000, 40, 90, SampleFormat.IBM_FLOAT32, 11).write(sgy);
        Path killed = tmp.resolve("killed");
        try (ChildJvm cli = ChildJvm.fieldworkCommand("segy-import-killed", tmp)
                .jvmOptions(RECORDS_AT_ONCE)
                .args("segy", "import", sgy.toString(), killed.toString(), "--ensemble-key", "fldr", "--segments", "12",
                        "--small-file-mb", "0", "--master", "local[1]", "--no-progress")
                .start()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (records(killed) < 3 && cli.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(cli.isAlive(), "the import finished before it could be killed: " + cli.describeLogs());
            cli.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            cli.waitFor(Duration.ofSeconds(30));
        }
        long doneBeforeKill = records(killed);
        assertTrue(doneBeforeKill >= 3 && doneBeforeKill < 12, "killed after " + doneBeforeKill + " segments");
        assertFalse(Files.exists(killed.resolve("traces.zarr/.zarray")), "no dataset visible after a kill");
        assertFalse(Files.exists(killed.resolve(RunManifest.SUCCESS)));
        // A kill between a chunk's write and its rename leaves its temporary; make sure one is there
        // (the kill above lands in that window only by chance).
        Files.createDirectories(killed.resolve("traces.zarr"));
        Files.write(killed.resolve("traces.zarr/.6.0.97baaf5046ffc616.partial"), new byte[4096]);

        RunSummary resumed = new JobRunner(spark, Storage.defaults()).driverThresholdBytes(0)
                .run(new SegyImportJob(settings(sgy.toString()), true), killed.toString());
        assertEquals(doneBeforeKill, resumed.unitsSkipped(), resumed.render());
        assertEquals(12 - doneBeforeKill, resumed.unitsDone());

        Path clean = tmp.resolve("clean");
        new JobRunner(spark, Storage.defaults()).driverThresholdBytes(0)
                .run(new SegyImportJob(settings(sgy.toString()), true), clean.toString());
        Map<String, byte[]> a = SegyImportJobTest.chunkFiles(clean.resolve("traces.zarr"));
        Map<String, byte[]> b = SegyImportJobTest.chunkFiles(killed.resolve("traces.zarr"));
        assertEquals(a.keySet(), b.keySet());
        a.forEach((k, v) -> assertArrayEquals(v, b.get(k), k));
        Dataset<Row> ha = spark.read().parquet(clean.resolve("headers.parquet").toString());
        Dataset<Row> hb = spark.read().parquet(killed.resolve("headers.parquet").toString());
        assertEquals(24_000, hb.count());
        assertEquals(0, ha.except(hb).count());
        try (Stream<Path> s = Files.list(killed.resolve("traces.zarr"))) {
            assertEquals(0, s.filter(p -> p.getFileName().toString().startsWith(".") && p.toString().endsWith("partial")).count(),
                    "no half-written chunk left behind");
        }
    }

    @Test
    void terminatingTheCliCancelsCleanlyWithExitCode130(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(24_000, 1000, 40, 90, SampleFormat.IBM_FLOAT32, 12).write(sgy);
        Path out = tmp.resolve("out");
        try (ChildJvm cli = ChildJvm.fieldworkCommand("segy-import-terminated", tmp)
                .jvmOptions(RECORDS_AT_ONCE)
                .args("segy", "import", sgy.toString(), out.toString(), "--segments", "12", "--small-file-mb", "0",
                        "--master", "local[1]", "--no-progress")
                .start()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (records(out) < 1 && cli.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(cli.isAlive(), "finished before it could be stopped: " + cli.describeLogs());
            cli.process().destroy(); // SIGTERM, like Ctrl-C: the shutdown hook cancels the job group
            assertEquals(130, cli.waitFor(Duration.ofSeconds(60)), cli.describeLogs());
            assertTrue(Files.readString(cli.stdout()).contains("CANCELLED"), cli.describeLogs());
        }
        assertTrue(records(out) < 12);
        assertFalse(Files.exists(out.resolve("traces.zarr/.zarray")), "no dataset visible after a cancel");
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));
    }

    /** One writer per output: a second import into a folder being written stops at once and changes nothing. */
    @Test
    void aSecondImportIntoAFolderBeingWrittenStopsAtOnce(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(24_000, 1000, 40, 90, SampleFormat.IBM_FLOAT32, 13).write(sgy);
        Path out = tmp.resolve("out");
        try (ChildJvm first = ChildJvm.fieldworkCommand("segy-import-first", tmp)
                .args("segy", "import", sgy.toString(), out.toString(), "--segments", "12", "--small-file-mb", "0",
                        "--compression", "zlib", "--master", "local[1]", "--no-progress")
                .start()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (records(out) < 1 && first.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), "the first import finished before the second could start: " + first.describeLogs());

            java.io.StringWriter err = new java.io.StringWriter();
            picocli.CommandLine cl = org.fieldwork.cli.Fieldwork.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true));
            long started = System.currentTimeMillis();
            int code = cl.execute("segy", "import", sgy.toString(), out.toString(), "--compression", "none",
                    "--master", "local[1]", "--no-progress");
            assertEquals(2, code, err.toString());
            assertTrue(System.currentTimeMillis() - started < 10_000, "refused at once, not after waiting");
            String line = err.toString().strip();
            assertEquals(1, line.lines().count(), line);
            assertTrue(line.contains(out + ": in use by another run, segy-import (started "), line);
            assertTrue(line.contains("pid " + first.process().pid()), line);

            assertEquals(0, first.waitFor(Duration.ofSeconds(120)), first.describeLogs());
        }
        // The dataset is the first import's, whole: zlib metadata, and every chunk reads as zlib.
        assertTrue(Files.readString(out.resolve("traces.zarr/.zarray")).contains("\"zlib\""));
        float[] all = ZarrArray.open(Storage.defaults(), out.resolve("traces.zarr").toString())
                .readFloats(new long[] {0, 0}, new int[] {24_000, 1000});
        try (SegyReader r = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(24_000, 1000);
            r.read(0, 24_000, block);
            assertArrayEquals(Arrays.copyOf(block.samples(), 24_000 * 1000), all);
        }
        assertFalse(Files.exists(out.resolve("_lock")), "the lock went with the run");
    }

    /** A child whose manifest batches wait 20 ms instead of a second, so that a kill lands between recorded units. */
    private static final String RECORDS_AT_ONCE = "-Dfieldwork.manifest.batchMillis=20";

    /** Units recorded so far (every manifest file is whole: they are written atomically). */
    private static long records(Path out) throws IOException {
        return new RunManifest(out.toString(), Storage.defaults()).readAll().size();
    }

    /** On an object store too: one writer per output folder, and a re-delivered object of the same size is imported again. */
    @Test
    void theLockAndChangedInputsHoldOnS3a(@TempDir Path tmp) throws Exception {
        Storage storage = Storage.of(s3.s3aSettings());
        String out = S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "locked/out");
        try (OutputLock held = OutputLock.acquire(storage, out, "segy-import", false, () -> { })) {
            OutputLock.HeldException e = assertThrows(OutputLock.HeldException.class,
                    () -> new JobRunner(spark, storage).run(new SegyImportJob(settings(out), true), out));
            assertTrue(e.getMessage().startsWith(out + ": in use by another run, segy-import"), e.getMessage());
        }
        assertEquals(List.of(), s3.list(S3ProxyServer.DEFAULT_BUCKET, "locked/").stream().filter(k -> k.endsWith(".json")).toList(),
                "released: no lease object left");

        Path a = tmp.resolve("a.sgy");
        Path b = tmp.resolve("b.sgy");
        new SyntheticSegy(300, 20, 5, 20, SampleFormat.IBM_FLOAT32, 1).write(a);
        new SyntheticSegy(300, 20, 5, 20, SampleFormat.IBM_FLOAT32, 2).write(b);
        String in = s3.upload(a, S3ProxyServer.DEFAULT_BUCKET, "in/line.sgy");
        String dataset = S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "imported/line");
        SegyImportSettings s = new SegyImportSettings(in, "fldr", 2, 64, "zstd", 64, 0);
        assertEquals(2, new JobRunner(spark, storage).driverThresholdBytes(0).run(new SegyImportJob(s, true), dataset).unitsDone());
        assertEquals(2, new JobRunner(spark, storage).driverThresholdBytes(0).run(new SegyImportJob(s, true), dataset).unitsSkipped());
        s3.upload(b, S3ProxyServer.DEFAULT_BUCKET, "in/line.sgy");
        RunSummary again = new JobRunner(spark, storage).driverThresholdBytes(0).run(new SegyImportJob(s, true), dataset);
        assertEquals(2, again.unitsDone(), again.render());
        float[] imported = ZarrArray.open(storage, dataset + "/traces.zarr").readFloats(new long[] {0, 0}, new int[] {300, 20});
        try (SegyReader r = SegyReader.open(Storage.defaults(), b.toString())) {
            TraceBlock block = TraceBlock.allFields(300, 20);
            r.read(0, 300, block);
            assertArrayEquals(Arrays.copyOf(block.samples(), 300 * 20), imported);
        }
        s3.deleteBucket(S3ProxyServer.DEFAULT_BUCKET);
        s3.createBucket(S3ProxyServer.DEFAULT_BUCKET);
    }

    @Test
    void importsFromAndToS3a(@TempDir Path tmp) throws Exception {
        Path local = SharedData.require("segy/shot-gather.sgy");
        String in = s3.upload(local, S3ProxyServer.DEFAULT_BUCKET, "in/shot-gather.sgy");
        String out = S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "out/shots");
        Storage storage = Storage.of(s3.s3aSettings());
        SegyImportSettings s = new SegyImportSettings(in, "fldr", 3, 64, "zstd", 8, 0);
        RunSummary summary = new JobRunner(spark, storage).driverThresholdBytes(0).run(new SegyImportJob(s, true), out);
        assertEquals(0, summary.unitsFailed(), summary.render());
        assertTrue(s3.list(S3ProxyServer.DEFAULT_BUCKET, "out/shots/").contains("out/shots/_SUCCESS"));

        float[] fromS3 = ZarrArray.open(storage, out + "/traces.zarr").readFloats(new long[] {0, 0}, new int[] {61, 25});
        try (SegyReader r = SegyReader.open(Storage.defaults(), local.toString())) {
            TraceBlock block = TraceBlock.allFields(61, r.layout().samplesPerTrace());
            r.read(0, 61, block);
            assertArrayEquals(Arrays.copyOf(block.samples(), 61 * 25), fromS3);
        }
        Dataset<Row> gathers = spark.read().parquet(out + "/gathers.parquet").orderBy("gather_id");
        assertEquals(List.of(10L, 12L, 13L, 26L), gathers.select("trace_count").as(org.apache.spark.sql.Encoders.LONG()).collectAsList());
        assertEquals(61, spark.read().parquet(out + "/headers.parquet").count());
        s3.deleteBucket(S3ProxyServer.DEFAULT_BUCKET);
        s3.createBucket(S3ProxyServer.DEFAULT_BUCKET);
    }
}
