package org.fieldwork.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.fieldwork.io.ImageCodec;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.nd2.Nd2Writer;
import org.fieldwork.ecg.EcgJob;
import org.fieldwork.em.EmItemsTable;
import org.fieldwork.em.EmJob;
import org.fieldwork.em.EmSettings;
import org.fieldwork.em.EmSynth;
import org.fieldwork.em.PicksTable;
import org.fieldwork.em.SyntheticMovie;
import org.fieldwork.em.TruthScore;
import org.fieldwork.ecg.EcgLayout;
import org.fieldwork.ecg.EcgOp;
import org.fieldwork.ecg.EcgOptions;
import org.fieldwork.ecg.EcgRenderer;
import org.fieldwork.ecg.EcgResultsTable;
import org.fieldwork.ecg.EcgSettings;
import org.fieldwork.ecg.RenderedEcg;
import org.fieldwork.ecg.SignalScore;
import org.fieldwork.ecg.SignalsTable;
import org.fieldwork.ecg.SyntheticEcg;
import org.fieldwork.ecg.WfdbRecord;
import org.fieldwork.microscopy.MicroscopyJob;
import org.fieldwork.microscopy.MicroscopySettings;
import org.fieldwork.microscopy.SyntheticCellTruth;
import org.fieldwork.microscopy.SyntheticNd2;
import org.fieldwork.microscopy.SyntheticTimeLapse;
import org.fieldwork.microscopy.TraceTable;
import org.fieldwork.omr.CsvCells;
import org.fieldwork.omr.OmrJob;
import org.fieldwork.omr.OmrSettings;
import org.fieldwork.omr.ResultsCsv;
import org.fieldwork.omr.SyntheticSheets;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.SparkOnDemand;
import org.fieldwork.seismic.SampleFormat;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;
import org.fieldwork.seismic.SyntheticSegy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `fieldwork demo`: makes its own synthetic inputs and runs every pipeline on them, so a new user
 * sees the whole product work on a laptop with nothing set up.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generates synthetic inputs and runs every pipeline on embedded Spark, then prints a summary.",
            "Running it again resumes: finished units are skipped (use --fresh to start over)."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", defaultValue = "demo-out", description = "Folder for inputs and outputs. Default: ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--traces", defaultValue = "60000", description = "Traces in the synthetic SEG-Y file. Default: ${DEFAULT-VALUE}.")
    long traces;

    @Option(names = "--sheets", defaultValue = "240", description = "Synthetic answer sheets for OMR. Default: ${DEFAULT-VALUE}.")
    int sheets;

    @Option(names = "--fovs", defaultValue = "4", description = "Fields of view in the synthetic ND2 time lapse. Default: ${DEFAULT-VALUE}.")
    int fovs;

    @Option(names = "--ecg-pages", defaultValue = "12", description = "Synthetic 12-lead ECG printouts. Default: ${DEFAULT-VALUE}.")
    int ecgPages;

    @Option(names = "--em-movies", defaultValue = "4",
            description = "Synthetic electron-microscopy movies (2048x2048x40 at 1 e/px/frame). Default: ${DEFAULT-VALUE}.")
    int emMovies;

    @Option(names = "--fresh", description = "Delete earlier demo outputs first.")
    boolean fresh;

    @Mixin
    SparkOptions spark;

    private record Line(String pipeline, RunSummary summary) {
    }

    @Override
    public Integer call() throws Exception {
        Path inputs = out.resolve("inputs");
        Path outputs = out.resolve("outputs");
        if (fresh) {
            new OutputFiles(Storage.defaults()).deleteTree(outputs.toString());
        }
        Files.createDirectories(inputs);
        List<Line> lines = new ArrayList<>();
        SparkOnDemand session = FieldworkSpark.onDemand("fieldwork demo", spark);
        try {
            lines.add(new Line("seismic (SEG-Y import)", seismic(session, inputs, outputs.resolve("seismic"))));
            lines.add(new Line("OMR (bubble sheets)", omr(session, inputs, outputs.resolve("omr"))));
            lines.add(new Line("microscopy (ND2 traces)", microscopy(session, inputs, outputs.resolve("microscopy"))));
            lines.add(new Line("ECG images (digitized)", ecg(session, inputs, outputs.resolve("ecg"))));
            lines.add(new Line("EM movies (batch)", em(session, inputs, outputs.resolve("em"))));
        } finally {
            session.stop();
        }

        System.out.println();
        System.out.println("Fieldwork demo on " + FieldworkSpark.master(spark) + ":");
        int failed = 0;
        for (Line l : lines) {
            RunSummary s = l.summary();
            failed += s.unitsFailed();
            System.out.printf("  %-24s %4d units (%d done now, %d skipped, %d failed)  %8.1f MB/s  %,d %s  %s%n",
                    l.pipeline(), s.unitsTotal(), s.unitsDone(), s.unitsSkipped(), s.unitsFailed(), s.megabytesPerSecond(),
                    s.items(), s.itemName(), s.outputDir());
            if (s.merge() != null) {
                System.out.println("  " + " ".repeat(24) + " " + s.merge());
            }
            if (!s.kernelDevices().isEmpty()) {
                System.out.println("  " + " ".repeat(24) + " kernels ran on " + s.kernelDevices());
            }
        }
        for (String check : new String[] {omrCheck, microscopyCheck, ecgCheck, emCheck}) {
            if (check != null) {
                System.out.println("  " + " ".repeat(24) + " " + check);
            }
        }
        System.out.println("Query the outputs, e.g.:");
        System.out.println("  submit/fieldwork sql \"SELECT * FROM parquet.`" + outputs.resolve("seismic").resolve("gathers.parquet")
                + "` LIMIT 5\"");
        System.out.println("  submit/fieldwork sql \"SELECT file_id, score, min_confidence FROM parquet.`"
                + outputs.resolve("omr").resolve(OmrJob.RESULTS_TABLE) + "` ORDER BY min_confidence LIMIT 5\"");
        System.out.println("  submit/fieldwork sql \"SELECT fov, count(DISTINCT cell_id) AS cells, avg(intensity_mean) FROM parquet.`"
                + outputs.resolve("microscopy").resolve(MicroscopyJob.TRACES) + "` WHERE good GROUP BY fov ORDER BY fov\"");
        System.out.println("  submit/fieldwork sql \"SELECT path, px_per_mm, quality_pass, quality_failures FROM parquet.`"
                + outputs.resolve("ecg").resolve(EcgJob.RESULTS) + "`\"");
        System.out.println("  submit/fieldwork sql \"SELECT movie, defocus_u_um, defocus_v_um, motion_mean_px, particle_count FROM parquet.`"
                + outputs.resolve("em").resolve(EmJob.ITEMS) + "`\"");
        return failed > 0 ? 1 : lines.stream().anyMatch(l -> l.summary().cancelled()) ? 130 : 0;
    }

    private String omrCheck;

    private RunSummary omr(SparkOnDemand session, Path inputs, Path out) throws Exception {
        Path exam = inputs.resolve("omr-exam");
        List<SyntheticSheets.Sheet> truth = new SyntheticSheets(sheets, 42).truthIfWritten(exam);
        if (truth == null) {
            System.err.printf("demo: writing %d synthetic answer sheets to %s%n", sheets, exam);
            new OutputFiles(Storage.defaults()).deleteTree(exam.toString());
            truth = new SyntheticSheets(sheets, 42).write(exam);
        }
        RunSummary summary = JobLauncher.run(session, FieldworkSpark.storage(spark), new RunOptions(), out.toString(),
                new OmrJob(OmrSettings.of(exam.toString())), System.err);
        omrCheck = checkAnswers(truth, out.resolve(ResultsCsv.RESULTS));
        return summary;
    }

    /** The demo checks itself: the CSV's answers against the generator's truth. */
    private static String checkAnswers(List<SyntheticSheets.Sheet> truth, Path resultsCsv) throws java.io.IOException {
        if (!Files.exists(resultsCsv)) {
            return "no " + resultsCsv;
        }
        Map<String, List<String>> rows = new HashMap<>();
        for (CsvCells.Row row : CsvCells.read(Files.readString(resultsCsv))) {
            List<String> cells = row.cells();
            rows.put(cells.get(0), cells.subList(4, cells.size()));
        }
        int same = 0;
        for (SyntheticSheets.Sheet s : truth) {
            List<String> expected = new ArrayList<>();
            expected.add(s.roll());
            expected.addAll(s.answers().values());
            same += expected.equals(rows.get(s.fileName())) ? 1 : 0;
        }
        return String.format("answers equal the generator's for %d of %d sheets", same, truth.size());
    }

    private String microscopyCheck;

    private RunSummary microscopy(SparkOnDemand session, Path inputs, Path out) throws Exception {
        Path nd2 = inputs.resolve("microscopy-lapse.nd2");
        SyntheticTimeLapse.Parameters lapse = SyntheticTimeLapse.Parameters.builder().size(512, 512).frames(12).seed(42)
                .cellScale(0.7).build();
        List<SyntheticTimeLapse> truth = new ArrayList<>();
        for (int f = 0; f < fovs; f++) {
            truth.add(new SyntheticTimeLapse(lapse.toBuilder().fov(f).build()));
        }
        Path marker = inputs.resolve("microscopy-lapse.fovs");
        if (!Files.exists(nd2) || !Files.exists(marker) || !Files.readString(marker).equals(Integer.toString(fovs))) {
            System.err.printf("demo: writing %s (%d FOVs x 12 frames x 512x512, phase contrast + GFP)%n", nd2, fovs);
            SyntheticNd2.write(nd2, fovs, lapse, Nd2Writer.Compression.ZLIB);
            Files.writeString(marker, Integer.toString(fovs));
        }
        MicroscopySettings settings = MicroscopySettings.of(nd2.toString());
        RunSummary summary = JobLauncher.run(session, FieldworkSpark.storage(spark), new RunOptions(), out.toString(),
                new MicroscopyJob(settings), System.err);
        microscopyCheck = checkTraces(truth, out.resolve(MicroscopyJob.TRACES));
        return summary;
    }

    /** The demo checks itself: every traced cell against the generator's cell at its centroid. */
    private static String checkTraces(List<SyntheticTimeLapse> truth, Path table) throws java.io.IOException {
        if (!Files.exists(table)) {
            return "no " + table;
        }
        int rows = 0;
        int matched = 0;
        int within = 0;
        for (TraceTable.Row r : TraceTable.read(Storage.defaults(), table.toString())) {
            SyntheticTimeLapse lapse = truth.get(r.fov());
            int width = lapse.parameters().width();
            int id = lapse.labels(r.frame())[(int) Math.round(r.positionY()) * width + (int) Math.round(r.positionX())];
            rows++;
            for (SyntheticCellTruth c : lapse.truth(r.frame())) {
                if (c.id() == id) {
                    matched++;
                    within += Math.abs(r.intensityTotal() - c.intensityTotal()) <= 0.05 * c.intensityTotal() ? 1 : 0;
                }
            }
        }
        return String.format("traces: %d of %d cell-frames are a generated cell, %d within 5%% of its true intensity",
                matched, rows, within);
    }

    private String ecgCheck;

    /** A synthetic printout of the demo: its file, scale and rendering. */
    private record EcgPage(String file, WfdbRecord record, EcgRenderer.Options options) {
    }

    private RunSummary ecg(SparkOnDemand session, Path inputs, Path out) throws Exception {
        Path folder = inputs.resolve("ecg-printouts");
        List<EcgPage> pages = new ArrayList<>();
        double[] scales = {6, 8, 10};
        for (int i = 0; i < ecgPages; i++) {
            EcgRenderer.Options o = EcgRenderer.Options.clean(scales[i % scales.length]);
            o = switch (i % 4) {
                case 1 -> o.withBlur(1.0);
                case 2 -> o.withRotation(i % 8 == 2 ? 2 : -2);
                case 3 -> o.withJpeg(70);
                default -> o;
            };
            String name = String.format("ecg-%03d.%s", i, o.jpegQuality() > 0 ? "jpg" : "png");
            pages.add(new EcgPage(name, SyntheticEcg.record(name, 55 + 5 * i, 10, 500, i), o));
        }
        Path marker = folder.resolve(".pages");
        if (!Files.exists(marker) || !Files.readString(marker).equals(Integer.toString(ecgPages))) {
            System.err.printf("demo: writing %d synthetic 12-lead ECG printouts to %s%n", ecgPages, folder);
            new OutputFiles(Storage.defaults()).deleteTree(folder.toString());
            Files.createDirectories(folder);
            for (EcgPage p : pages) {
                RenderedEcg page = EcgRenderer.render(p.record(), EcgLayout.standard(), p.options());
                try {
                    String ext = p.file().substring(p.file().lastIndexOf('.'));
                    Files.write(folder.resolve(p.file()), ImageCodec.encode(page.image(), ext));
                } finally {
                    page.image().close();
                }
            }
            Files.writeString(marker, Integer.toString(ecgPages));
        }
        EcgOptions options = EcgOptions.DEFAULT.withOps(EcgOp.parseList("all,digitize"));
        RunSummary summary = JobLauncher.run(session, FieldworkSpark.storage(spark), new RunOptions(), out.toString(),
                new EcgJob(new EcgSettings(folder.toString(), options)), System.err);
        ecgCheck = checkEcg(pages, out);
        return summary;
    }

    /** The demo checks itself: the grid scale and each page's digitized leads against the generator's. */
    private static String checkEcg(List<EcgPage> pages, Path out) throws java.io.IOException {
        Path results = out.resolve(EcgJob.RESULTS);
        Path signals = out.resolve(EcgJob.SIGNALS);
        if (!Files.exists(results) || !Files.exists(signals)) {
            return "no " + results + " or " + signals;
        }
        Map<String, Double> scale = new HashMap<>();
        for (EcgResultsTable.Row r : EcgResultsTable.read(Storage.defaults(), results.toString())) {
            scale.put(r.path().substring(r.path().lastIndexOf('/') + 1), r.pxPerMm());
        }
        Map<String, Map<String, double[]>> digitized = new HashMap<>();
        for (org.fieldwork.ecg.DigitizedEcg.SignalRow r : SignalsTable.read(Storage.defaults(), signals.toString())) {
            digitized.computeIfAbsent(r.path().substring(r.path().lastIndexOf('/') + 1), k -> new HashMap<>())
                    .put(r.lead(), r.values());
        }
        int scaled = 0;
        List<Double> snr = new ArrayList<>();
        for (EcgPage p : pages) {
            Double found = scale.get(p.file());
            if (found != null && Math.abs(found - p.options().pxPerMm()) <= 0.02 * p.options().pxPerMm()) {
                scaled++;
            }
            Map<String, double[]> leads = digitized.get(p.file());
            if (leads != null) {
                snr.add(SignalScore.score(labels(p.record()), leads, p.record().sampleRateHz()).snrDb());
            }
        }
        snr.sort(null);
        return String.format(java.util.Locale.ROOT,
                "ECG: grid scale within 2%% of the truth on %d of %d pages; %d digitized, SNR median %.1f dB, worst %.1f dB",
                scaled, pages.size(), snr.size(), snr.isEmpty() ? Double.NaN : snr.get(snr.size() / 2),
                snr.isEmpty() ? Double.NaN : snr.get(0));
    }

    private String emCheck;

    private RunSummary em(SparkOnDemand session, Path inputs, Path out) throws Exception {
        Path folder = inputs.resolve("em-movies");
        Path marker = folder.resolve(".written");
        Map<String, SyntheticMovie.Truth> truth = new HashMap<>();
        String what = emMovies + " movies 2048x2048x40";
        boolean written = Files.exists(marker) && Files.readString(marker).equals(what);
        if (!written) {
            System.err.printf("demo: writing %d synthetic EM movies (2048x2048x40) to %s%n", emMovies, folder);
            new OutputFiles(Storage.defaults()).deleteTree(folder.toString());
            Files.createDirectories(folder);
        }
        for (int m = 0; m < emMovies; m++) {
            SyntheticMovie movie = new SyntheticMovie(EmSynth.spec(m, emMovies, 2048, 40, 0, 7));
            String name = String.format(java.util.Locale.ROOT, "movie_%03d.mrc", m);
            if (!written) {
                EmSynth.write(movie, folder.resolve(name), false);
            }
            truth.put(name, movie.truth());
        }
        Files.writeString(marker, what);
        RunSummary summary = JobLauncher.run(session, FieldworkSpark.storage(spark), new RunOptions(), out.toString(),
                new EmJob(EmSettings.defaults(List.of(folder.toString()))), System.err);
        emCheck = checkEm(truth, out);
        return summary;
    }

    /** The demo checks itself: drift, defocus and picks of every movie against the generator's truth. */
    private static String checkEm(Map<String, SyntheticMovie.Truth> truth, Path out) throws java.io.IOException {
        Path items = out.resolve(EmJob.ITEMS);
        Path picks = out.resolve(EmJob.PICKS);
        if (!Files.exists(items) || !Files.exists(picks)) {
            return "no " + items + " or " + picks;
        }
        Map<String, List<double[]>> found = new HashMap<>();
        for (PicksTable.Row p : PicksTable.read(Storage.defaults(), picks.toString())) {
            found.computeIfAbsent(p.movie(), k -> new ArrayList<>()).add(new double[] {p.xPx(), p.yPx()});
        }
        double worstDrift = 0;
        double worstDefocus = 0;
        TruthScore.Matching matching = new TruthScore.Matching(0, 0, 0);
        int scored = 0;
        for (EmItemsTable.Row r : EmItemsTable.read(Storage.defaults(), items.toString())) {
            SyntheticMovie.Truth t = truth.get(r.movie());
            if (t == null || r.defocusUUm() == null) {
                continue;
            }
            scored++;
            worstDrift = Math.max(worstDrift, TruthScore.driftRmsPx(t, r.shiftXPx(), r.shiftYPx()));
            worstDefocus = Math.max(worstDefocus, TruthScore.defocusError(t, r.defocusUUm(), r.defocusVUm()));
            matching = matching.plus(TruthScore.picking(t.particles(), found.getOrDefault(r.movie(), List.of()),
                    0.3 * 200 / t.pixelSizeA()));
        }
        return String.format(java.util.Locale.ROOT,
                "EM: %d of %d movies scored: drift RMS error worst %.3f px, defocus error worst %.2f%%,"
                        + " picking recall %.2f precision %.2f (%d particles)",
                scored, truth.size(), worstDrift, 100 * worstDefocus, matching.recall(), matching.precision(),
                matching.truths());
    }

    /** What each lead of the standard print shows: its panel's stretch of the record (lead II: the 10 s rhythm strip). */
    private static Map<String, double[]> labels(WfdbRecord record) {
        Map<String, double[]> labels = new HashMap<>();
        for (EcgLayout.Panel panel : EcgLayout.standard().panels()) {
            int from = (int) Math.round(panel.startSeconds() * record.sampleRateHz());
            int to = Math.min(record.length(), from + (int) Math.round(panel.seconds() * record.sampleRateHz()));
            double[] values = java.util.Arrays.copyOfRange(record.lead(panel.lead()), from, to);
            double[] kept = labels.get(panel.lead());
            if (kept == null || kept.length < values.length) {
                labels.put(panel.lead(), values);
            }
        }
        return labels;
    }

    private RunSummary seismic(SparkOnDemand session, Path inputs, Path out) throws Exception {
        Path sgy = inputs.resolve("synthetic-shots.sgy");
        SyntheticSegy synth = new SyntheticSegy(traces, 1000, 48, 96, SampleFormat.IBM_FLOAT32, 42);
        if (!Files.exists(sgy) || Files.size(sgy) != synth.fileSize()) {
            System.err.printf("demo: writing %s (%.0f MB)%n", sgy, synth.fileSize() / 1e6);
            synth.write(sgy);
        }
        SegyImportSettings settings = new SegyImportSettings(sgy.toString(), "fldr", null,
                SegyImportSettings.DEFAULT_MAX_PROBE, "zstd", null, SegyImportSettings.DEFAULT_SMALL_FILE_BYTES);
        return JobLauncher.run(session, FieldworkSpark.storage(spark), new RunOptions(), out.toString(),
                new SegyImportJob(settings, true), System.err);
    }
}
