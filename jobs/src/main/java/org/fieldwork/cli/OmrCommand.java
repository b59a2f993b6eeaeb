package org.fieldwork.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fieldwork.omr.OmrJob;
import org.fieldwork.omr.OmrSettings;
import org.fieldwork.omr.SheetFacts;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork omr`: bubble sheets from OMRChecker template folders. */
@Command(name = "omr", mixinStandardHelpOptions = true,
        description = {"Reads bubble sheets from folders prepared for OMRChecker (template.json, config.json,",
            "evaluation.json and marker images, inherited by subfolders), one Spark task per sheet. For every",
            "input folder with sheets, OUT/<folder>/ gets OMRChecker's files, rows in input order:",
            "  Results/Results.csv, Manual/MultiMarkedFiles.csv, Manual/ErrorFiles.csv, Evaluation/<sheet>_evaluation.csv",
            "plus OUT/results.parquet for the whole run: folder, file_id, input_path, sheet_index, destination,",
            "score, multi_marked, error, answers (map), confidence (map, gray levels between the nearest bubble",
            "and the threshold per field), min_confidence.",
            "Stage images (OUT/<folder>/Stages/<sheet>/) are written up to each config's outputs.show_image_level.",
            "Re-running the same command skips sheets already read with the same configuration, unless their",
            "file changed; unreadable sheets (ErrorFiles) are failed units, read again by the next run."})
final class OmrCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "Input folder (local or s3a://) holding template.json and sheets, or folders of them.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output folder, local or s3a://.")
    String output;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "At most N sheets at once (1: sequential). Default: one task per sheet, as many at once as Spark has cores.")
    int workers;

    @Option(names = "--save-images", description = "Write each sheet with its bubbles drawn to OUT/<folder>/CheckedOMRs/ (the CSVs' output_path).")
    boolean saveImages;

    @Option(names = "--image-level", paramLabel = "LEVEL",
            description = "Stage images up to LEVEL for every folder, instead of the configs' outputs.show_image_level"
                    + " (0: none; 1 input, 2 each pre-processor, 3 page and alignment, 4 bubbles read, 5 pre-processor detail).")
    Integer imageLevel;

    @Option(names = "--show", description = {"One sheet at a time, in input order: write its stage images (all levels unless"
            + " --image-level or the config says otherwise), print its answers and where the images are, and on a"
            + " terminal wait for Enter before the next sheet (q to stop)."})
    boolean show;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        OmrSettings settings = new OmrSettings(input, imageLevel, saveImages, show, workers);
        if (show) {
            run.noProgress = true;
        }
        return JobLauncher.run("fieldwork omr", spark, run, output, storage -> new OmrJob(settings),
                runner -> {
                    if (show) {
                        runner.withUnitListener(new SheetViewer(runner, System.out));
                    }
                });
    }

    /** --show: what each sheet gave, as it finishes, and a pause on a terminal. */
    static final class SheetViewer implements java.util.function.Consumer<UnitRecord<?>> {
        private final JobRunner runner;
        private final PrintStream out;
        /** Lines typed on the terminal, read by a daemon thread so that Ctrl-C is never stuck behind a read. */
        private final java.util.concurrent.BlockingQueue<String> typed = new java.util.concurrent.LinkedBlockingQueue<>();
        private final boolean terminal = System.console() != null;
        private int shown;

        SheetViewer(JobRunner runner, PrintStream out) {
            this.runner = runner;
            this.out = out;
            if (terminal) {
                Thread reader = new Thread(() -> {
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                    try {
                        for (String line; (line = in.readLine()) != null; ) {
                            typed.add(line);
                        }
                    } catch (java.io.IOException ignored) {
                        // the terminal went away: treated as q below
                    }
                    typed.add("q");
                }, "fieldwork-show-input");
                reader.setDaemon(true);
                reader.start();
            }
        }

        @Override
        public void accept(UnitRecord<?> r) {
            shown++;
            out.println(describe(shown, r));
            out.flush();
            if (!terminal) {
                return;
            }
            out.print("Enter: next sheet, q: stop > ");
            out.flush();
            try {
                String line = null;
                while (line == null && !runner.isCancelled()) {
                    line = typed.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                if (line != null && line.trim().equalsIgnoreCase("q")) {
                    runner.cancel();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                runner.cancel();
            }
        }

        static String describe(int n, UnitRecord<?> r) {
            StringBuilder sb = new StringBuilder();
            if (r.status() != UnitStatus.done || !(r.facts() instanceof SheetFacts f)) {
                sb.append("sheet ").append(n).append(": ").append(r.unit());
                sb.append("\n  FAILED: ").append(r.error() == null ? "" : r.error().lines().findFirst().orElse(""));
                return sb.toString();
            }
            sb.append("sheet ").append(n).append(": ").append(f.inputPath()).append(" -> ").append(f.destination());
            if (f.score() != null) {
                sb.append(", score ").append(f.score());
            }
            if (f.multiMarked()) {
                sb.append(", MULTI-MARKED");
            }
            sb.append("\n ");
            f.columns().forEach((k, v) -> sb.append(' ').append(k).append('=').append(v));
            f.confidence().entrySet().stream().min(Map.Entry.comparingByValue()).ifPresent(low ->
                    sb.append(String.format("%n  lowest confidence %.1f gray levels (%s)", low.getValue(), low.getKey())));
            List<String> images = r.outputs().stream().filter(p -> p.endsWith(".png") || p.endsWith(".jpg")).toList();
            if (!images.isEmpty()) {
                sb.append("\n  images:");
                images.forEach(p -> sb.append("\n    ").append(p));
            }
            return sb.toString();
        }
    }
}
