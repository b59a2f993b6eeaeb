package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OMR job end to end on Spark: OMRChecker's expected CSVs, order, parallel = sequential, resume, bad input. */
class OmrJobTest {
    static SparkSession spark;
    @TempDir
    static Path shared;
    /** The loadable shared samples, linked into one input tree, and the parallel run over it. */
    static Path samplesTree;
    static Path parallelOut;
    static RunSummary parallel;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("OmrJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunSummary run(OmrSettings settings, Path out) throws Exception {
        return new JobRunner(spark, Storage.defaults()).run(new OmrJob(settings), out.toString());
    }

    /**
     * Every shared sample folder whose configuration loads (two community templates lack the
     * required preProcessors key and are configuration errors by design), linked into one tree, so
     * one run covers scans, photos, markers, evaluations and subfolder inheritance together.
     */
    static synchronized Path samplesTree() throws IOException {
        if (samplesTree == null) {
            Path samples = SharedData.require("omr/samples");
            Path tree = Files.createDirectories(shared.resolve("samples"));
            try (Stream<Path> top = Files.list(samples)) {
                for (Path dir : top.filter(Files::isDirectory).sorted().toList()) {
                    if (dir.getFileName().toString().equals("community")) {
                        Path community = Files.createDirectories(tree.resolve("community"));
                        try (Stream<Path> members = Files.list(dir)) {
                            for (Path m : members.filter(Files::isDirectory).sorted().toList()) {
                                if (loads(m)) {
                                    Files.createSymbolicLink(community.resolve(m.getFileName()), m);
                                }
                            }
                        }
                    } else if (loads(dir)) {
                        Files.createSymbolicLink(tree.resolve(dir.getFileName()), dir);
                    }
                }
            }
            samplesTree = tree;
        }
        return samplesTree;
    }

    private static boolean loads(Path dir) {
        try {
            OmrFolders.walk(dir);
            return true;
        } catch (OmrConfigException e) {
            return false;
        }
    }

    static synchronized RunSummary parallelRun() throws Exception {
        if (parallel == null) {
            parallelOut = shared.resolve("parallel");
            parallel = run(OmrSettings.of(samplesTree().toString()), parallelOut);
        }
        return parallel;
    }

    @Test
    void everySharedSampleReproducesOmrCheckersCsvs() throws Exception {
        RunSummary s = parallelRun();
        assertEquals(0, s.unitsFailed(), s.render());
        assertTrue(s.mode().contains("Spark tasks"), s.mode());
        // CropPage's blur runs in the kernel layer: on OpenCL wherever there is a device (CI has PoCL).
        Map<String, Long> devices = s.kernelDevices();
        assertFalse(devices.isEmpty(), s.render());
        if (org.fieldwork.kernels.OpenClDevices.best().isPresent() || SharedData.inCi()) {
            assertTrue(devices.keySet().stream().allMatch(d -> d.startsWith("opencl:")), "kernels ran on " + devices);
        }
        assertTrue(s.render().contains("kernels on "), s.render());
        Path samples = SharedData.require("omr/samples");
        List<OmrExpected.Case> cases = OmrExpected.cases(samples, SharedData.require("omr/expected"));
        for (OmrExpected.Case c : cases) {
            OmrExpected.assertSameAsExpected(c, parallelOut.resolve(c.sampleRelative()));
        }
        assertTrue(Files.exists(parallelOut.resolve(RunManifest.SUCCESS)));
    }

