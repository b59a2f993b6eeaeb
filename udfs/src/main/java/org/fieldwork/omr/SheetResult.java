package org.fieldwork.omr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything known about one processed sheet: its column values in output order, score, multi-mark
 * flag, per-field readings with confidence, the error when it could not be read, and stage images
 * when they were asked for. Plain serializable data, one per Spark unit.
 */
public final class SheetResult implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String fileName;
    public final String inputPath;
    /** Output column -> value, in the template's output column order; blanks for an error sheet. */
    public final Map<String, String> columns;
    /** Null without an evaluation.json or for an error sheet. */
    public final Double score;
    public final boolean multiMarked;
    /** Null when the sheet was read; otherwise why it went to ErrorFiles. */
    public final String error;
    public final List<FieldReading> fields;
    public final List<EvaluationConfig.ExplanationRow> explanation;
    public final List<StageImage> stages;
    public final double globalThreshold;
    /** True when the bytes were not an image at all (as opposed to a sheet whose page or markers were not found). */
    public final boolean undecodable;
    /** The sheet at page size with every bubble drawn (filled when marked), when asked for; else null. */
    public final byte[] checkedImage;
    /** Every field's value with custom labels concatenated, as the evaluation scores it (output columns are a subset). */
    public final Map<String, String> response;

    SheetResult(String fileName, String inputPath, Map<String, String> columns, Double score, boolean multiMarked,
            String error, List<FieldReading> fields, List<EvaluationConfig.ExplanationRow> explanation,
            List<StageImage> stages, double globalThreshold) {
        this(fileName, inputPath, columns, score, multiMarked, error, fields, explanation, stages, globalThreshold, false, null,
                columns);
    }

    SheetResult(String fileName, String inputPath, Map<String, String> columns, Double score, boolean multiMarked,
            String error, List<FieldReading> fields, List<EvaluationConfig.ExplanationRow> explanation,
            List<StageImage> stages, double globalThreshold, boolean undecodable, byte[] checkedImage,
            Map<String, String> response) {
        this.response = Collections.unmodifiableMap(new LinkedHashMap<>(response));
        this.fileName = fileName;
        this.inputPath = inputPath;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        this.score = score;
        this.multiMarked = multiMarked;
        this.error = error;
        this.fields = List.copyOf(fields);
        this.explanation = explanation == null ? List.of() : List.copyOf(explanation);
        this.stages = List.copyOf(stages);
        this.globalThreshold = globalThreshold;
        this.undecodable = undecodable;
        this.checkedImage = checkedImage;
    }

    /**
     * A result as stored after a run (for writing a folder's CSVs from the run's records): the row
     * values, score, multi-mark flag and error, without per-bubble detail.
     */
    public static SheetResult restored(String fileName, String inputPath, Map<String, String> columns, Double score,
            boolean multiMarked, String error) {
        return new SheetResult(fileName, inputPath, columns, score, multiMarked, error, List.of(), null, List.of(),
                Double.NaN);
    }


    /** A sheet that could not be read; {@code undecodable} when its bytes were no image at all. */
    static SheetResult failed(String fileName, String inputPath, SheetTemplate template, String error,
            List<StageImage> stages, boolean undecodable) {
        Map<String, String> blank = new LinkedHashMap<>();
        for (String c : template.outputColumns) {
            blank.put(c, "");
        }
        return new SheetResult(fileName, inputPath, blank, null, false, error, List.of(), null, stages, Double.NaN,
                undecodable, null, blank);
    }

    public boolean isError() {
        return error != null;
    }

    /** The score column: Python's str(float) of the score, "0" without evaluation, "NA" for error files. */
    public String scoreText() {
        if (isError()) {
            return "NA";
        }
        return score == null ? "0" : PythonText.floatStr(score);
    }

    /** Column values in output order. */
    public List<String> values() {
        return new ArrayList<>(columns.values());
    }

    /** The lowest field confidence on the sheet (gray levels between a bubble mean and its threshold). */
    public double minConfidence() {
        double m = Double.POSITIVE_INFINITY;
        for (FieldReading f : fields) {
            m = Math.min(m, f.confidence());
        }
        return m;
    }
}
