package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-sheet function and the folder writer on synthetic sheets with known marks, plus decoding traps. */
class OmrPipelineTest {
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path dir;

    private FolderConfig folder(String configJson, String evaluationJson) {
        OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE);
        if (configJson != null) {
            OmrTestFolders.write(dir, "config.json", configJson);
        }
        if (evaluationJson != null) {
            OmrTestFolders.write(dir, "evaluation.json", evaluationJson);
        }
        return FolderConfig.load(dir, dir);
    }

    private static Map<String, Set<String>> marks(String... answers) {
        Map<String, Set<String>> m = new java.util.HashMap<>();
        for (int i = 0; i < answers.length; i++) {
            Set<String> vals = new java.util.HashSet<>();
            for (char c : answers[i].toCharArray()) {
                vals.add(String.valueOf(c));
            }
            m.put("q" + (i + 1), vals);
        }
        return m;
    }

    @Test
    void syntheticSheetReadsItsMarksAndScores() {
        FolderConfig f = folder(null, "{\"source_type\": \"custom\", \"options\": {\"questions_in_order\": [\"q1..5\"],"
                + " \"answers_in_order\": [\"C\", \"E\", [\"A\", \"C\"], [[\"B\", 2], [\"C\", \"3/2\"]], \"C\"]},"
                + " \"marking_schemes\": {\"DEFAULT\": {\"correct\": \"3\", \"incorrect\": \"-1\", \"unmarked\": \"0\"}}}");
        byte[] png = OmrTestFolders.sheet(f.template, marks("B", "E", "A", "C", ""), "png");
        SheetResult r = SheetProcessor.process(f, png, "s1.png");
        assertNull(r.error);
        assertEquals(List.of("B", "E", "A", "C", ""), r.values());
        // -1 (wrong) + 3 + 3 (any of A, C) + 1.5 (weighted C) + 0 (unmarked)
        assertEquals("6.5", r.scoreText());
        assertFalse(r.multiMarked);
        assertEquals(5, r.explanation.size());
        assertEquals("Correct-C", r.explanation.get(3).verdict());
        for (FieldReading fr : r.fields) {
            assertTrue(fr.confidence() > 20, fr.toString());
        }
    }

    @Test
    void jpegAndPngOfTheSameSheetAgreeAndNoEvaluationScoresZero() {
        FolderConfig f = folder(null, null);
        Map<String, Set<String>> m = marks("A", "B", "C", "D", "E");
        SheetResult png = SheetProcessor.process(f, OmrTestFolders.sheet(f.template, m, "png"), "a.png");
        SheetResult jpg = SheetProcessor.process(f, OmrTestFolders.sheet(f.template, m, "jpg"), "a.jpg");
        assertEquals(List.of("A", "B", "C", "D", "E"), png.values());
        assertEquals(png.values(), jpg.values());
        assertEquals("0", png.scoreText());
    }

    @Test
    void autoAlignFindsNoShiftWithoutColumnLinesAndReadsTheSame() {
        FolderConfig f = folder("{\"alignment_params\": {\"auto_align\": true}}", null);
        assertTrue(f.tuning.autoAlign);
        byte[] sheet = OmrTestFolders.sheet(f.template, marks("C", "", "A", "E", "B"), "png");
        SheetResult r = SheetProcessor.process(f, sheet, "s.png", "s.png", 3);
        assertNull(r.error);
        assertEquals(List.of("C", "", "A", "E", "B"), r.values());
        assertTrue(r.stages.stream().anyMatch(st -> st.name().startsWith("auto-align")));
    }

    @Test
    void multiMarkedSheetsGoToManualOnlyWhenFiltering() throws Exception {
        FolderConfig keep = folder(null, null);
        byte[] sheet = OmrTestFolders.sheet(keep.template, marks("AD", "B", "", "C", "E"), "png");
        SheetResult r = SheetProcessor.process(keep, sheet, "mm.png");
        assertTrue(r.multiMarked);
        assertEquals("AD", r.values().get(0));
        Path out1 = dir.resolve("out1");
        ResultsCsv.write(out1, keep, List.of(r));
        assertEquals(2, Files.readAllLines(out1.resolve(ResultsCsv.RESULTS)).size());
        assertEquals(1, Files.readAllLines(out1.resolve(ResultsCsv.MULTI_MARKED)).size());

        FolderConfig filter = folder("{\"outputs\": {\"filter_out_multimarked_files\": true}}", null);
        SheetResult r2 = SheetProcessor.process(filter, sheet, "mm.png");
        Path out2 = dir.resolve("out2");
        ResultsCsv.write(out2, filter, List.of(r2));
        assertEquals(1, Files.readAllLines(out2.resolve(ResultsCsv.RESULTS)).size());
        List<String> mm = Files.readAllLines(out2.resolve(ResultsCsv.MULTI_MARKED));
        assertEquals(2, mm.size());
        List<String> cells = OmrExpected.rows(out2.resolve(ResultsCsv.MULTI_MARKED)).get(1);
        assertEquals("mm.png", cells.get(0));
        assertEquals("NA", cells.get(3));
        assertEquals(List.of("AD", "B", "", "C", "E"), cells.subList(4, 9));
    }

    @Test
    void undecodableAndPagelessSheetsGoToErrorFilesInInputOrder() throws Exception {
        FolderConfig f = folder(null, null);
        byte[] good = OmrTestFolders.sheet(f.template, marks("A", "B", "C", "D", "E"), "png");
        SheetResult bad = SheetProcessor.process(f, "not an image".getBytes(StandardCharsets.UTF_8), "bad.png");
        assertTrue(bad.isError());
        SheetResult ok = SheetProcessor.process(f, good, "good.png");

        OmrTestFolders.write(dir, "crop/template.json", OmrTestFolders.TEMPLATE.replace("\"preProcessors\": []",
                "\"preProcessors\": [{\"name\": \"CropPage\", \"options\": {\"morphKernel\": [10, 10]}}]"));
        FolderConfig crop = FolderConfig.load(dir, dir.resolve("crop"));
        // A plain sheet with no paper edge in view: CropPage must give up, not guess.
        SheetResult noPage = SheetProcessor.process(crop, good, "nopage.png");
        assertTrue(noPage.isError());
        assertTrue(noPage.error.contains("CropPage"), noPage.error);

        Path out = dir.resolve("out");
        ResultsCsv.write(out, f, List.of(bad, ok, noPage));
        List<String> errors = Files.readAllLines(out.resolve(ResultsCsv.ERRORS));
        assertEquals("\"file_id\",\"input_path\",\"output_path\",\"score\",\"q1\",\"q2\",\"q3\",\"q4\",\"q5\"", errors.get(0));
        assertEquals(3, errors.size());
        List<List<String>> errorRows = OmrExpected.rows(out.resolve(ResultsCsv.ERRORS));
        assertEquals("bad.png", errorRows.get(1).get(0));
        assertEquals("nopage.png", errorRows.get(2).get(0));
        assertEquals(List.of("NA", "", "", "", "", ""), errorRows.get(2).subList(3, 9));
        List<String> results = Files.readAllLines(out.resolve(ResultsCsv.RESULTS));
        assertEquals(2, results.size());
        assertTrue(results.get(1).startsWith("\"good.png\",\"good.png\","), results.get(1));
        assertTrue(results.get(1).endsWith(",\"0\",\"A\",\"B\",\"C\",\"D\",\"E\""), results.get(1));
    }

    @Test
    void stageImagesArePngsUpToTheLevelAsked() {
        FolderConfig f = folder(null, null);
        byte[] sheet = OmrTestFolders.sheet(f.template, marks("A", "B", "C", "D", "E"), "png");
        assertEquals(List.of(), SheetProcessor.process(f, sheet, "s.png").stages);
        SheetResult two = SheetProcessor.process(f, sheet, "s.png", "s.png", 2);
        assertEquals(List.of(1, 2), two.stages.stream().map(StageImage::level).toList());
        SheetResult all = SheetProcessor.process(f, sheet, "s.png", "s.png", 4);
        assertEquals(List.of(1, 2, 3, 4), all.stages.stream().map(StageImage::level).toList());
        for (StageImage s : all.stages) {
            assertArrayEquals(PNG_MAGIC, Arrays.copyOf(s.png(), 4), s.name());
        }
        try (PointerScope scope = new PointerScope()) {
            Mat page = GrayMats.decode(all.stages.get(2).png());
            assertEquals(300, page.cols());
            assertEquals(400, page.rows());
        }
    }

    @Test
    void configSerializesAndParallelProcessingEqualsSequential() throws Exception {
        FolderConfig f = folder(null, "{\"source_type\": \"custom\", \"options\": {\"questions_in_order\": [\"q1..5\"],"
                + " \"answers_in_order\": [\"A\", \"B\", \"C\", \"D\", \"E\"]},"
                + " \"marking_schemes\": {\"DEFAULT\": {\"correct\": 1, \"incorrect\": \"-1/3\", \"unmarked\": 0}}}");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(f);
        }
        FolderConfig copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (FolderConfig) in.readObject();
        }
        String[] letters = {"A", "B", "C", "D", "E", ""};
        List<byte[]> sheets = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            sheets.add(OmrTestFolders.sheet(f.template, marks(letters[i % 6], letters[(i + 1) % 6], letters[(i + 2) % 6],
                    letters[(i + 3) % 6], letters[(i + 4) % 6]), "png"));
        }
        List<SheetResult> sequential = new ArrayList<>();
        for (int i = 0; i < sheets.size(); i++) {
            sequential.add(SheetProcessor.process(f, sheets.get(i), i + ".png"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SheetResult>> futures = new ArrayList<>();
            for (int i = sheets.size() - 1; i >= 0; i--) {
                int k = i;
                final FolderConfig shared = copy;
                futures.add(0, pool.submit(() -> SheetProcessor.process(shared, sheets.get(k), k + ".png")));
            }
            for (int i = 0; i < sheets.size(); i++) {
                SheetResult p = futures.get(i).get();
                assertEquals(sequential.get(i).values(), p.values(), "sheet " + i);
                assertEquals(sequential.get(i).scoreText(), p.scoreText(), "sheet " + i);
            }
        } finally {
            pool.shutdownNow();
        }
        // Results travel back from tasks: they serialize too.
        ByteArrayOutputStream resultBytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(resultBytes)) {
            o.writeObject(new ArrayList<>(sequential));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(resultBytes.toByteArray()))) {
            @SuppressWarnings("unchecked")
            List<SheetResult> back = (List<SheetResult>) in.readObject();
            assertEquals(sequential.get(3).values(), back.get(3).values());
            assertEquals(sequential.get(3).fields.get(2).threshold(), back.get(3).fields.get(2).threshold());
        }
        // Sheet 0 is all right; sheet 1 has four wrong answers (1/3 off each, summed as floats) and a blank.
        assertEquals("5.0", sequential.get(0).scoreText());
        assertEquals("-1.3333333333333333", sequential.get(1).scoreText());
    }

    @Test
    void decodingGoesByContentNotExtension() throws Exception {
        Path samples = SharedData.require("omr/samples");
        Path jpegNamedPng = samples.resolve("sample2/AdrianSample/adrian_omr_2.png");
        Path webpNamedJpg = samples.resolve("community/Antibodyy/simple_omr_sheet.jpg");
        Path realPng = samples.resolve("sample2/AdrianSample/adrian_omr.png");
        byte[] jpeg = Files.readAllBytes(jpegNamedPng);
        byte[] webp = Files.readAllBytes(webpNamedJpg);
        assertEquals((byte) 0xFF, jpeg[0]);
        assertEquals((byte) 0xD8, jpeg[1]);
        assertEquals("RIFF", new String(webp, 0, 4, StandardCharsets.US_ASCII));
        assertEquals("WEBP", new String(webp, 8, 4, StandardCharsets.US_ASCII));
        try (PointerScope scope = new PointerScope()) {
            Mat a = GrayMats.decode(jpeg);
            assertNotNull(a);
            assertEquals(341, a.cols());
            assertEquals(504, a.rows());
            assertEquals(1, a.channels());
            Mat w = GrayMats.decode(webp);
            assertNotNull(w);
            assertEquals(260, w.cols());
            assertEquals(280, w.rows());
            Mat p = GrayMats.decode(Files.readAllBytes(realPng));
            assertEquals(525, p.cols());
            // A real sheet, not a blank: plenty of dark and light pixels.
            double mean = org.bytedeco.opencv.global.opencv_core.mean(w).get(0);
            assertTrue(mean > 100 && mean < 230, "mean " + mean);
        }
        FolderConfig antibody = FolderConfig.load(samples, webpNamedJpg.getParent());
        SheetResult r = SheetProcessor.process(antibody, webp, "simple_omr_sheet.jpg");
        assertEquals(List.of("A", "C", "B", "D", "E", "B"), r.values());
    }

    @Test
    void subfolderFilesReplaceTheParentsAndConfigMergesOntoDefaults() {
        OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE);
        OmrTestFolders.write(dir, "config.json", "{\"outputs\": {\"show_image_level\": 3}}");
        byte[] png = "png".getBytes(StandardCharsets.UTF_8);
        OmrTestFolders.write(dir, "a/one.PNG", png);
        OmrTestFolders.write(dir, "a/.hidden.png", png);
        OmrTestFolders.write(dir, "a/notes.txt", png);
        OmrTestFolders.write(dir, "a/Two.jpeg", png);
        OmrTestFolders.write(dir, "b/config.json", "{\"dimensions\": {\"processing_width\": 700}}");
        OmrTestFolders.write(dir, "b/s.jpg", png);
        OmrTestFolders.write(dir, "c/template.json", OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"outputColumns\": [\"q5\", \"q4\"],"));
        OmrTestFolders.write(dir, "c/s.png", png);
        List<OmrFolders.ImageFolder> folders = OmrFolders.walk(dir);
        assertEquals(List.of(Path.of("a"), Path.of("b"), Path.of("c")), folders.stream().map(OmrFolders.ImageFolder::relative).toList());
        assertEquals(List.of("Two.jpeg", "one.PNG"), folders.get(0).images().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(3, folders.get(0).config().tuning.showImageLevel);
        assertEquals(700, folders.get(1).config().tuning.processingWidth);
        assertEquals(0, folders.get(1).config().tuning.showImageLevel, "b's config replaces the parent's, merged onto defaults");
        assertEquals(List.of("q5", "q4"), folders.get(2).config().outputColumns());
        assertEquals(3, folders.get(2).config().tuning.showImageLevel);
    }

    @Test
    void folderWalkInheritsConfigurationAndSkipsMarkerImages() {
        Path samples = SharedData.require("omr/samples");
        List<OmrFolders.ImageFolder> folders = OmrFolders.walk(samples.resolve("sample1"));
        assertEquals(1, folders.size(), "omr_marker.jpg beside template.json is not a sheet");
        OmrFolders.ImageFolder mobile = folders.get(0);
        assertEquals(Path.of("MobileCamera"), mobile.relative());
        assertEquals(List.of("sheet1.jpg"), mobile.images().stream().map(p -> p.getFileName().toString()).toList());
        assertEquals(5, mobile.config().tuning.showImageLevel, "config.json of the parent applies");
        assertEquals(2, mobile.config().template.preprocessors.size());

        List<OmrFolders.ImageFolder> s5 = OmrFolders.walk(samples.resolve("sample5"));
        assertEquals(List.of(Path.of("ScanBatch1"), Path.of("ScanBatch2")), s5.stream().map(OmrFolders.ImageFolder::relative).toList());
        assertNotNull(s5.get(0).config().evaluation, "evaluation.json of the parent applies");
        assertEquals(List.of("Roll", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9", "q10", "q11"),
                s5.get(0).config().outputColumns().subList(0, 12));
    }
}
