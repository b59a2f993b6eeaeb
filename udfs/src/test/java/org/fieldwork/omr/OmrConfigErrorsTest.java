package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad template, config and evaluation files fail at load time with the file and the key named. */
class OmrConfigErrorsTest {
    @TempDir
    Path dir;

    private OmrConfigException templateError(String json) {
        Path t = OmrTestFolders.write(dir, "template.json", json);
        OmrConfigException e = assertThrows(OmrConfigException.class, () -> SheetTemplate.load(t, TuningConfig.defaults()));
        assertEquals(t.toString(), e.file());
        assertTrue(e.getMessage().startsWith(t.toString()), e.getMessage());
        return e;
    }

    private static String withBlock(String block) {
        return OmrTestFolders.TEMPLATE.replace("\"fieldBlocks\": {", "\"fieldBlocks\": {\n" + block + ",");
    }

    @Test
    void unknownTopLevelKeyIsNamed() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\"", "\"preProcesors\""));
        assertEquals("preProcesors", e.key());
    }

    @Test
    void missingRequiredKeyIsNamed() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],", ""));
        assertEquals("preProcessors", e.key());
        assertTrue(e.getMessage().contains("required"), e.getMessage());
    }

    @Test
    void unknownFieldBlockKeyIsNamed() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"labelsGap\": 52,", "\"labelsGap\": 52, \"bubbleCount\": 5,"));
        assertEquals("fieldBlocks.MCQ_Block_1.bubbleCount", e.key());
    }

    @Test
    void overlappingLabelsAcrossBlocksAreAnError() {
        OmrConfigException e = templateError(withBlock("""
                "Other": {"fieldType": "QTYPE_MCQ4", "origin": [20, 330], "fieldLabels": ["q5"],
                          "labelsGap": 10, "bubblesGap": 30}"""));
        assertEquals("fieldBlocks.MCQ_Block_1.fieldLabels", e.key());
        assertTrue(e.getMessage().contains("q5"), e.getMessage());
    }

    @Test
    void overlappingRangeWithinOneBlockIsAnError() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("[\"q1..5\"]", "[\"q1..5\", \"q3\"]"));
        assertEquals("fieldBlocks.MCQ_Block_1.fieldLabels", e.key());
    }

    @Test
    void blockOutsideThePageIsAnError() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"origin\": [65, 60]", "\"origin\": [150, 60]"));
        assertEquals("fieldBlocks.MCQ_Block_1", e.key());
        assertTrue(e.getMessage().contains("outside the page"), e.getMessage());
    }

    @Test
    void unknownFieldTypeAndPreprocessorAreNamed() {
        assertEquals("fieldBlocks.MCQ_Block_1.fieldType",
                templateError(OmrTestFolders.TEMPLATE.replace("QTYPE_MCQ5", "QTYPE_MCQ9")).key());
        assertEquals("preProcessors[0].name", templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": []",
                "\"preProcessors\": [{\"name\": \"CropPages\"}]")).key());
        assertEquals("preProcessors[0].options.kernel", templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": []",
                "\"preProcessors\": [{\"name\": \"CropPage\", \"options\": {\"kernel\": [3, 3]}}]")).key());
    }

    @Test
    void missingMarkerImageIsNamed() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": []",
                "\"preProcessors\": [{\"name\": \"CropOnMarkers\", \"options\": {\"relativePath\": \"nope.jpg\"}}]"));
        assertEquals("preProcessors[0].options.relativePath", e.key());
    }

    @Test
    void customLabelOfUnknownFieldIsAnError() {
        OmrConfigException e = templateError(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"customLabels\": {\"Roll\": [\"q1\", \"r9\"]},"));
        assertEquals("customLabels.Roll", e.key());
    }

    @Test
    void invalidJsonNamesTheFile() {
        OmrConfigException e = templateError("{\"pageDimensions\": [300, 400],");
        assertEquals("", e.key());
    }

    @Test
    void configUnknownKeyAndWrongTypeAreNamed() {
        Path c = OmrTestFolders.write(dir, "config.json", "{\"outputs\": {\"show_image_levl\": 1}}");
        OmrConfigException e = assertThrows(OmrConfigException.class, () -> TuningConfig.load(c));
        assertEquals("outputs.show_image_levl", e.key());
        assertEquals(c.toString(), e.file());
        OmrTestFolders.write(dir, "config.json", "{\"dimensions\": {\"processing_width\": \"wide\"}}");
        assertEquals("dimensions.processing_width", assertThrows(OmrConfigException.class, () -> TuningConfig.load(c)).key());
        OmrTestFolders.write(dir, "config.json", "{\"threshold_params\": {\"PAGE_TYPE_FOR_THRESHOLD\": \"grey\"}}");
        assertEquals("threshold_params.PAGE_TYPE_FOR_THRESHOLD",
                assertThrows(OmrConfigException.class, () -> TuningConfig.load(c)).key());
    }

    @Test
    void configIsDeepMergedOntoDefaults() {
        Path c = OmrTestFolders.write(dir, "config.json",
                "{\"dimensions\": {\"processing_width\": 1332}, \"outputs\": {\"filter_out_multimarked_files\": true}}");
        TuningConfig t = TuningConfig.load(c);
        assertEquals(1332, t.processingWidth);
        assertEquals(820, t.processingHeight);
        assertEquals(25, t.minJump);
        assertTrue(t.filterOutMultimarkedFiles);
        assertEquals(200, t.defaultPageThreshold());
    }

    private OmrConfigException evaluationError(String json) {
        SheetTemplate t = SheetTemplate.load(OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE),
                TuningConfig.defaults());
        Path e = OmrTestFolders.write(dir, "evaluation.json", json);
        OmrConfigException ex = assertThrows(OmrConfigException.class,
                () -> EvaluationConfig.load(e, t, TuningConfig.defaults()));
        assertTrue(ex.getMessage().contains("evaluation.json") || ex.getMessage().contains(".csv"), ex.getMessage());
        return ex;
    }

    private static String evaluation(String answers, String schemes) {
        return "{\"source_type\": \"custom\", \"options\": {\"questions_in_order\": [\"q1..5\"], \"answers_in_order\": "
                + answers + "}, \"marking_schemes\": " + schemes + "}";
    }

    private static final String DEFAULT = "{\"DEFAULT\": {\"correct\": \"3\", \"incorrect\": \"-2/3\", \"unmarked\": 0}}";

    @Test
    void evaluationErrorsNameTheKey() {
        assertEquals("marking_schemes.DEFAULT", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]",
                "{\"SECTION\": {\"questions\": [\"q1\"], \"marking\": {\"correct\": 1, \"incorrect\": 0, \"unmarked\": 0}}}")).key());
        assertEquals("marking_schemes.DEFAULT.incorrect", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]",
                DEFAULT.replace("-2/3", "-2/x"))).key());
        assertEquals("options.answers_in_order", evaluationError(evaluation("[\"A\",\"B\"]", DEFAULT)).key());
        assertEquals("options.answers_in_order[2]", evaluationError(evaluation("[\"A\",\"B\",[\"C\"],\"D\",\"E\"]", DEFAULT)).key());
        assertEquals("options.answer_key", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]", DEFAULT)
                .replace("\"options\": {", "\"options\": {\"answer_key\": 1, ")).key());
        assertEquals("source_type", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]", DEFAULT)
                .replace("custom", "excel")).key());
        assertEquals("options.questions_in_order", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]", DEFAULT)
                .replace("q1..5", "q2..6")).key());
        assertEquals("marking_schemes.S2.questions", evaluationError(evaluation("[\"A\",\"B\",\"C\",\"D\",\"E\"]",
                "{\"DEFAULT\": {\"correct\": 1, \"incorrect\": 0, \"unmarked\": 0},"
                        + "\"S1\": {\"questions\": [\"q1..3\"], \"marking\": {\"correct\": 1, \"incorrect\": 0, \"unmarked\": 0}},"
                        + "\"S2\": {\"questions\": [\"q3..4\"], \"marking\": {\"correct\": 1, \"incorrect\": 0, \"unmarked\": 0}}}")).key());
    }

    @Test
    void answerKeyCsvProblemsNameTheRow() {
        OmrTestFolders.write(dir, "answer_key.csv", "q1,C\nq2,E\nq3,\"[['A', 1], ['B'\"\nq4,B\nq5,B\n");
        OmrConfigException e = evaluationError("{\"source_type\": \"csv\", \"options\": {\"answer_key_csv_path\": \"answer_key.csv\"},"
                + " \"marking_schemes\": " + DEFAULT + "}");
        assertEquals("row 3", e.key());
        assertTrue(e.file().endsWith("answer_key.csv"), e.file());
        assertEquals("options.answer_key_csv_path", evaluationError("{\"source_type\": \"csv\", \"options\": "
                + "{\"answer_key_csv_path\": \"missing.csv\"}, \"marking_schemes\": " + DEFAULT + "}").key());
    }

    @Test
    void folderWalkFailsOnBadConfigurationBeforeReadingAnySheet() {
        OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE);
        // Not an image at all: if the walk read sheets it would not get as far as the evaluation error.
        OmrTestFolders.write(dir, "sub/sheet.png", "not an image");
        OmrTestFolders.write(dir, "sub/evaluation.json", evaluation("[\"A\"]", DEFAULT));
        OmrConfigException e = assertThrows(OmrConfigException.class, () -> OmrFolders.walk(dir));
        assertTrue(e.file().endsWith("sub/evaluation.json"), e.file());
        assertEquals("options.answers_in_order", e.key());
    }

    @Test
    void imagesWithoutTemplateAreAConfigurationError() {
        OmrTestFolders.write(dir, "a/sheet.jpg", "x");
        OmrConfigException e = assertThrows(OmrConfigException.class, () -> OmrFolders.walk(dir));
        assertEquals("template.json", e.key());
    }

    @Test
    void sharedSampleTemplatesThatOmrCheckerRejectsAreRejected() {
        Path samples = SharedData.require("omr/samples");
        // dxuian's template has no preProcessors and an unknown bubbleCount key; samuelIkoli's lacks preProcessors.
        for (String s : new String[] {"community/dxuian", "community/samuelIkoli"}) {
            Path t = samples.resolve(s).resolve("template.json");
            OmrConfigException e = assertThrows(OmrConfigException.class, () -> SheetTemplate.load(t, TuningConfig.defaults()));
            assertEquals(t.toString(), e.file());
            assertEquals("preProcessors", e.key());
        }
    }

    @Test
    void validTemplateLoads() {
        SheetTemplate t = SheetTemplate.load(OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE),
                TuningConfig.defaults());
        assertEquals(5, t.fieldBlocks.get(0).fields.size());
        assertEquals(Set.of("q1", "q2", "q3", "q4", "q5"), Set.copyOf(t.outputColumns));
        assertEquals(Map.of(), t.customLabels);
    }
}
