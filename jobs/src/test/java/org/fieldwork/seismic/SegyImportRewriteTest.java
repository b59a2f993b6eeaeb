package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Never stale, never corrupt: a changed input is imported again, a rewrite with other settings
 * unpublishes the old dataset before its first segment writes, the merge removes chunks a new chunk
 * size leaves outside the array, and an unreadable file is a failed unit alone as in a folder.
 */
class SegyImportRewriteTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("SegyImportRewriteTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static SegyImportSettings settings(Path in, String compression, Integer chunkTraces) {
        return new SegyImportSettings(in.toString(), "fldr", 3, 64, compression, chunkTraces, 0);
    }

    private static JobRunner runner() {
        return new JobRunner(spark, Storage.defaults()).driverThresholdBytes(0);
    }

    private static float[] traces(Path dataset, int traces, int samples) throws Exception {
        return ZarrArray.open(Storage.defaults(), dataset.resolve("traces.zarr").toString())
                .readFloats(new long[] {0, 0}, new int[] {traces, samples});
    }

    private static float[] decoded(Path sgy, int traces, int samples) throws Exception {
        try (SegyReader r = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(traces, samples);
            r.read(0, traces, block);
            return Arrays.copyOf(block.samples(), traces * samples);
        }
    }

    @Test
    void twentyBytesEditedInPlaceAreImportedAgain(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(1500, 50, 5, 40, SampleFormat.IEEE_FLOAT32, 4).write(sgy);
        Path out = tmp.resolve("out");
        assertEquals(0, runner().run(new SegyImportJob(settings(sgy, "zstd", 64), true), out.toString()).unitsFailed());

        long size = Files.size(sgy);
        try (RandomAccessFile f = new RandomAccessFile(sgy.toFile(), "rw")) {
            f.seek(3600 + 240 + 40); // samples 10-14 of trace 0
            for (int i = 0; i < 5; i++) {
                f.writeFloat(1000 + i);
            }
        }
        assertEquals(size, Files.size(sgy));
        RunSummary again = runner().run(new SegyImportJob(settings(sgy, "zstd", 64), true), out.toString());
        assertEquals(0, again.unitsSkipped(), again.render());
        assertEquals(3, again.unitsDone(), again.render());
        float[] now = traces(out, 1500, 50);
        assertEquals(1000f, now[10]);
        assertArrayEquals(decoded(sgy, 1500, 50), now);

        RunSummary third = runner().run(new SegyImportJob(settings(sgy, "zstd", 64), true), out.toString());
        assertEquals(3, third.unitsSkipped(), "unchanged now: nothing to redo");
    }

    @Test
    void aFileSwappedAToBAndBackToAGivesEachTimeTheFilesTraces(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("in"));
        Path a = tmp.resolve("a.sgy");
        Path b = tmp.resolve("b.sgy");
        new SyntheticSegy(800, 30, 5, 20, SampleFormat.IBM_FLOAT32, 1).write(a);
        new SyntheticSegy(800, 30, 5, 20, SampleFormat.IBM_FLOAT32, 2).write(b);
        assertEquals(Files.size(a), Files.size(b));
        Path line = in.resolve("line.sgy");
        Path out = tmp.resolve("out");
        for (Path source : new Path[] {a, b, a}) {
            // COPY_ATTRIBUTES keeps the source's modification time, as `cp -p` and many sync tools do.
            Files.copy(source, line, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            RunSummary s = runner().run(new SegyImportJob(settings(in, "zstd", 32), true), out.toString());
            assertEquals(0, s.unitsFailed(), s.render());
            assertArrayEquals(decoded(source, 800, 30), traces(out.resolve("line"), 800, 30), "after copying " + source);
        }
    }

    @Test
    void aRewriteWithOtherSettingsUnpublishesBeforeItsFirstSegmentWrites(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(3000, 40, 5, 40, SampleFormat.IBM_FLOAT32, 5).write(sgy);
        Path out = tmp.resolve("out");
        assertEquals(0, runner().run(new SegyImportJob(settings(sgy, "zstd", 100), true), out.toString()).unitsFailed());
        for (String published : new String[] {"_SUCCESS", "traces.zarr/.zarray", "traces.zarr/.zattrs", "segy.json",
            "headers.parquet", "gathers.parquet"}) {
            assertTrue(Files.exists(out.resolve(published)), published);
        }

        // The same output with zlib, stopped after its first segment (as a kill or Ctrl-C would).
        JobRunner stopped = new JobRunner(spark, Storage.defaults()).driverThresholdBytes(1L << 40);
        stopped.withUnitListener(r -> stopped.cancel());
        RunSummary cancelled = stopped.run(new SegyImportJob(settings(sgy, "zlib", 100), true), out.toString());
        assertTrue(cancelled.cancelled());
        assertEquals(1, cancelled.unitsDone(), cancelled.render());
        for (String published : new String[] {"_SUCCESS", "traces.zarr/.zarray", "traces.zarr/.zattrs", "segy.json",
            "headers.parquet", "gathers.parquet"}) {
            assertFalse(Files.exists(out.resolve(published)), published + " still there next to chunks of another import");
        }

        // Finished, then with larger chunks: the old chunks outside the new grid go.
        assertEquals(0, runner().run(new SegyImportJob(settings(sgy, "zlib", 100), true), out.toString()).unitsFailed());
        assertTrue(Files.readString(out.resolve("traces.zarr/.zarray")).contains("zlib"));
        RunSummary bigger = runner().run(new SegyImportJob(settings(sgy, "zlib", 400), true), out.toString());
        assertEquals(3, bigger.unitsDone(), bigger.render());
        try (Stream<Path> files = Files.list(out.resolve("traces.zarr"))) {
            assertEquals(8, files.filter(p -> !p.getFileName().toString().startsWith(".")).count(),
                    "3000 traces in chunks of 400: 8 chunk files, none of the 30 of 100 traces beyond them");
        }
        assertArrayEquals(decoded(sgy, 3000, 40), traces(out, 3000, 40));
    }

    @Test
    void freshRedoesEveryUnitOfAFinishedImport(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("shots.sgy");
        new SyntheticSegy(600, 20, 5, 40, SampleFormat.IBM_FLOAT32, 6).write(sgy);
        Path out = tmp.resolve("out");
        runner().run(new SegyImportJob(settings(sgy, "zstd", 64), true), out.toString());
        RunSummary fresh = runner().fresh(true).run(new SegyImportJob(settings(sgy, "zstd", 64), true), out.toString());
        assertEquals(0, fresh.unitsSkipped());
        assertEquals(3, fresh.unitsDone());
        Map<String, UnitRecord<Object>> records = new RunManifest(out.toString(), Storage.defaults()).readAll();
        assertTrue(records.values().stream().allMatch(r -> r.attempt() == 1), "a fresh start counts attempts anew");
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void aTruncatedFileIsAFailedUnitAloneAsInAFolder(@TempDir Path tmp) throws Exception {
        Path whole = tmp.resolve("whole.sgy");
        new SyntheticSegy(200, 10, 5, 10, SampleFormat.IBM_FLOAT32, 1).write(whole);
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.createDirectories(tmp.resolve("in")).resolve("cut.sgy");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 17));

        for (Path input : new Path[] {cut, cut.getParent()}) {
            Path out = tmp.resolve("out-" + input.getFileName());
            RunSummary s = runner().run(new SegyImportJob(settings(input, "zstd", 64), true), out.toString());
            assertEquals(1, s.unitsFailed(), s.render());
            assertEquals(1, s.exitCode());
            assertTrue(s.failures().get(0).error().contains(cut.toString()), s.failures().get(0).error());
            Map<String, UnitRecord<Object>> records = new RunManifest(out.toString(), Storage.defaults()).readAll();
            assertEquals(1, records.size());
            UnitRecord<Object> r = records.values().iterator().next();
            assertEquals(UnitStatus.failed, r.status());
            assertFalse(Files.exists(out.resolve("_SUCCESS")));

            RunSummary again = runner().run(new SegyImportJob(settings(input, "zstd", 64), true), out.toString());
            assertEquals(1, again.unitsFailed(), "retried, still failing");
            assertEquals(2, new RunManifest(out.toString(), Storage.defaults()).readAll().get(r.unit()).attempt());
        }
    }
}
