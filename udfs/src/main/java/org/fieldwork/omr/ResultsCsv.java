package org.fieldwork.omr;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one folder's outputs in OMRChecker's layout, rows in the order they are appended (callers
 * append in input order): {@code Results/Results.csv}, {@code Manual/MultiMarkedFiles.csv},
 * {@code Manual/ErrorFiles.csv}, and {@code Evaluation/<stem>_evaluation.csv} per sheet when the
 * evaluation asks for it (enable_evaluation_table_to_csv). Every field is quoted; the header is
 * file_id, input_path, output_path, score, then the output columns.
 */
public final class ResultsCsv implements Closeable {
    public static final String RESULTS = "Results/Results.csv";
    public static final String MULTI_MARKED = "Manual/MultiMarkedFiles.csv";
    public static final String ERRORS = "Manual/ErrorFiles.csv";

    private final Path outDir;
    private final FolderConfig folder;
    private final Writer results;
    private final Writer multiMarked;
    private final Writer errors;

    private ResultsCsv(Path outDir, FolderConfig folder) throws IOException {
        this.outDir = outDir;
        this.folder = folder;
        this.results = open(outDir.resolve(RESULTS));
        this.multiMarked = open(outDir.resolve(MULTI_MARKED));
        this.errors = open(outDir.resolve(ERRORS));
        String header = CsvCells.quoteAll(header(folder.template));
        results.write(header);
        multiMarked.write(header);
        errors.write(header);
    }

    /** Creates the three CSV files (replacing old ones) with their header rows. */
    public static ResultsCsv open(Path outDir, FolderConfig folder) throws IOException {
        return new ResultsCsv(outDir, folder);
    }

    /** Writes all of a folder's results, given in input order. */
    public static void write(Path outDir, FolderConfig folder, List<SheetResult> inInputOrder) throws IOException {
        try (ResultsCsv csv = open(outDir, folder)) {
            for (SheetResult r : inInputOrder) {
                csv.append(r);
            }
        }
    }

    private static Writer open(Path p) throws IOException {
        Files.createDirectories(p.getParent());
        return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
    }

    public static List<String> header(SheetTemplate template) {
        List<String> h = new ArrayList<>(List.of("file_id", "input_path", "output_path", "score"));
        h.addAll(template.outputColumns);
        return h;
    }

    /** Appends one sheet's row to the file it belongs in. */
    public void append(SheetResult r) throws IOException {
        if (r.isError()) {
            errors.write(row(r, outDir.resolve("Manual/ErrorFiles").resolve(r.fileName), "NA"));
        } else if (r.multiMarked && folder.config.filterOutMultimarkedFiles) {
            multiMarked.write(row(r, outDir.resolve("Manual/MultiMarkedFiles").resolve(r.fileName), "NA"));
        } else {
            results.write(row(r, outDir.resolve("CheckedOMRs").resolve(r.fileName), r.scoreText()));
            if (folder.evaluation != null && folder.evaluation.enableEvaluationTableToCsv && !r.explanation.isEmpty()) {
                writeEvaluation(r);
            }
        }
    }

    private static String row(SheetResult r, Path outputPath, String score) {
        List<String> cells = new ArrayList<>(List.of(r.fileName, r.inputPath, outputPath.toString(), score));
        cells.addAll(r.values());
        return CsvCells.quoteAll(cells);
    }

    private void writeEvaluation(SheetResult r) throws IOException {
        String stem = r.fileName.contains(".") ? r.fileName.substring(0, r.fileName.lastIndexOf('.')) : r.fileName;
        Path p = outDir.resolve("Evaluation").resolve(stem + "_evaluation.csv");
        boolean section = folder.evaluation.hasNonDefaultSection;
        try (Writer w = open(p)) {
            List<String> h = new ArrayList<>(List.of("Question", "Marked", "Answer(s)", "Verdict", "Delta", "Score"));
            if (section) {
                h.add("Section");
            }
            w.write(CsvCells.quoteAll(h));
            for (EvaluationConfig.ExplanationRow e : r.explanation) {
                List<String> c = new ArrayList<>(List.of(e.question(), e.marked(), e.answer(), e.verdict(), e.delta(), e.score()));
                if (section) {
                    c.add(e.section());
                }
                w.write(CsvCells.quoteAll(c));
            }
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Writer w : List.of(results, multiMarked, errors)) {
            try {
                w.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
