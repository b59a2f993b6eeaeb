package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.io.Storage;
import org.fieldwork.run.InputFiles;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk ECG job on local folders: the table, the pictures, bad files as failed images, re-runs. */
class EcgJobTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("EcgJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunSummary run(EcgSettings settings, Path out) throws Exception {
        return new JobRunner(spark, Storage.defaults()).run(new EcgJob(settings), out.toString());
    }

    static Map<String, Row> rowsByName(Path out) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(out.resolve(EcgJob.RESULTS).toString()).collectAsList()) {
            String path = r.getAs("path");
            rows.put(path.substring(path.lastIndexOf('/') + 1), r);
        }
        return rows;
    }

    @Test
    void everyImageGetsItsRowAndPicturesWhateverItsFormat(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        EcgPages.write(in.resolve("a.png"), EcgPages.page(640, 400, 0));
        EcgPages.write(in.resolve("b.jpg"), EcgPages.page(600, 420, 1));
        EcgPages.write(in.resolve("ward 3/c.webp"), EcgPages.page(560, 360, 2));
        // A PNG named .jpg: decoded by its content.
        Files.write(in.resolve("d.jpg"), EcgPages.encode(EcgPages.page(500, 300, 3), ".png"));
        Files.writeString(in.resolve("notes.txt"), "not an image, not a candidate");
        Path out = tmp.resolve("out");
        RunSummary s = run(new EcgSettings(in.toString(), EcgOptions.DEFAULT.withImages(true)), out);
        assertEquals(4, s.unitsDone(), s.render());
        assertEquals(0, s.unitsFailed(), s.render());
        assertTrue(Files.exists(out.resolve("_SUCCESS")));

        List<Row> table = spark.read().parquet(out.resolve(EcgJob.RESULTS).toString()).collectAsList();
        assertEquals(List.of("a.png", "b.jpg", "d.jpg", "c.webp"), table.stream()
                .map(r -> ((String) r.getAs("path")).replaceAll(".*/", "")).toList(), "input order, folders sorted by path");
        assertEquals(List.of("path", "width", "height", "content_x", "content_y", "content_w", "content_h", "grid_color",
                "grid_fine_px", "grid_bold_px", "grid_lines_h", "grid_lines_v", "px_per_mm", "blur_score", "dpi",
                "contrast", "quality_pass", "quality_failures", "device", "error"),
                List.of(spark.read().parquet(out.resolve(EcgJob.RESULTS).toString()).columns()));
        Row a = rowsByName(out).get("a.png");
        assertEquals(640, (int) a.getAs("width"));
        assertEquals(400, (int) a.getAs("height"));
        assertEquals("red", a.getAs("grid_color"));
        assertEquals(EcgPages.FINE_PX, (double) a.getAs("grid_fine_px"), 0.51);
        assertNotNull(a.getAs("content_w"));
        assertNotNull(a.getAs("blur_score"));
        assertNotNull(a.getAs("device"));
        assertNull(a.getAs("error"));
        List<String> failures = a.getList(a.fieldIndex("quality_failures"));
        assertTrue(failures.stream().anyMatch(f -> f.startsWith("resolution:")), "640 px is too few dpi: " + failures);
        assertFalse((boolean) a.getAs("quality_pass"));

        for (String key : List.of("a", "b", "d", "ward_3~c")) {
            for (String picture : List.of("edges", "crop", "trace", "grid")) {
                Path p = out.resolve("images").resolve(key).resolve(picture + ".png");
                assertTrue(Files.exists(p), p + " written");
            }
        }
        Mat crop = opencv_imgcodecs.imread(out.resolve("images/a/crop.png").toString());
        assertEquals((int) a.getAs("content_w") + 2 * 10 > 640 ? 640 : (int) a.getAs("content_w") + 20, crop.cols(),
                "the crop is the content box padded by 10 px, clamped");
        Mat edges = opencv_imgcodecs.imread(out.resolve("images/a/edges.png").toString(), opencv_imgcodecs.IMREAD_UNCHANGED);
        assertEquals(1, edges.channels());
        assertEquals(640, edges.cols());
    }

    @Test
    void undecodableFilesAreFailedImagesAndTheOthersFinish(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        EcgPages.write(in.resolve("good.png"), EcgPages.page(400, 300, 0));
        Files.write(in.resolve("empty.png"), new byte[0]);
        Files.writeString(in.resolve("letter.png"), "Dear colleague, the ECG follows by post.", StandardCharsets.UTF_8);
        byte[] png = EcgPages.encode(EcgPages.page(400, 300, 1), ".png");
        Files.write(in.resolve("cut.png"), java.util.Arrays.copyOf(png, png.length / 2));
        byte[] flipped = png.clone();
        flipped[png.length / 2] ^= 0x5a;
        Files.write(in.resolve("corrupt.png"), flipped);
        Path out = tmp.resolve("out");
        RunSummary s = run(new EcgSettings(in.toString(), EcgOptions.DEFAULT), out);
        assertEquals(1, s.unitsDone(), s.render());
        assertEquals(4, s.unitsFailed(), s.render());
        assertEquals(1, s.exitCode());

        Map<String, Row> rows = rowsByName(out);
        assertEquals(5, rows.size(), "failed images are rows too");
        assertNull(rows.get("good.png").getAs("error"));
        Map<String, String> expected = Map.of(
                "empty.png", "empty file",
                "letter.png", "not an image",
                "cut.png", "truncated PNG",
                "corrupt.png", "corrupt PNG");
        expected.forEach((name, reason) -> {
            String error = rows.get(name).getAs("error");
            assertNotNull(error, name);
            assertTrue(error.contains(name) && error.contains(reason), name + ": " + error);
            assertFalse(error.contains("\n") || error.contains("/build/") || error.contains("Exception"), error);
            assertNull(rows.get(name).getAs("width"));
        });

        // The next run skips the good image and tries the failed ones again.
        Files.write(in.resolve("cut.png"), png);
        RunSummary again = run(new EcgSettings(in.toString(), EcgOptions.DEFAULT), out);
        assertEquals(1, again.unitsSkipped(), again.render());
        assertEquals(1, again.unitsDone(), again.render());
        assertEquals(3, again.unitsFailed(), again.render());
        assertNull(rowsByName(out).get("cut.png").getAs("error"));
    }

    @Test
    void aRerunSkipsFinishedImagesAndRedoesChangedOnes(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        for (int i = 0; i < 4; i++) {
            EcgPages.write(in.resolve("p" + i + ".png"), EcgPages.page(320, 240, i));
        }
        Path out = in.resolve("results"); // the output inside the input: its pictures are not inputs next time
        EcgSettings settings = new EcgSettings(in.toString(), EcgOptions.DEFAULT.withImages(true));
        assertEquals(4, run(settings, out).unitsDone());
        RunSummary same = run(settings, out);
        assertEquals(4, same.unitsSkipped(), same.render());
        assertEquals(0, same.unitsDone(), same.render());

        EcgPages.write(in.resolve("p2.png"), EcgPages.page(360, 240, 9));
        RunSummary changed = run(settings, out);
        assertEquals(3, changed.unitsSkipped(), changed.render());
        assertEquals(1, changed.unitsDone(), changed.render());
        assertEquals(360, (int) rowsByName(out).get("p2.png").getAs("width"));

        // Other options redo every image; pictures no longer asked for are gone.
        RunSummary fewer = run(new EcgSettings(in.toString(), EcgOptions.DEFAULT.withOps(EnumSet.of(EcgOp.GRID))
                .withImages(true)), out);
        assertEquals(4, fewer.unitsDone(), fewer.render());
        assertFalse(Files.exists(out.resolve("images/p0/edges.png")), "edges were not asked for");
        Row p0 = rowsByName(out).get("p0.png");
        assertNull(p0.getAs("content_w"), "no crop asked for");
        assertNull(p0.getAs("quality_pass"), "no quality asked for");
        assertNotNull(p0.getAs("grid_fine_px"));
        assertNull(p0.getAs("device"), "colour and grid are OpenCV's: no kernel ran");
    }

    @Test
    void manySmallImagesShareTasksOnACluster() {
        List<org.fieldwork.run.InputFiles.Found> found = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            found.add(new org.fieldwork.run.InputFiles.Found("/x/" + i + ".png", i + ".png", 1000, "v"));
        }
        assertEquals(64L << 20, new EcgJob(new EcgSettings("/x", EcgOptions.DEFAULT)).taskBytes());
        found.add(new org.fieldwork.run.InputFiles.Found("/x/0.jpg", "0.jpg", 1000, "v"));
        found.add(new org.fieldwork.run.InputFiles.Found("/y/0.png", "0.png", 1000, "v"));
        found.add(new org.fieldwork.run.InputFiles.Found("/x/a b/c.png", "a b/c.png", 1000, "v"));
        assertEquals(List.of("0.png", "1", "2", "3", "4", "0.jpg", "0.png-2", "a_b~c"), InputFiles.keys(found),
                "stems, with the extension where two differ only in it, numbered where two inputs hold the same path");
    }

    @Test
    void digitizedLeadsGoToTheSignalsTable(@TempDir Path tmp) throws Exception {
        WfdbRecord record = WfdbRecord.read(SharedData.require("ecg/SampleData_PTB_XL_data_00001_lr.hea"));
        RenderedEcg page = EcgRenderer.render(record, EcgLayout.standard(), EcgRenderer.Options.clean(8));
        Path in = tmp.resolve("in");
        EcgPages.write(in.resolve("ptbxl.png"), page.image());
        Path out = tmp.resolve("out");
        RunSummary s = run(new EcgSettings(List.of(in.resolve("ptbxl.png").toString()), EcgOptions.DEFAULT
                .withOps(EnumSet.of(EcgOp.DIGITIZE)), 0), out);
        assertEquals(1, s.unitsDone(), s.render());
        List<Row> signals = spark.read().parquet(out.resolve(EcgJob.SIGNALS).toString()).collectAsList();
        assertEquals(12, signals.size(), "the 12 leads");
        assertEquals(List.of("path", "lead", "sample_rate_hz", "values"),
                List.of(spark.read().parquet(out.resolve(EcgJob.SIGNALS).toString()).columns()));
        for (Row r : signals) {
            assertEquals(500.0, (double) r.getAs("sample_rate_hz"));
            assertTrue(r.getList(r.fieldIndex("values")).size() >= 1000, r.getAs("lead") + " has 2.5 s or more");
        }
        Row row = rowsByName(out).get("ptbxl.png");
        assertEquals(8.0, (double) row.getAs("px_per_mm"), 0.1, "the grid calibrates the digitization");
        assertArrayEquals(new String[] {"I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"},
                signals.stream().map(r -> (String) r.getAs("lead")).sorted(java.util.Comparator.comparingInt(
                        l -> List.of("I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6").indexOf(l)))
                        .toArray(String[]::new));
    }
}
