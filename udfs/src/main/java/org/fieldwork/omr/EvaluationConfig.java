package org.fieldwork.omr;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OMRChecker's {@code evaluation.json}: where the answer key comes from (a CSV of question,answer
 * rows; an answer-key sheet image read like any sheet; or lists in the file itself) and the marking
 * schemes. Score = sum over the key's questions, in order, of each answer's delta.
 */
public final class EvaluationConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    static final List<String> KEYS = List.of("source_type", "options", "marking_schemes");
    static final List<String> OPTION_KEYS = List.of("answer_key_csv_path", "answer_key_image_path",
            "questions_in_order", "answers_in_order", "should_explain_scoring", "enable_evaluation_table_to_csv");

    public final String path;
    public final List<String> questionsInOrder;
    public final boolean shouldExplainScoring;
    public final boolean enableEvaluationTableToCsv;
    public final boolean hasNonDefaultSection;
    private final Map<String, AnswerMatcher> matchers;

    /** One row of the explanation table (OMRChecker's "Evaluation Explanation Table"). */
    public record ExplanationRow(String question, String marked, String answer, String verdict, String delta,
            String score, String section) implements Serializable {
    }

    /** A sheet's score and, per question, how it was reached. */
    public record ScoreCard(double score, List<ExplanationRow> explanation) implements Serializable {
    }

    private EvaluationConfig(String path, List<String> questions, Map<String, AnswerMatcher> matchers, boolean explain,
            boolean toCsv, boolean nonDefault) {
        this.path = path;
        this.questionsInOrder = List.copyOf(questions);
        this.matchers = matchers;
        this.shouldExplainScoring = explain;
        this.enableEvaluationTableToCsv = toCsv;
        this.hasNonDefaultSection = nonDefault;
    }

    /**
     * Loads and checks an evaluation file against the template it will score. An answer-key image is
     * read here, with the template's pipeline, as OMRChecker does.
     */
    public static EvaluationConfig load(Path evaluationJson, SheetTemplate template, TuningConfig config) {
        return load(InputTree.local(evaluationJson.getParent()), evaluationJson, template, config);
    }

    /** As {@link #load(Path, SheetTemplate, TuningConfig)}, reading the answer key from {@code tree}. */
    public static EvaluationConfig load(InputTree tree, Path evaluationJson, SheetTemplate template, TuningConfig config) {
        ConfigReader r = ConfigReader.of(tree, evaluationJson);
        ObjectNode root = r.readObject(evaluationJson);
        r.checkKeys(root, "", KEYS, KEYS);
        String source = r.string(root.get("source_type"), "source_type");
        JsonNode options = r.object(root, "", "options");
        r.checkKeys(options, "options", OPTION_KEYS, List.of());
        boolean explain = r.bool(options, "options", "should_explain_scoring", false);
        boolean toCsv = r.bool(options, "options", "enable_evaluation_table_to_csv", false);
        Path dir = evaluationJson.toAbsolutePath().getParent();

        List<String> questions;
        List<Object> answers;
        List<String> answerKeys = new ArrayList<>();
        switch (source) {
            case "csv": {
                if (!options.has("answer_key_csv_path")) {
                    throw r.error("options.answer_key_csv_path", "required key is missing for source_type csv");
                }
                Path csv = dir.resolve(r.string(options.get("answer_key_csv_path"), "options.answer_key_csv_path"));
                questions = new ArrayList<>();
                answers = new ArrayList<>();
                if (tree.isFile(csv)) {
                    readAnswerCsv(r, csv, questions, answers, answerKeys);
                } else if (!options.has("answer_key_image_path")) {
                    throw r.error("options.answer_key_csv_path", "answer key CSV not found: " + tree.name(csv));
                } else {
                    readAnswerImage(r, dir, options, template, config, questions, answers, answerKeys);
                }
                break;
            }
            case "custom": {
                for (String k : List.of("questions_in_order", "answers_in_order")) {
                    if (!options.has(k)) {
                        throw r.error("options." + k, "required key is missing for source_type custom");
                    }
                }
                questions = FieldLabels.parse(r, "options.questions_in_order",
                        r.strings(options.get("questions_in_order"), "options.questions_in_order"));
                JsonNode a = options.get("answers_in_order");
                if (!a.isArray()) {
                    throw r.error("options.answers_in_order", "must be a list");
                }
                answers = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    answers.add(toJava(a.get(i)));
                    answerKeys.add("options.answers_in_order[" + i + "]");
                }
                break;
            }
            default:
                throw r.error("source_type", "must be \"csv\" or \"custom\", not \"" + source + "\"");
        }
        if (questions.size() != answers.size()) {
            throw r.error("options.answers_in_order", "has " + answers.size() + " answers for " + questions.size()
                    + " questions in questions_in_order");
        }
        Set<String> columns = new HashSet<>(template.outputColumns);
        columns.addAll(template.customLabels.keySet());
        columns.addAll(template.nonCustomLabels);
        for (int i = 0; i < questions.size(); i++) {
            if (!columns.contains(questions.get(i))) {
                throw r.error(source.equals("csv") && !answerKeys.isEmpty() ? answerKeys.get(i) : "options.questions_in_order",
                        "question '" + questions.get(i) + "' is not a column of template " + template.path);
            }
        }

        JsonNode schemes = r.object(root, "", "marking_schemes");
        if (!schemes.has(MarkingScheme.DEFAULT)) {
            throw r.error("marking_schemes.DEFAULT", "required key is missing");
        }
        MarkingScheme defaultScheme = null;
        Map<String, MarkingScheme> byQuestion = new LinkedHashMap<>();
        boolean nonDefault = false;
        Set<String> inKey = new HashSet<>(questions);
        for (Map.Entry<String, JsonNode> e : ConfigReader.fields(schemes)) {
            String key = "marking_schemes." + e.getKey();
            MarkingScheme s = new MarkingScheme(r, key, e.getKey(), e.getValue());
            if (MarkingScheme.DEFAULT.equals(e.getKey())) {
                defaultScheme = s;
                continue;
            }
            nonDefault = true;
            for (String q : s.questions) {
                if (byQuestion.containsKey(q)) {
                    throw r.error(key + ".questions", "question '" + q + "' is also in section '"
                            + byQuestion.get(q).sectionKey + "'");
                }
                if (!inKey.contains(q)) {
                    throw r.error(key + ".questions", "question '" + q + "' has no answer in the answer key");
                }
                byQuestion.put(q, s);
            }
            if (!e.getKey().startsWith("BONUS") && s.marking.get("incorrect") > 0) {
                org.slf4j.LoggerFactory.getLogger(EvaluationConfig.class).warn(
                        "{}: section '{}' gives positive marks for incorrect answers; prefix it with BONUS_ if meant",
                        evaluationJson, e.getKey());
            }
        }
        Map<String, AnswerMatcher> matchers = new LinkedHashMap<>();
        for (int i = 0; i < questions.size(); i++) {
            String q = questions.get(i);
            if (matchers.containsKey(q)) {
                throw r.error(answerKeys.isEmpty() ? "options.questions_in_order" : answerKeys.get(i),
                        "question '" + q + "' appears twice in the answer key");
            }
            try {
                matchers.put(q, new AnswerMatcher(answers.get(i), byQuestion.getOrDefault(q, defaultScheme),
                        template.emptyValue));
            } catch (IllegalArgumentException ex) {
                throw r.error(answerKeys.isEmpty() ? "options.answers_in_order" : answerKeys.get(i),
                        "question '" + q + "': " + ex.getMessage());
            }
        }
        if (config.filterOutMultimarkedFiles) {
            for (int i = 0; i < questions.size(); i++) {
                if (hasMultiMarkAnswer(matchers.get(questions.get(i)))) {
                    throw r.error(answerKeys.isEmpty() ? "options.answers_in_order" : answerKeys.get(i),
                            "answer key has multi-marked answers but config.outputs.filter_out_multimarked_files is true");
                }
            }
        }
        return new EvaluationConfig(evaluationJson.toString(), questions, matchers, explain, toCsv, nonDefault);
    }

    private static boolean hasMultiMarkAnswer(AnswerMatcher m) {
        Object a = m.answerItem;
        switch (m.type) {
            case STANDARD:
                return ((String) a).length() > 1;
            case MULTIPLE_CORRECT:
                return ((List<?>) a).stream().anyMatch(s -> ((String) s).length() > 1);
            default:
                return ((List<?>) a).stream().anyMatch(p -> ((String) ((List<?>) p).get(0)).length() > 1);
        }
    }

    private static Object toJava(JsonNode n) {
        if (n.isArray()) {
            List<Object> out = new ArrayList<>();
            n.forEach(e -> out.add(toJava(e)));
            return out;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isIntegralNumber()) {
            return n.longValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        return n.toString();
    }

    /** question,answer rows; an answer starting with '[' is a Python list literal, one with commas a list. */
    private static void readAnswerCsv(ConfigReader r, Path csv, List<String> questions, List<Object> answers,
            List<String> keys) {
        String text;
        String csvName = r.tree.name(csv);
        try {
            text = new String(r.tree.read(csv), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OmrConfigException(csvName, "", "cannot read: " + e.getMessage(), e);
        }
        ConfigReader cr = new ConfigReader(csvName, r.tree);
        for (CsvCells.Row row : CsvCells.read(text)) {
            List<String> cells = row.cells();
            if (cells.stream().allMatch(String::isBlank)) {
                continue;
            }
            String key = "row " + row.line();
            if (cells.size() != 2) {
                throw cr.error(key, "needs exactly two cells (question,answer), found " + cells.size()
                        + "; quote answers that contain commas");
            }
            String answer = cells.get(1);
            if (answer.isEmpty()) {
                throw cr.error(key, "empty answer for question '" + cells.get(0) + "'");
            }
            Object parsed;
            if (answer.charAt(0) == '[') {
                try {
                    parsed = PythonText.literal(answer);
                } catch (IllegalArgumentException e) {
                    throw cr.error(key, "answer is not a valid list: " + e.getMessage());
                }
            } else if (answer.contains(",")) {
                parsed = List.of(answer.split(",", -1));
            } else {
                parsed = answer;
            }
            questions.add(cells.get(0));
            answers.add(parsed);
            keys.add("options.answer_key_csv_path (" + csv.getFileName() + " " + key + ")");
        }
        if (questions.isEmpty()) {
            throw r.error("options.answer_key_csv_path", "answer key CSV is empty: " + csvName);
        }
    }

    private static void readAnswerImage(ConfigReader r, Path dir, JsonNode options, SheetTemplate template,
            TuningConfig config, List<String> questions, List<Object> answers, List<String> keys) {
        String key = "options.answer_key_image_path";
        Path image = dir.resolve(r.string(options.get("answer_key_image_path"), key));
        String imageName = r.tree.name(image);
        if (!r.tree.isFile(image)) {
            throw r.error(key, "answer key image not found: " + imageName);
        }
        byte[] bytes;
        try {
            bytes = r.tree.read(image);
        } catch (IOException e) {
            throw new OmrConfigException(r.file, key, "cannot read " + imageName + ": " + e.getMessage(), e);
        }
        Map<String, String> response;
        try {
            try (org.fieldwork.kernels.KernelSession kernels = org.fieldwork.kernels.KernelSession.open()) {
                response = template.concatenate(SheetProcessor.readFields(template, config, bytes,
                        new SheetWork(0, kernels)).values());
            }
        } catch (PreprocessorFailure | IllegalArgumentException e) {
            throw r.error(key, "could not read the answer key from " + imageName + ": " + e.getMessage());
        }
        String empty = template.emptyValue;
        Pattern emptyAnswer = Pattern.compile(empty.isEmpty() ? "^$" : Pattern.quote(empty) + "+");
        if (options.has("questions_in_order")) {
            questions.addAll(FieldLabels.parse(r, "options.questions_in_order",
                    r.strings(options.get("questions_in_order"), "options.questions_in_order")));
            List<String> emptyOnes = new ArrayList<>();
            for (String q : questions) {
                String a = response.get(q);
                if (a == null) {
                    throw r.error("options.questions_in_order", "question '" + q + "' is not a column of the template");
                }
                if (emptyAnswer.matcher(a).find()) {
                    emptyOnes.add(q);
                }
            }
            if (!emptyOnes.isEmpty()) {
                throw r.error(key, "answer key image " + imageName + " has empty answers for " + emptyOnes);
            }
        } else {
            List<String> found = new ArrayList<>();
            for (Map.Entry<String, String> e : response.entrySet()) {
                if (!emptyAnswer.matcher(e.getValue()).find()) {
                    found.add(e.getKey());
                }
            }
            found.sort(null);
            questions.addAll(found);
        }
        for (String q : questions) {
            answers.add(response.get(q));
            keys.add(key);
        }
    }

    public AnswerMatcher matcher(String question) {
        return matchers.get(question);
    }

    /** Scores a sheet's column values (custom labels already concatenated). */
    public ScoreCard evaluate(Map<String, String> columns) {
        double score = 0.0;
        List<ExplanationRow> rows = new ArrayList<>();
        for (String q : questionsInOrder) {
            String marked = columns.get(q);
            AnswerMatcher m = matchers.get(q);
            AnswerMatcher.Verdict v = m.verdict(marked);
            double next = score + v.delta();
            rows.add(new ExplanationRow(q, marked, PythonText.str(m.answerItem), title(v.verdict()),
                    PythonText.floatStr(PythonText.round(v.delta(), 2)), PythonText.floatStr(PythonText.round(next, 2)),
                    hasNonDefaultSection ? m.sectionExplanation() : null));
            score = next;
        }
        return new ScoreCard(score, rows);
    }

    /** Python's str.title for verdicts like "correct-A". */
    private static String title(String s) {
        StringBuilder sb = new StringBuilder();
        boolean start = true;
        for (char c : s.toCharArray()) {
            sb.append(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = !Character.isLetter(c);
        }
        return sb.toString();
    }
}
