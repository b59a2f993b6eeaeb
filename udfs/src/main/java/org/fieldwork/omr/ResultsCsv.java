package org.fieldwork.omr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One folder's outputs in OMRChecker's layout, rows in the order given (callers pass input order):
 * {@code Results/Results.csv}, {@code Manual/MultiMarkedFiles.csv}, {@code Manual/ErrorFiles.csv},
 * and {@code Evaluation/<stem>_evaluation.csv} per sheet when the evaluation asks for it
 * (enable_evaluation_table_to_csv). Every field is quoted; the header is file_id, input_path,
 * output_path, score, then the output columns. Rendering is separate from writing so a job can put
 * the files on any storage, each in one atomic write.
 */
public final class ResultsCsv {
    public static final String RESULTS = "Results/Results.csv";
    public static final String MULTI_MARKED = "Manual/MultiMarkedFiles.csv";
    public static final String ERRORS = "Manual/ErrorFiles.csv";
    /** Where output_path points: the checked image, when one is saved. */
    public static final String CHECKED = "CheckedOMRs";

    private ResultsCsv() {
    }

    /** Which of the three CSVs a sheet's row goes to. */
    public static String destination(FolderConfig folder, SheetResult r) {
        if (r.isError()) {
            return ERRORS;
        }
        return r.multiMarked && folder.tuning.filterOutMultimarkedFiles ? MULTI_MARKED : RESULTS;
    }

    /**
     * The three CSV files of one folder (relative name -> UTF-8 bytes), header rows included even
     * when empty. {@code outDir} is the folder's output location as printed in output_path.
     */
    public static Map<String, byte[]> render(String outDir, FolderConfig folder, List<SheetResult> inInputOrder) {
        String header = CsvCells.quoteAll(header(folder.template));
        Map<String, StringBuilder> files = new LinkedHashMap<>();
        for (String f : List.of(RESULTS, MULTI_MARKED, ERRORS)) {
            files.put(f, new StringBuilder(header));
        }
        for (SheetResult r : inInputOrder) {
            String dest = destination(folder, r);
            String outputPath = switch (dest) {
                case ERRORS -> join(outDir, "Manual/ErrorFiles/" + r.fileName);
                case MULTI_MARKED -> join(outDir, "Manual/MultiMarkedFiles/" + r.fileName);
                default -> join(outDir, CHECKED + "/" + r.fileName);
            };
            files.get(dest).append(row(r, outputPath, dest.equals(RESULTS) ? r.scoreText() : "NA"));
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        files.forEach((k, v) -> out.put(k, v.toString().getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    /** Writes a folder's CSVs (and evaluation tables) under a local folder. */
    public static void write(Path outDir, FolderConfig folder, List<SheetResult> inInputOrder) throws IOException {
        for (Map.Entry<String, byte[]> f : render(outDir.toString(), folder, inInputOrder).entrySet()) {
            writeFile(outDir.resolve(f.getKey()), f.getValue());
        }
        for (SheetResult r : inInputOrder) {
            byte[] table = evaluationCsv(folder, r);
            if (table != null) {
                writeFile(outDir.resolve(evaluationFile(r.fileName)), table);
            }
        }
    }

    private static void writeFile(Path p, byte[] bytes) throws IOException {
        Files.createDirectories(p.toAbsolutePath().getParent());
        Files.write(p, bytes);
    }

    private static String join(String dir, String child) {
        return dir.isEmpty() ? child : dir.endsWith("/") ? dir + child : dir + "/" + child;
    }

    public static List<String> header(SheetTemplate template) {
        List<String> h = new ArrayList<>(List.of("file_id", "input_path", "output_path", "score"));
        h.addAll(template.outputColumns);
        return h;
    }

    private static String row(SheetResult r, String outputPath, String score) {
        List<String> cells = new ArrayList<>(List.of(r.fileName, r.inputPath, outputPath, score));
        cells.addAll(r.values());
        return CsvCells.quoteAll(cells);
    }

    /** The folder of per-sheet evaluation tables. */
    public static final String EVALUATION = "Evaluation";

    /** {@code Evaluation/<stem>_evaluation.csv}, relative to the folder's output. */
    public static String evaluationFile(String fileName) {
        String stem = fileName.contains(".") ? fileName.substring(0, fileName.lastIndexOf('.')) : fileName;
        return EVALUATION + "/" + stem + "_evaluation.csv";
    }

    /**
     * The per-question evaluation table of a sheet that lands in Results, when the evaluation asks
     * for one (enable_evaluation_table_to_csv); null otherwise.
     */
    public static byte[] evaluationCsv(FolderConfig folder, SheetResult r) {
        if (folder.evaluation == null || !folder.evaluation.enableEvaluationTableToCsv || r.explanation.isEmpty()
                || !destination(folder, r).equals(RESULTS)) {
            return null;
        }
        boolean section = folder.evaluation.hasNonDefaultSection;
        StringBuilder w = new StringBuilder();
        List<String> h = new ArrayList<>(List.of("Question", "Marked", "Answer(s)", "Verdict", "Delta", "Score"));
        if (section) {
            h.add("Section");
        }
        w.append(CsvCells.quoteAll(h));
        for (EvaluationConfig.ExplanationRow e : r.explanation) {
            List<String> c = new ArrayList<>(List.of(e.question(), e.marked(), e.answer(), e.verdict(), e.delta(), e.score()));
            if (section) {
                c.add(e.section());
            }
            w.append(CsvCells.quoteAll(c));
        }
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }
}