    @Test
    void resultsTableHasOneRowPerSheetInInputOrderWithConfidence() throws Exception {
        RunSummary s = parallelRun();
        List<Row> rows = spark.read().parquet(parallelOut.resolve(OmrJob.RESULTS_TABLE).toString())
                .orderBy("sheet_index").collectAsList();
        assertEquals(s.unitsTotal(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            assertEquals(i, r.<Integer>getAs("sheet_index"));
            Path csv = parallelOut.resolve(r.<String>getAs("folder")).resolve(ResultsCsv.RESULTS);
            String file = r.getAs("file_id");
            List<String> header = OmrExpected.rows(csv).get(0);
            List<String> line = OmrExpected.rows(csv).stream().filter(c -> c.get(0).equals(file)).findFirst().orElseThrow();
            Map<String, String> answers = r.getJavaMap(r.fieldIndex("answers"));
            for (int c = 4; c < header.size(); c++) {
                assertEquals(line.get(c), answers.get(header.get(c)), file + " " + header.get(c));
            }
            Map<String, Double> confidence = r.getJavaMap(r.fieldIndex("confidence"));
            assertFalse(confidence.isEmpty(), file);
            assertEquals(confidence.values().stream().min(Double::compare).orElseThrow(), r.<Double>getAs("min_confidence"));
            assertEquals(line.get(3).equals("0") ? null : Double.valueOf(line.get(3)), r.getAs("score"), file);
        }
        // The sample folders ship outputs.show_image_level 5: stage images are written, in parallel.
        try (Stream<Path> st = Files.walk(parallelOut.resolve("sample5/ScanBatch1/Stages"))) {
            assertTrue(st.anyMatch(p -> p.getFileName().toString().endsWith("-page.png")));
        }
    }

    @Test
    void sequentialAndParallelRunsWriteTheSameCsvs() throws Exception {
        parallelRun();
        Path seqOut = shared.resolve("sequential");
        RunSummary seq = run(new OmrSettings(samplesTree().toString(), null, false, false, 1), seqOut);
        assertTrue(seq.mode().contains("on the driver"), seq.mode());
        Path threeOut = shared.resolve("three");
        RunSummary three = run(new OmrSettings(samplesTree().toString(), null, false, false, 3), threeOut);
        assertTrue(three.mode().contains("3 Spark tasks"), three.mode());
        Map<Path, String> p = csvs(parallelOut);
        assertFalse(p.isEmpty());
        assertEquals(p, csvs(seqOut));
        assertEquals(p, csvs(threeOut));
        // The results tables too, row by row, with spark-testing-base's row comparison (exact: tolerance 0).
        List<Row> a = spark.read().parquet(parallelOut.resolve(OmrJob.RESULTS_TABLE).toString()).orderBy("sheet_index").collectAsList();
        List<Row> b = spark.read().parquet(seqOut.resolve(OmrJob.RESULTS_TABLE).toString()).orderBy("sheet_index").collectAsList();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertTrue(com.holdenkarau.spark.testing.DataFrameSuiteBase$.MODULE$.approxEquals(a.get(i), b.get(i), 0.0),
                    "results.parquet row " + i + ": " + a.get(i) + " vs " + b.get(i));
        }
    }

