package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.io.nd2.Nd2Writer;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The microscopy job end to end on Spark: a multi-FOV ND2 to per-FOV outputs, one table, resume, bad files. */
class MicroscopyJobTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static SparkSession spark;
    @TempDir
    static Path shared;
    static Path nd2;
    static Path out;
    static RunSummary first;

    static SyntheticTimeLapse.Parameters small() {
        return SyntheticTimeLapse.Parameters.builder().size(512, 384).frames(5).seed(11).build();
    }

    @BeforeAll
    static void start() throws Exception {
        spark = SparkSession.builder().master("local[2]").appName("MicroscopyJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        nd2 = shared.resolve("lapse.nd2");
        SyntheticNd2.write(nd2, 3, small(), Nd2Writer.Compression.ZLIB);
        out = shared.resolve("out");
        first = run(MicroscopySettings.of(nd2.toString()), out);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunSummary run(MicroscopySettings settings, Path output) throws Exception {
        return new JobRunner(spark, Storage.defaults()).run(new MicroscopyJob(settings), output.toString());
    }

    @Test
    void everyFovGetsItsOutputsPicturesAndTheRunOneTable() throws Exception {
        assertEquals(3, first.unitsDone(), first.render());
        assertEquals(0, first.unitsFailed(), first.render());
        assertEquals(15, first.items(), "frames");
        long csvRows = 0;
        for (int fov = 0; fov < 3; fov++) {
            Path dir = out.resolve(MicroscopyJob.fovFolder(fov));
            for (String f : List.of("traces.csv", "traces.png", "overlay_first.png", "overlay_last.png", "traces.parquet",
                    "binarized.zarr/0/.zarray", "fluorescence_corrected.zarr/GFP/0/.zarray")) {
                assertTrue(Files.exists(dir.resolve(f)), dir.resolve(f) + " exists");
            }
            List<String> lines = Files.readAllLines(dir.resolve("traces.csv"));
            assertEquals("fov,cell_id,frame,good,position_x,position_y,area,intensity_total,intensity_mean", lines.get(0));
            assertTrue(lines.size() > 5, "FOV " + fov + " has traced cells");
            csvRows += lines.size() - 1;
            ZarrArray masks = ZarrArray.open(Storage.defaults(), dir.resolve("binarized.zarr/0").toString());
            assertEquals(List.of(5L, 384L, 512L), java.util.Arrays.stream(masks.shape()).boxed().toList());
            assertEquals(List.of(1, 384, 512), java.util.Arrays.stream(masks.chunks()).boxed().toList());
        }
        Dataset<Row> table = spark.read().parquet(out.resolve("traces.parquet").toString());
        assertEquals(List.of("file", "fov", "cell_id", "channel", "frame", "time_s", "good", "position_x", "position_y",
                "area", "intensity_total", "intensity_mean", "parent_id"), List.of(table.columns()));
        assertEquals(csvRows, table.count(), "one row per cell, frame and channel");
        assertEquals(0, table.filter("parent_id is not null").count(), "no lineages in pyama mode");
        assertEquals(List.of(0, 1, 2), table.select("fov").distinct().orderBy("fov").collectAsList().stream()
                .map(r -> r.getInt(0)).toList());
        Row t1 = table.filter("frame = 1 AND fov = 0").select("time_s").first();
        assertEquals(600.0, t1.getDouble(0), 1e-6, "frame times from the file");
        Row t2 = table.filter("frame = 1 AND fov = 2").select("time_s").first();
        assertEquals(600.002, t2.getDouble(0), 1e-6, "each FOV's own times: positions are taken 1 ms apart");

        JsonNode experiment = JSON.readTree(out.resolve("experiment.json").toFile());
        assertEquals("pyama", experiment.get("method").asText());
        JsonNode file = experiment.get("files").get(0);
        assertEquals("PC", file.get("phase_contrast_channel").asText());
        assertEquals(3, file.get("fovs").size());
        for (JsonNode fov : file.get("fovs")) {
            assertEquals("done", fov.get("status").asText());
            assertTrue(fov.get("cells").asInt() > 0);
        }
        assertTrue(first.merge().contains("traces.png"), first.merge());
    }

    @Test
    void pythonZarrOpensTheArraysAsOmeZarrImages() throws Exception {
        Python.requireModule("zarr");
        Path dir = out.resolve("fov_0001");
        String script = String.join("\n",
                "import sys, json, zarr, numpy as np",
                "g = zarr.open_group(sys.argv[1], mode='r')",
                "ms = g.attrs['multiscales'][0]",
                "assert ms['version'] == '0.4', ms",
                "assert [a['name'] for a in ms['axes']] == ['t', 'y', 'x'], ms['axes']",
                "scale = ms['datasets'][0]['coordinateTransformations'][0]['scale']",
                "a = g[ms['datasets'][0]['path']]",
                "c = zarr.open_group(sys.argv[2], mode='r')['GFP']['0']",
                "print(json.dumps({'shape': list(a.shape), 'dtype': str(a.dtype), 'ones': int(a[:].sum()),",
                "  'max': int(a[:].max()), 'scale': scale, 'cdtype': str(c.dtype), 'finite': bool(np.isfinite(c[:]).all())}))");
        JsonNode r = JSON.readTree(Python.check(script, dir.resolve("binarized.zarr").toString(),
                dir.resolve("fluorescence_corrected.zarr").toString()));
        assertEquals("[5,384,512]", r.get("shape").toString());
        assertEquals("uint8", r.get("dtype").asText());
        assertEquals(1, r.get("max").asInt());
        ZarrArray masks = ZarrArray.open(Storage.defaults(), dir.resolve("binarized.zarr/0").toString());
        long ones = 0;
        for (int t = 0; t < 5; t++) {
            for (byte b : (byte[]) masks.readChunk(t, 0, 0)) {
                ones += b;
            }
        }
        assertEquals(ones, r.get("ones").asLong(), "the same masks in Python");
        assertEquals(600.0, r.get("scale").get(0).asDouble(), 1e-9, "frame interval in seconds");
        assertEquals(SyntheticNd2.PIXEL_SIZE_UM, r.get("scale").get(1).asDouble(), 1e-9, "pixel size in micrometres");
        assertEquals("float32", r.get("cdtype").asText());
        assertTrue(r.get("finite").asBoolean());
    }

    @Test
    void aRerunSkipsFinishedFovsAndTheFieldworkMethodRedoesThemWithLineages(@TempDir Path tmp) throws Exception {
        Path o = tmp.resolve("o");
        MicroscopySettings two = new MicroscopySettings(nd2.toString(), "PC", List.of("GFP"), "0,2",
                FovParameters.defaults("pyama"), false, 0);
        RunSummary a = run(two, o);
        assertEquals(2, a.unitsDone(), a.render());
        assertTrue(Files.exists(o.resolve("fov_0002")));
        assertTrue(!Files.exists(o.resolve("fov_0001")), "--fovs 0,2 leaves FOV 1 alone");
        RunSummary again = run(two, o);
        assertEquals(2, again.unitsSkipped(), again.render());
        assertEquals(0, again.unitsDone());
        MicroscopySettings lineages = new MicroscopySettings(nd2.toString(), "PC", List.of("GFP"), "0,2",
                FovParameters.defaults("fieldwork"), false, 0);
        RunSummary redo = run(lineages, o);
        assertEquals(2, redo.unitsDone(), redo.render());
        Dataset<Row> table = spark.read().parquet(o.resolve("traces.parquet").toString());
        assertEquals(table.count(), table.filter("parent_id is not null").count(), "every row has a parent id (0: none)");
        assertEquals("fieldwork", JSON.readTree(o.resolve("experiment.json").toFile()).get("method").asText());
    }

    @Test
    void extractRawWritesTheFilesChannelsAsRead(@TempDir Path tmp) throws Exception {
        Path o = tmp.resolve("o");
        RunSummary s = run(new MicroscopySettings(nd2.toString(), null, List.of(), "1", FovParameters.defaults("pyama"),
                true, 0), o);
        assertEquals(1, s.unitsDone(), s.render());
        SyntheticTimeLapse fov1 = new SyntheticTimeLapse(small().toBuilder().fov(1).build());
        for (String channel : List.of("PC", "GFP")) {
            ZarrArray raw = ZarrArray.open(Storage.defaults(), o.resolve("fov_0001/raw.zarr/" + channel + "/0").toString());
            assertEquals("UINT16", raw.dataType().name());
            for (int t : new int[] {0, 4}) {
                short[] expected = channel.equals("PC") ? fov1.phaseContrast(t) : fov1.fluorescence(t);
                assertTrue(java.util.Arrays.equals(expected, (short[]) raw.readChunk(t, 0, 0)), channel + " frame " + t);
            }
        }
    }

    @Test
    void aDamagedFileFailsItsFovsAndTheOtherFilesFinish(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("in"));
        Files.copy(nd2, folder.resolve("good.nd2"));
        byte[] bytes = Files.readAllBytes(nd2);
        Files.write(folder.resolve("cut.nd2"), java.util.Arrays.copyOf(bytes, bytes.length / 2));
        Path o = tmp.resolve("o");
        RunSummary s = run(new MicroscopySettings(folder.toString(), null, List.of(), "1", FovParameters.defaults("pyama"),
                false, 0), o);
        assertEquals(1, s.unitsDone(), s.render());
        assertEquals(1, s.unitsFailed(), s.render());
        assertEquals(1, s.exitCode());
        String error = s.failures().get(0).error();
        assertTrue(error.contains("cut.nd2"), error);
        assertTrue(Files.exists(o.resolve("good/fov_0001/traces.csv")), "a folder's files get a folder each");
        JsonNode experiment = JSON.readTree(o.resolve("experiment.json").toFile());
        assertEquals(1, experiment.get("unreadable_files").size());
        assertTrue(experiment.get("unreadable_files").get(0).get("error").asText().contains("cut.nd2"));
        assertTrue(spark.read().parquet(o.resolve("traces.parquet").toString()).count() > 0);
        Files.copy(nd2, folder.resolve("cut.nd2"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        RunSummary repaired = run(new MicroscopySettings(folder.toString(), null, List.of(), "1",
                FovParameters.defaults("pyama"), false, 0), o);
        assertEquals(1, repaired.unitsDone(), "the repaired file runs, the good one is kept: " + repaired.render());
        assertEquals(1, repaired.unitsSkipped());
        assertEquals(0, repaired.exitCode());
    }

    @Test
    void aFovWhoseFrameIsMissingFailsAloneWithTheFileAndFrameInItsError(@TempDir Path tmp) throws Exception {
        // Keep the chunk map, lose the last frame chunk's pixels: FOV 2's last frame is gone.
        Path damaged = tmp.resolve("damaged.nd2");
        Files.copy(nd2, damaged);
        Path o = tmp.resolve("o");
        try (var ch = java.nio.channels.FileChannel.open(damaged, java.nio.file.StandardOpenOption.WRITE)) {
            // Overwrite the magic of the last image chunk: its data can no longer be trusted.
            long at = lastImageChunk(nd2);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), at);
        }
        RunSummary s = run(MicroscopySettings.of(damaged.toString()), o);
        assertEquals(2, s.unitsDone(), s.render());
        assertEquals(1, s.unitsFailed(), s.render());
        assertTrue(s.failures().get(0).unit().endsWith("fov_0002"), s.failures().toString());
        assertTrue(s.failures().get(0).error().contains("damaged.nd2"), s.failures().get(0).error());
    }

    /** The offset of the chunk that holds the last frame, from the file's chunk map. */
    static long lastImageChunk(Path file) throws Exception {
        byte[] b = Files.readAllBytes(file);
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long map = bb.getLong(b.length - 8);
        String text = new String(b, (int) map, b.length - (int) map, java.nio.charset.StandardCharsets.ISO_8859_1);
        String name = "ImageDataSeq|14!";
        int at = text.indexOf(name);
        return bb.getLong((int) map + at + name.length());
    }

    @Test
    void aRunKilledMidwayResumesAndFinishesTheSameTable(@TempDir Path tmp) throws Exception {
        Path killed = tmp.resolve("killed");
        try (org.fieldwork.testing.ChildJvm cli = org.fieldwork.testing.ChildJvm.fieldworkCommand("microscopy-killed", tmp)
                .jvmOptions("-Dfieldwork.manifest.batchMillis=20")
                .args("microscopy", nd2.toString(), killed.toString(), "--workers", "1", "--no-progress")
                .start()) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (records(killed) < 1 && cli.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(cli.isAlive(), "the run finished before it could be killed: " + cli.describeLogs());
            cli.process().destroyForcibly(); // SIGKILL: no shutdown hook, no clean-up
            cli.waitFor(java.time.Duration.ofSeconds(30));
        }
        long before = records(killed);
        assertTrue(before >= 1 && before < 3, "killed after " + before + " FOVs");
        assertTrue(!Files.exists(killed.resolve("traces.parquet")) && !Files.exists(killed.resolve("_SUCCESS")));
        RunSummary resumed = run(MicroscopySettings.of(nd2.toString()), killed);
        assertEquals(before, resumed.unitsSkipped(), resumed.render());
        assertEquals(3 - before, resumed.unitsDone(), resumed.render());
        for (int fov = 0; fov < 3; fov++) {
            String f = MicroscopyJob.fovFolder(fov) + "/traces.csv";
            assertEquals(Files.readString(out.resolve(f)), Files.readString(killed.resolve(f)), f);
        }
        assertEquals(spark.read().parquet(out.resolve("traces.parquet").toString()).count(),
                spark.read().parquet(killed.resolve("traces.parquet").toString()).count());
    }

    static long records(Path output) throws java.io.IOException {
        return new org.fieldwork.run.RunManifest(output.toString(), Storage.defaults()).readAll().size();
    }

    @Test
    void fileAndChannelNamesThatCleanUpAlikeStayApart(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("in"));
        Files.copy(nd2, folder.resolve("a b.nd2"));
        Files.copy(nd2, folder.resolve("a_b.nd2"));
        SyntheticTimeLapse lapse = new SyntheticTimeLapse(small());
        Nd2Writer.builder(512, 384).channels("PC", "GFP 1", "GFP/1").frames(2).build().write(folder.resolve("c.nd2"),
                (p, t, z, c) -> c == 0 ? lapse.phaseContrast(t) : lapse.fluorescence(t));
        Path o = tmp.resolve("out with space");
        RunSummary s = run(new MicroscopySettings(folder.toString(), null, List.of(), "0", FovParameters.defaults("pyama"),
                false, 0), o);
        assertEquals(3, s.unitsDone(), s.render());
        assertTrue(Files.exists(o.resolve("a_b/fov_0000/traces.csv")) && Files.exists(o.resolve("a_b-2/fov_0000/traces.csv")));
        assertTrue(Files.exists(o.resolve("traces.parquet")), "the merge reads and writes under a path with a space");
        Path c = o.resolve("c/fov_0000");
        assertTrue(Files.exists(c.resolve("fluorescence_corrected.zarr/GFP_1/0/.zarray")));
        assertTrue(Files.exists(c.resolve("fluorescence_corrected.zarr/GFP_1-2/0/.zarray")));
        assertTrue(Files.exists(c.resolve("traces_GFP_1-2.csv")));
        assertEquals(2, spark.read().parquet(o.resolve("traces.parquet").toString()).filter("file = 'c.nd2'")
                .select("channel").distinct().count());
    }

    @Test
    void aFileTheOptionsDoNotFitFailsAloneInAFolder(@TempDir Path tmp) throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("in"));
        Files.copy(nd2, folder.resolve("three.nd2"));
        SyntheticNd2.write(folder.resolve("one.nd2"), 1, small(), Nd2Writer.Compression.NONE);
        Path o = tmp.resolve("o");
        RunSummary s = run(new MicroscopySettings(folder.toString(), null, List.of(), "2", FovParameters.defaults("pyama"),
                false, 0), o);
        assertEquals(1, s.unitsDone(), s.render());
        assertEquals(1, s.unitsFailed(), s.render());
        String error = s.failures().get(0).error();
        assertTrue(error.contains("one.nd2") && error.contains("--fovs 2: FOV 2 does not exist"), error);
    }

    @Test
    void configurationErrorsStopBeforeAnyWork(@TempDir Path tmp) {
        Path o = tmp.resolve("o");
        IllegalArgumentException channel = assertThrows(IllegalArgumentException.class, () -> run(new MicroscopySettings(
                nd2.toString(), "Phase", List.of(), null, FovParameters.defaults("pyama"), false, 0), o));
        assertTrue(channel.getMessage().contains("no channel 'Phase'") && channel.getMessage().contains("0 PC, 1 GFP"),
                channel.getMessage());
        IllegalArgumentException fovs = assertThrows(IllegalArgumentException.class, () -> run(new MicroscopySettings(
                nd2.toString(), null, List.of(), "2-7", FovParameters.defaults("pyama"), false, 0), o));
        assertTrue(fovs.getMessage().contains("FOV 7 does not exist"), fovs.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FovParameters.defaults("cellpose"));
        assertTrue(!Files.exists(o.resolve("traces.parquet")));
    }
}
