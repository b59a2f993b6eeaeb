package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every marking-scheme form: sections, fractions, multiple-correct, weighted, bonus, CSV keys. */
class OmrEvaluationTest {
    @TempDir
    Path dir;

    private EvaluationConfig load(String evaluationJson) {
        SheetTemplate t = SheetTemplate.load(OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE),
                TuningConfig.defaults());
        return EvaluationConfig.load(OmrTestFolders.write(dir, "evaluation.json", evaluationJson), t, TuningConfig.defaults());
    }

    private static Map<String, String> answers(String... a) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < a.length; i++) {
            m.put("q" + (i + 1), a[i]);
        }
        return m;
    }

    @Test
    void sectionsFractionsAndBonus() {
        EvaluationConfig e = load("""
                {"source_type": "custom",
                 "options": {"questions_in_order": ["q1..5"], "answers_in_order": ["A", "B", "C", "D", "E"]},
                 "marking_schemes": {
                   "DEFAULT": {"correct": "1", "incorrect": "-2/3", "unmarked": "0"},
                   "SECTION_2": {"questions": ["q2..3"], "marking": {"correct": 4, "incorrect": -1, "unmarked": "-1/4"}},
                   "BONUS_5": {"questions": ["q5"], "marking": {"correct": 2, "incorrect": 2, "unmarked": 2}}}}""");
        EvaluationConfig.ScoreCard c = e.evaluate(answers("A", "C", "", "B", ""));
        // 1 + (-1) + (-1/4) + (-2/3) + 2
        assertEquals(0.0 + 1 - 1 - 0.25 - 2.0 / 3 + 2, c.score());
        assertEquals("1.0833333333333335", PythonText.floatStr(c.score()));
        assertEquals("SECTION_2", c.explanation().get(1).section());
        assertEquals("Unmarked", c.explanation().get(2).verdict());
        assertEquals("-0.25", c.explanation().get(2).delta());
        assertEquals("-0.67", c.explanation().get(3).delta());
        assertEquals("BONUS_5", c.explanation().get(4).section());
    }

    @Test
    void multipleCorrectAndWeightedAnswers() {
        EvaluationConfig e = load("""
                {"source_type": "custom",
                 "options": {"questions_in_order": ["q1..5"],
                             "answers_in_order": ["C", "E", ["A", "C"], [["B", 2], ["C", "3/2"]], "AB"]},
                 "marking_schemes": {"DEFAULT": {"correct": "3", "incorrect": "-1", "unmarked": "0"}}}""");
        assertEquals(3 + 3 + 3 + 2 + 3.0, e.evaluate(answers("C", "E", "C", "B", "AB")).score());
        assertEquals(-1 + 0 + 3 + 1.5 - 1.0, e.evaluate(answers("B", "", "A", "C", "A")).score());
        assertEquals(-1.0 * 3 + 0 - 1, e.evaluate(answers("A", "A", "B", "", "B")).score());
        EvaluationConfig.ExplanationRow weighted = e.evaluate(answers("C", "E", "C", "B", "AB")).explanation().get(3);
        assertEquals("Correct-B", weighted.verdict());
        assertEquals("[['B', 2], ['C', '3/2']]", weighted.answer());
        assertEquals("2.0", weighted.delta());
    }

    @Test
    void answerKeyCsvForms() throws Exception {
        Files.writeString(dir.resolve("answer_key.csv"), "q1,C\nq2,\"D,E\"\nq3,\"A,AB\"\nq4,\"[['A', '1'], ['B', '2']]\"\nq5,\"['A', 'B']\"\n");
        EvaluationConfig e = load("""
                {"source_type": "csv", "options": {"answer_key_csv_path": "answer_key.csv"},
                 "marking_schemes": {"DEFAULT": {"correct": "1", "incorrect": "0", "unmarked": "0"}}}""");
        assertEquals(List.of("q1", "q2", "q3", "q4", "q5"), e.questionsInOrder);
        assertEquals(AnswerMatcher.AnswerType.MULTIPLE_CORRECT, e.matcher("q2").type);
        assertEquals(AnswerMatcher.AnswerType.MULTIPLE_CORRECT_WEIGHTED, e.matcher("q4").type);
        assertEquals(AnswerMatcher.AnswerType.MULTIPLE_CORRECT, e.matcher("q5").type);
        assertEquals(1 + 1 + 1 + 2 + 1.0, e.evaluate(answers("C", "E", "AB", "B", "A")).score());
        assertEquals(0 + 0 + 1 + 1 + 0.0, e.evaluate(answers("D,E", "DE", "A", "A", "AB")).score());
    }

    @Test
    void answerKeyReadFromAnImageOfAFilledSheet() {
        SheetTemplate t = SheetTemplate.load(OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE),
                TuningConfig.defaults());
        OmrTestFolders.write(dir, "key/answer_key.png", OmrTestFolders.sheet(t, Map.of("q1", java.util.Set.of("C"),
                "q2", java.util.Set.of("E"), "q3", java.util.Set.of("A"), "q5", java.util.Set.of("B")), "png"));
        String json = """
                {"source_type": "csv",
                 "options": {"answer_key_csv_path": "missing.csv", "answer_key_image_path": "answer_key.png" %s},
                 "marking_schemes": {"DEFAULT": {"correct": 4, "incorrect": -1, "unmarked": 0}}}""";
        // Without questions_in_order: the non-empty answers, sorted by question name.
        EvaluationConfig e = EvaluationConfig.load(OmrTestFolders.write(dir, "key/evaluation.json", json.formatted("")), t,
                TuningConfig.defaults());
        assertEquals(List.of("q1", "q2", "q3", "q5"), e.questionsInOrder);
        assertEquals(4 + 4 - 1 + 0 + 0.0, e.evaluate(answers("C", "E", "B", "A", "")).score());
        // With questions_in_order naming a question the key image leaves blank: a configuration error.
        OmrConfigException ex = org.junit.jupiter.api.Assertions.assertThrows(OmrConfigException.class,
                () -> EvaluationConfig.load(OmrTestFolders.write(dir, "key/evaluation.json",
                        json.formatted(", \"questions_in_order\": [\"q1..5\"]")), t, TuningConfig.defaults()));
        assertEquals("options.answer_key_image_path", ex.key());
        org.junit.jupiter.api.Assertions.assertTrue(ex.getMessage().contains("q4"), ex.getMessage());
    }

    @Test
    void sharedUmarFarootAnswerKeyLoads() {
        Path samples = SharedData.require("omr/samples");
        Path folder = samples.resolve("community/UmarFarootAPS/scans");
        EvaluationConfig e = FolderConfig.load(samples, folder).evaluation;
        assertEquals(200, e.questionsInOrder.size());
        assertEquals(List.of("D", "E"), e.matcher("q3").answerItem);
        assertEquals(List.of(List.of("A", "1"), List.of("B", "2")), e.matcher("q5").answerItem);
    }

    @Test
    void evaluationTableCsvWhenAskedFor() throws Exception {
        OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE);
        OmrTestFolders.write(dir, "evaluation.json", """
                {"source_type": "custom",
                 "options": {"questions_in_order": ["q1..5"], "answers_in_order": ["A", "B", "C", "D", "E"],
                             "enable_evaluation_table_to_csv": true},
                 "marking_schemes": {"DEFAULT": {"correct": 1, "incorrect": 0, "unmarked": 0}}}""");
        FolderConfig f = FolderConfig.load(dir, dir);
        byte[] sheet = OmrTestFolders.sheet(f.template, Map.of("q1", java.util.Set.of("A"), "q2", java.util.Set.of("C")), "png");
        SheetResult r = SheetProcessor.process(f, sheet, "sheet 1.png");
        ResultsCsv.write(dir.resolve("out"), f, List.of(r));
        List<String> lines = Files.readAllLines(dir.resolve("out/Evaluation/sheet 1_evaluation.csv"));
        assertEquals("\"Question\",\"Marked\",\"Answer(s)\",\"Verdict\",\"Delta\",\"Score\"", lines.get(0));
        assertEquals("\"q1\",\"A\",\"A\",\"Correct\",\"1.0\",\"1.0\"", lines.get(1));
        assertEquals("\"q2\",\"C\",\"B\",\"Incorrect\",\"0.0\",\"1.0\"", lines.get(2));
        assertEquals(6, lines.size());
    }

    /** OMRChecker prints str(answer_item): a standard answer as it is, a list as Python's repr, in one key. */
    @Test
    void evaluationTableWritesStandardAnswersPlainBesideLists() throws Exception {
        OmrTestFolders.write(dir, "template.json", OmrTestFolders.TEMPLATE);
        OmrTestFolders.write(dir, "evaluation.json", """
                {"source_type": "custom",
                 "options": {"questions_in_order": ["q1..5"],
                             "answers_in_order": ["A", ["B", "C"], "C", [["D", 2], ["E", 1]], "E"],
                             "enable_evaluation_table_to_csv": true},
                 "marking_schemes": {"DEFAULT": {"correct": 1, "incorrect": 0, "unmarked": 0}}}""");
        FolderConfig f = FolderConfig.load(dir, dir);
        byte[] sheet = OmrTestFolders.sheet(f.template, Map.of("q1", java.util.Set.of("A"), "q2", java.util.Set.of("C")), "png");
        SheetResult r = SheetProcessor.process(f, sheet, "mixed.png");
        ResultsCsv.write(dir.resolve("out"), f, List.of(r));
        List<String> lines = Files.readAllLines(dir.resolve("out/Evaluation/mixed_evaluation.csv"));
        assertEquals("\"q1\",\"A\",\"A\",\"Correct\",\"1.0\",\"1.0\"", lines.get(1));
        assertEquals("\"q2\",\"C\",\"['B', 'C']\",\"Correct-C\",\"1.0\",\"2.0\"", lines.get(2));
        assertEquals("\"q3\",\"\",\"C\",\"Unmarked\",\"0.0\",\"2.0\"", lines.get(3));
        assertEquals("\"q4\",\"\",\"[['D', 2], ['E', 1]]\",\"Unmarked\",\"0.0\",\"2.0\"", lines.get(4));
        assertEquals("\"q5\",\"\",\"E\",\"Unmarked\",\"0.0\",\"2.0\"", lines.get(5));
    }
}