    /** Every CSV under an output folder, with the folder itself written as OUT so runs compare. */
    private static Map<Path, String> csvs(Path out) throws IOException {
        Map<Path, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : s.filter(f -> f.toString().endsWith(".csv")).toList()) {
                m.put(out.relativize(p), Files.readString(p).replace(out.toString(), "OUT"));
            }
        }
        return m;
    }

    /** A plain five-question sheet at page size: dark filled bubbles where {@code answers} says. */
    static byte[] sheet(SheetTemplate t, String answers, int scale, String format) throws IOException {
        BufferedImage img = new BufferedImage(t.pageWidth * scale, t.pageHeight * scale, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        int q = 0;
        for (FieldBlock b : t.fieldBlocks) {
            for (BubbleField f : b.fields) {
                for (Bubble bu : f.bubbles()) {
                    boolean marked = q < answers.length() && answers.charAt(q) == bu.value().charAt(0);
                    g.setColor(marked ? new Color(40, 40, 40) : new Color(120, 120, 120));
                    if (marked) {
                        g.fillOval((bu.x() + 1) * scale, (bu.y() + 1) * scale, (b.bubbleWidth - 2) * scale, (b.bubbleHeight - 2) * scale);
                    } else {
                        g.drawOval((bu.x() + 2) * scale, (bu.y() + 2) * scale, (b.bubbleWidth - 4) * scale, (b.bubbleHeight - 4) * scale);
                    }
                }
                q++;
            }
        }
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 2, 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, format, out);
        return out.toByteArray();
    }

    /** A folder of synthetic sheets (template from the udfs tests), answers known. */
    static Path syntheticFolder(Path dir, Map<String, String> sheets) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("template.json"), OmrTestFolders.TEMPLATE);
        SheetTemplate t = SheetTemplate.load(dir.resolve("template.json"), TuningConfig.defaults());
        for (Map.Entry<String, String> e : sheets.entrySet()) {
            Files.write(dir.resolve(e.getKey()), sheet(t, e.getValue(), 1, "png"));
        }
        return dir;
    }

    @Test
    void rowsFollowInputOrderWhenAnEarlySheetFinishesLast(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), new TreeMap<>(Map.of("b.png", "BBBBB", "c.png", "CCCCC",
                "d.png", "DDDDD", "e.png", "EEEEE")));
        // The first sheet in name order is a 24x larger scan: it decodes and resizes long after the others finish.
        SheetTemplate t = SheetTemplate.load(in.resolve("template.json"), TuningConfig.defaults());
        Files.write(in.resolve("a.png"), sheet(t, "AAAAA", 24, "png"));
        Path out = tmp.resolve("out");
        RunSummary s = run(new OmrSettings(in.toString(), 0, false, false, 2), out);
        assertEquals(0, s.unitsFailed(), s.render());

        Map<String, UnitRecord<Object>> records = new RunManifest(out.toString(), Storage.defaults()).readAll();
        long firstEnds = 0;
        long othersEnd = Long.MAX_VALUE;
        for (UnitRecord<Object> r : records.values()) {
            long end = r.startedAtMillis() + r.elapsedMillis();
            if (r.unit().startsWith("a.png")) {
                firstEnds = end;
            } else {
                othersEnd = Math.min(othersEnd, end);
            }
        }
        assertTrue(firstEnds > othersEnd, "the large first sheet should finish after some later one");
        List<List<String>> rows = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("a.png", "b.png", "c.png", "d.png", "e.png"), rows.subList(1, rows.size()).stream().map(r -> r.get(0)).toList());
        for (List<String> r : rows.subList(1, rows.size())) {
            String letter = r.get(0).substring(0, 1).toUpperCase();
            assertEquals(List.of(letter, letter, letter, letter, letter), r.subList(4, 9), r.get(0));
        }
    }

    @Test
    void anUndecodableSheetIsAFailedUnitInErrorFilesAndTheRestAreRead(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE", "3.png", "EDCBA"));
        Files.writeString(in.resolve("2.png"), "this is no image");
        Path out = tmp.resolve("out");
        RunSummary s = run(OmrSettings.of(in.toString()), out);
        assertEquals(1, s.unitsFailed(), s.render());
        assertEquals(1, s.exitCode());
        assertTrue(s.failures().get(0).error().contains("2.png: not an image (no PNG, JPEG, WebP, TIFF or BMP content)"), s.failures().get(0).error());

        List<List<String>> results = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("1.png", "3.png"), results.subList(1, results.size()).stream().map(r -> r.get(0)).toList());
        List<List<String>> errors = OmrExpected.rows(out.resolve(ResultsCsv.ERRORS));
        assertEquals(2, errors.size());
        assertEquals("2.png", errors.get(1).get(0));
        assertEquals("NA", errors.get(1).get(3));
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)), "a run with a failed sheet is not complete");

        List<Row> table = spark.read().parquet(out.resolve(OmrJob.RESULTS_TABLE).toString()).orderBy("sheet_index").collectAsList();
        assertEquals(List.of("Results", "ErrorFiles", "Results"), table.stream().map(r -> r.<String>getAs("destination")).toList());
        assertTrue(table.get(1).<String>getAs("error").contains("not an image"));

        // Fixed and re-run: only the failed sheet is read again.
        SheetTemplate t = SheetTemplate.load(in.resolve("template.json"), TuningConfig.defaults());
        Files.write(in.resolve("2.png"), sheet(t, "CCCCC", 1, "png"));
        RunSummary again = run(OmrSettings.of(in.toString()), out);
        assertEquals(2, again.unitsSkipped(), again.render());
        assertEquals(1, again.unitsDone());
        assertEquals(0, again.exitCode());
        results = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("1.png", "2.png", "3.png"), results.subList(1, results.size()).stream().map(r -> r.get(0)).toList());
        assertEquals(1, OmrExpected.rows(out.resolve(ResultsCsv.ERRORS)).size());
        assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
    }

    /** `fieldwork omr IN OUT` in a JVM of its own, on local[2]. */
    private static org.fieldwork.testing.ChildJvm omrCommand(String name, Path in, Path out, Path logs) {
        return org.fieldwork.testing.ChildJvm.fieldworkCommand(name, logs)
                .args("omr", in.toString(), out.toString(), "--master", "local[2]", "--no-progress").start();
    }

    /** Ctrl-C (SIGTERM) of a running OMR command: exit 130, the summary, and no Spark error on the console. */
    @Test
    void terminatingAnOmrRunExits130WithoutErrors(@TempDir Path tmp) throws Exception {
        Path exam = tmp.resolve("exam");
        new SyntheticSheets(400, 3).write(exam);
        Path out = tmp.resolve("out");
        try (org.fieldwork.testing.ChildJvm cli = omrCommand("omr-terminated", exam, out, tmp)) {
            long deadline = System.currentTimeMillis() + 120_000;
            while (records(out) < 20 && cli.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(cli.isAlive(), "finished before it could be stopped: " + cli.describeLogs());
            cli.process().destroy();
            assertEquals(130, cli.waitFor(java.time.Duration.ofSeconds(60)), cli.describeLogs());
            assertTrue(Files.readString(cli.stdout()).contains("CANCELLED"), cli.describeLogs());
            String err = Files.readString(cli.stderr());
            assertFalse(err.contains(" ERROR ") || err.contains("Exception"), "errors on the console:\n" + err);
        }
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));
    }

    /** A broken PNG never reaches the decoder, so its native complaints ("libpng error") never reach the console. */
    @Test
    void brokenImagesLeaveNoDecoderNoiseOnTheConsole(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE"));
        byte[] good = Files.readAllBytes(in.resolve("1.png"));
        Files.write(in.resolve("cut.png"), java.util.Arrays.copyOf(good, good.length - 40));
        byte[] flipped = good.clone();
        flipped[good.length / 2] ^= 0x5a;
        Files.write(in.resolve("flipped.png"), flipped);
        Path out = tmp.resolve("out");
        try (org.fieldwork.testing.ChildJvm cli = omrCommand("omr-broken", in, out, tmp)) {
            assertEquals(1, cli.waitFor(java.time.Duration.ofSeconds(120)), cli.describeLogs());
            String all = Files.readString(cli.stdout()) + Files.readString(cli.stderr());
            assertFalse(all.contains("libpng"), all);
            assertTrue(all.contains("cut.png: truncated PNG"), all);
            assertTrue(all.contains("flipped.png: corrupt PNG: the IDAT chunk at byte"), all);
        }
    }

    /** Units recorded so far (every manifest file is whole: they are written atomically). */
    private static long records(Path out) throws IOException {
        return new RunManifest(out.toString(), Storage.defaults()).readAll().size();
    }

    /** Every failure inside a sheet is a failed unit, retried next run, in words a user understands. */
    @Test
    void oversizedAndTruncatedImagesAreFailedUnitsInWords(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE"));
        Files.write(in.resolve("huge.png"), org.fieldwork.io.ImageProbeTest.hugePng());
        byte[] good = Files.readAllBytes(in.resolve("1.png"));
        Files.write(in.resolve("cut.png"), java.util.Arrays.copyOf(good, good.length / 2));
        Path out = tmp.resolve("out");
        RunSummary s = run(OmrSettings.of(in.toString()), out);
        assertEquals(2, s.unitsFailed(), s.render());
        assertEquals(1, s.exitCode());
        Map<String, String> errors = new java.util.TreeMap<>();
        s.failures().forEach(f -> errors.put(f.unit().replaceAll("-.*", ""), f.error().lines().findFirst().orElse("")));
        assertEquals(in.resolve("cut.png") + ": truncated PNG: the file ends after " + good.length / 2
                + " bytes, inside its IDAT chunk", errors.get("cut.png"));
        assertEquals(in.resolve("huge.png") + ": image 60000x60000 (3.6 gigapixels) exceeds the 1 gigapixel limit of the decoder",
                errors.get("huge.png"));
        List<List<String>> listed = OmrExpected.rows(out.resolve(ResultsCsv.ERRORS));
        assertEquals(List.of("cut.png", "huge.png"), listed.subList(1, listed.size()).stream().map(r -> r.get(0)).sorted().toList());
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));

        RunSummary again = run(OmrSettings.of(in.toString()), out);
        assertEquals(1, again.unitsSkipped(), "the read sheet is kept");
        assertEquals(2, again.unitsFailed(), "the failed ones are tried again");
    }

    @Test
    void aReRunSkipsReadSheetsAndAnEditedTemplateReadsThemAgain(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE", "2.png", "BBBBB"));
        Path out = tmp.resolve("out");
        assertEquals(2, run(OmrSettings.of(in.toString()), out).unitsDone());
        RunSummary again = run(OmrSettings.of(in.toString()), out);
        assertEquals(2, again.unitsSkipped());
        assertEquals(0, again.unitsDone());

        Files.writeString(in.resolve("template.json"), OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"emptyValue\": \"-\","));
        RunSummary edited = run(OmrSettings.of(in.toString()), out);
        assertEquals(2, edited.unitsDone(), "a changed template must not keep the old answers");
        assertEquals(0, edited.unitsSkipped());

        // A rescanned sheet under the same name is read again; the other one is not.
        SheetTemplate t = SheetTemplate.load(in.resolve("template.json"), TuningConfig.defaults());
        Files.write(in.resolve("2.png"), sheet(t, "EEEEE", 2, "png"));
        RunSummary rescanned = run(OmrSettings.of(in.toString()), out);
        assertEquals(1, rescanned.unitsDone(), rescanned.render());
        assertEquals(1, rescanned.unitsSkipped());
        List<List<String>> rows = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("E", "E", "E", "E", "E"), rows.get(2).subList(4, 9));
    }

    /** Read, then scored: a new answer key scores every sheet again from the values read, reading none. */
    @Test
    void aNewAnswerKeyScoresAgainWithoutReadingTheSheets(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE", "2.png", "BBBBB"));
        String evaluation = """
                {"source_type": "custom",
                 "options": {"questions_in_order": ["q1..5"], "answers_in_order": %s,
                             "enable_evaluation_table_to_csv": true},
                 "marking_schemes": {"DEFAULT": {"correct": "1", "incorrect": "0", "unmarked": "0"}}}""";
        Files.writeString(in.resolve("evaluation.json"), evaluation.formatted("[\"A\", \"B\", \"C\", \"D\", \"E\"]"));
        Path out = tmp.resolve("out");
        RunSummary first = run(new OmrSettings(in.toString(), 1, true, false, 0), out);
        assertEquals(Map.of("sheets read", 2L, "sheets scored", 2L), withoutKernels(first.counts()), first.render());
        Path checked = out.resolve(ResultsCsv.CHECKED).resolve("1.png");
        java.nio.file.attribute.FileTime checkedAt = Files.getLastModifiedTime(checked);
        List<List<String>> before = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("5.0", "1.0"), List.of(before.get(1).get(3), before.get(2).get(3)));

        Files.writeString(in.resolve("evaluation.json"), evaluation.formatted("[\"B\", \"B\", \"B\", \"B\", \"B\"]"));
        RunSummary rescored = run(new OmrSettings(in.toString(), 1, true, false, 0), out);
        assertEquals(2, rescored.unitsDone(), rescored.render());
        assertEquals(Map.of("sheets scored", 2L), withoutKernels(rescored.counts()), "no sheet read again: " + rescored.render());
        List<List<String>> after = OmrExpected.rows(out.resolve(ResultsCsv.RESULTS));
        assertEquals(List.of("1.0", "5.0"), List.of(after.get(1).get(3), after.get(2).get(3)));
        assertEquals(before.get(1).subList(4, 9), after.get(1).subList(4, 9), "the answers read stay");
        assertEquals(checkedAt, Files.getLastModifiedTime(checked), "images are the reading's: not written again");
        assertTrue(Files.exists(out.resolve("Stages/1.png/01-L1-input.png")));
        List<List<String>> table = OmrExpected.rows(out.resolve("Evaluation/2_evaluation.csv"));
        assertEquals(List.of("q1", "B", "B", "Correct", "1.0", "1.0"), table.get(1));

        Files.writeString(in.resolve("template.json"), OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"emptyValue\": \"-\","));
        RunSummary reread = run(new OmrSettings(in.toString(), 1, true, false, 0), out);
        assertEquals(Map.of("sheets read", 2L, "sheets scored", 2L), withoutKernels(reread.counts()),
                "a template change reads again, and so scores again");
    }

    private static Map<String, Long> withoutKernels(Map<String, Long> counts) {
        Map<String, Long> out = new TreeMap<>(counts);
        out.keySet().removeIf(k -> k.startsWith("kernels on "));
        return out;
    }

    @Test
    void anEditedSubfolderTemplateReadsOnlyThatFoldersSheetsAgain(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("in");
        syntheticFolder(in.resolve("a"), Map.of("1.png", "ABCDE", "2.png", "BBBBB"));
        Path b = syntheticFolder(in.resolve("b"), Map.of("3.png", "CCCCC"));
        Path out = tmp.resolve("out");
        assertEquals(3, run(OmrSettings.of(in.toString()), out).unitsDone());

        Files.writeString(b.resolve("template.json"), OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"emptyValue\": \"-\","));
        RunSummary edited = run(OmrSettings.of(in.toString()), out);
        assertEquals(1, edited.unitsDone(), "only b's sheet uses the edited template: " + edited.render());
        assertEquals(2, edited.unitsSkipped());
        assertEquals(List.of("A", "B", "C", "D", "E"), OmrExpected.rows(out.resolve("a").resolve(ResultsCsv.RESULTS)).get(1).subList(4, 9));
        assertEquals(List.of("C", "C", "C", "C", "C"), OmrExpected.rows(out.resolve("b").resolve(ResultsCsv.RESULTS)).get(1).subList(4, 9));

        // A configuration file above both folders applies to both.
        Files.writeString(in.resolve("config.json"), "{\"outputs\": {\"show_image_level\": 0}}");
        RunSummary shared = run(OmrSettings.of(in.toString()), out);
        assertEquals(3, shared.unitsDone(), shared.render());
    }

    @Test
    void anOutputFolderInsideTheInputIsNotReadAsSheets(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("exam"), Map.of("1.png", "ABCDE", "2.png", "EDCBA"));
        Path out = in.resolve("results");
        for (int i = 0; i < 2; i++) {
            RunSummary s = run(new OmrSettings(in.toString(), 4, true, false, 0), out);
            assertEquals(2, s.unitsTotal(), "run " + i + ": " + s.render());
        }
        assertTrue(Files.exists(out.resolve(ResultsCsv.CHECKED).resolve("1.png")));
        assertEquals(3, OmrExpected.rows(out.resolve(ResultsCsv.RESULTS)).size());
    }

    @Test
    void unitIdsStayShortAndDistinctForDeepTrees() {
        String deep = "a-rather-long-folder-name/".repeat(12) + "sheet.png";
        OmrSheetUnit one = new OmrSheetUnit(0, 0, deep, "/x/" + deep, "sheet.png", deep, 1, "", "", "");
        OmrSheetUnit other = new OmrSheetUnit(0, 1, "b" + deep, "/x/b" + deep, "sheet.png", "b" + deep, 1, "", "", "");
        assertTrue(one.id().length() <= 110, one.id());
        assertTrue(one.id().contains("sheet.png"), one.id());
        assertFalse(one.id().equals(other.id()), "same tail, different paths: different ids");
        assertEquals(one.id(), new OmrSheetUnit(3, 9, deep, "elsewhere", "sheet.png", deep, 5, "v", "other", "scores").id(), "the id is the path's");
    }

    @Test
    void aBadTemplateStopsTheRunBeforeAnyOutput(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE"));
        Path sub = Files.createDirectories(in.resolve("later"));
        Files.copy(in.resolve("1.png"), sub.resolve("9.png"));
        Files.writeString(sub.resolve("template.json"), OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"bubbleDimension\": [20, 20],"));
        Path out = tmp.resolve("out");
        OmrConfigException e = assertThrows(OmrConfigException.class, () -> run(OmrSettings.of(in.toString()), out));
        assertEquals(sub.resolve("template.json").toString(), e.file());
        assertEquals("bubbleDimension", e.key());
        assertFalse(Files.exists(out), "nothing may be written before the configuration is known to be good");

        Files.writeString(in.resolve("config.json"), "{\"threshold_params\": {\"MIN_JMP\": 3}}");
        OmrConfigException c = assertThrows(OmrConfigException.class, () -> run(OmrSettings.of(in.toString()), out));
        assertEquals(in.resolve("config.json").toString(), c.file());
        assertEquals("threshold_params.MIN_JMP", c.key());
        assertFalse(Files.exists(out));
    }

    @Test
    void imagesOnRequest(@TempDir Path tmp) throws Exception {
        Path in = syntheticFolder(tmp.resolve("in"), Map.of("1.png", "ABCDE", "2.png", "EDCBA"));
        Path none = tmp.resolve("none");
        run(OmrSettings.of(in.toString()), none);
        assertFalse(Files.exists(none.resolve(OmrJob.STAGES)), "no stage images unless a config or option asks");
        assertFalse(Files.exists(none.resolve(ResultsCsv.CHECKED)));

        Path images = tmp.resolve("images");
        run(new OmrSettings(in.toString(), 3, true, false, 0), images);
        try (Stream<Path> s = Files.list(images.resolve(OmrJob.STAGES).resolve("1.png"))) {
            List<String> names = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(List.of("01-L1-input.png", "02-L2-resized-to-processing-size.png", "03-L3-page.png"), names);
        }
        for (String f : List.of("1.png", "2.png")) {
            byte[] checked = Files.readAllBytes(images.resolve(ResultsCsv.CHECKED).resolve(f));
            assertEquals((byte) 0x89, checked[0], "a .png checked image is PNG");
            assertTrue(ImageIO.read(images.resolve(ResultsCsv.CHECKED).resolve(f).toFile()).getWidth() == 300);
        }
        String row = Files.readAllLines(images.resolve(ResultsCsv.RESULTS), StandardCharsets.UTF_8).get(1);
        assertTrue(row.contains(images.resolve(ResultsCsv.CHECKED).resolve("1.png").toString()), row);
    }

    @Test
    void aResumedRunWritesTheSameCsvsFromItsManifest() throws Exception {
        parallelRun();
        // Records read back from JSON must give the CSVs the tasks' own results gave.
        Path resumed = shared.resolve("resumed");
        copyTree(parallelOut.resolve(RunManifest.DIR), resumed.resolve(RunManifest.DIR));
        RunSummary s = run(OmrSettings.of(samplesTree().toString()), resumed);
        assertEquals(s.unitsTotal(), s.unitsSkipped(), s.render());
        Map<Path, String> before = csvs(parallelOut);
        Map<Path, String> after = csvs(resumed);
        // Per-sheet evaluation tables are written by the tasks, which did not run again.
        before.keySet().removeIf(p -> p.toString().contains("Evaluation"));
        assertEquals(before, after);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
    }
}
