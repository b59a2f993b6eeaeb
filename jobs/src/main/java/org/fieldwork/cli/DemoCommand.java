package org.fieldwork.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.run.RunSummary;
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
        SparkSession session = FieldworkSpark.session("fieldwork demo", spark);
        try {
            lines.add(new Line("seismic (SEG-Y import)", seismic(session, inputs, outputs.resolve("seismic"))));
        } finally {
            session.stop();
        }

        System.out.println();
        System.out.println("Fieldwork demo on " + session.sparkContext().master() + ":");
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
        System.out.println("Query the outputs, e.g.:");
        System.out.println("  submit/fieldwork sql \"SELECT * FROM parquet.`" + outputs.resolve("seismic").resolve("gathers.parquet")
                + "` LIMIT 5\"");
        return failed > 0 ? 1 : lines.stream().anyMatch(l -> l.summary().cancelled()) ? 130 : 0;
    }

    private RunSummary seismic(SparkSession session, Path inputs, Path out) throws Exception {
        Path sgy = inputs.resolve("synthetic-shots.sgy");
        SyntheticSegy synth = new SyntheticSegy(traces, 1000, 48, 96, SampleFormat.IBM_FLOAT32, 42);
        if (!Files.exists(sgy) || Files.size(sgy) != synth.fileSize()) {
            System.err.printf("demo: writing %s (%.0f MB)%n", sgy, synth.fileSize() / 1e6);
            synth.write(sgy);
        }
        SegyImportSettings settings = new SegyImportSettings(sgy.toString(), "fldr", null,
                SegyImportSettings.DEFAULT_MAX_PROBE, "zstd", null, SegyImportSettings.DEFAULT_SMALL_FILE_BYTES);
        return JobLauncher.run(session, spark, out.toString(), new SegyImportJob(settings, true), System.err);
    }
}
