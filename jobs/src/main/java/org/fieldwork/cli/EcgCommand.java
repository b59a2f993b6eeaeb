package org.fieldwork.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fieldwork.ecg.ColorSeparation;
import org.fieldwork.ecg.EcgFunctionTester;
import org.fieldwork.ecg.EcgJob;
import org.fieldwork.ecg.EcgOp;
import org.fieldwork.ecg.EcgOptions;
import org.fieldwork.ecg.EcgSettings;
import org.fieldwork.ecg.EdgeMethod;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.run.InputFiles;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork ecg`: ECG paper images in bulk; `fieldwork ecg test`: one function over many images. */
@Command(name = "ecg", mixinStandardHelpOptions = true, subcommands = EcgCommand.Test.class,
        description = {"ECG paper images (scans, photos, renders) in bulk, many images to a Spark task:",
            "edges, content crop, trace/grid colour separation, grid spacing, quality gates, digitized leads.",
            "OUT/results.parquet, one row per image in input order: path, width, height, content_x, content_y,",
            "content_w, content_h, grid_color, grid_fine_px, grid_bold_px, grid_lines_h, grid_lines_v, px_per_mm,",
            "blur_score, dpi, contrast, quality_pass, quality_failures (array), device, error.",
            "--ops digitize: OUT/signals.parquet (path, lead, sample_rate_hz, values in mV), the 12 leads of the",
            "standard 3x4 + rhythm (II) print at 25 mm/s and 10 mm/mV.",
            "--save-images: OUT/images/<image>/{edges,crop,trace,grid}.png.",
            "Images are decoded by content (PNG, JPEG, WebP, TIFF, BMP); one that cannot be decoded is a failed",
            "image with its reason, the others finish. Re-running the same command skips finished images;",
            "failed ones, and those whose file changed, run again. A folder is searched at all levels."})
final class EcgCommand implements Callable<Integer> {
    // Checked in call(): a required list here would also be required of `ecg test`.
    @Parameters(arity = "0..*", paramLabel = "IN... OUT",
            description = "Image files and folders (local or s3a://bucket/prefix), then the output folder (local or s3a://).")
    List<String> paths;

    @Option(names = "--ops", paramLabel = "LIST", defaultValue = "edges,crop,color,grid,quality",
            description = "What to compute: edges, crop, color, grid, quality, digitize, or all (every op but digitize);"
                    + " an op brings what it builds on. Default: ${DEFAULT-VALUE}.")
    String ops;

    @Mixin
    Methods methods;

    @Option(names = "--padding", paramLabel = "PX", defaultValue = "10",
            description = "Pixels around the content box in the crop. Default: ${DEFAULT-VALUE}.")
    int padding;

    @Option(names = "--sample-rate", paramLabel = "HZ", defaultValue = "500",
            description = "Sample rate of digitized leads. Default: ${DEFAULT-VALUE}.")
    double sampleRate;

    @Option(names = "--save-images", description = "Write OUT/images/<image>/{edges,crop,trace,grid}.png.")
    boolean saveImages;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "At most N images at once (1: one at a time). Default: images packed into tasks by size, as many at once as Spark has cores.")
    int workers;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        if (paths == null || paths.size() < 2) {
            throw new IllegalArgumentException("give the images (folders, files or s3a:// prefixes) and then the output folder,"
                    + " e.g. fieldwork ecg scans/ results/");
        }
        List<String> inputs = paths.subList(0, paths.size() - 1);
        String output = paths.get(paths.size() - 1);
        EcgOptions options = options(ops, methods, padding, saveImages, sampleRate);
        EcgSettings settings = new EcgSettings(List.copyOf(inputs), options, workers);
        return JobLauncher.run("fieldwork ecg", spark, run, output, storage -> new EcgJob(settings));
    }

    /** The edge and colour methods, the same options for the job and the tester. */
    static final class Methods {
        @Option(names = "--method", paramLabel = "canny|sobel|laplacian|contour", defaultValue = "canny",
                description = {"Edge map (and so content box): canny with median-derived thresholds, closed and dilated;",
                    "sobel or laplacian magnitude above its 90th percentile; contour = Otsu threshold. Default: ${DEFAULT-VALUE}."})
        String method;

        @Option(names = "--color-method", paramLabel = "lab|hsv", defaultValue = "lab",
                description = "Colour space that separates trace and grid. Default: ${DEFAULT-VALUE}.")
        String colorMethod;
    }

    static EcgOptions options(String ops, Methods methods, int padding, boolean images, double rate) {
        return new EcgOptions(EcgOp.parseList(ops), EdgeMethod.parse(methods.method),
                ColorSeparation.Method.parse(methods.colorMethod),
                padding, images, rate);
    }

    @Command(name = "test", mixinStandardHelpOptions = true,
            description = {"Runs one processing function over every image in a folder (all levels) on this machine,",
                "N threads at once, and prints a JSON summary: images, successes, failures with their errors,",
                "decode and function time percentiles (ms), images per second, the kernel device, each image's result."})
    static final class Test implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "A folder of images (or one image), local or s3a://.")
        String folder;

        @Option(names = "--function", required = true,
                paramLabel = "grayscale|edges|content_box|crop|color|grid|quality|digitize|all",
                description = "The function to run (all: edges, crop, colour, grid and quality together).")
        String function;

        @Mixin
        Methods methods;

        @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
                description = "Images at once. Default: one per core.")
        int threads;

        @Option(names = "--output", paramLabel = "FILE", description = "Write the JSON here instead of standard output.")
        Path output;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            EcgFunctionTester.Function f = EcgFunctionTester.Function.parse(function);
            EcgOptions options = options("all", methods, 10, false, 500);
            if (threads < 0) {
                throw new IllegalArgumentException("--threads must not be negative, got " + threads);
            }
            FieldworkSpark.useKernels(spark);
            Storage storage = FieldworkSpark.storage(spark);
            OutputFiles files = new OutputFiles(storage);
            List<EcgFunctionTester.Input> inputs = new ArrayList<>();
            for (InputFiles.Found found : InputFiles.tree(storage, List.of(folder), EcgJob.IMAGE_SUFFIXES, "image", null)) {
                inputs.add(new EcgFunctionTester.Input(found.location(), () -> {
                    try {
                        return files.read(found.location());
                    } catch (IOException e) {
                        throw new UncheckedIOException(found.location() + ": cannot read: " + e.getMessage(), e);
                    }
                }));
            }
            int n = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
            Map<String, Object> summary = EcgFunctionTester.run(f, inputs, options, n);
            String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(summary);
            if (output != null) {
                Files.writeString(output, json + "\n", StandardCharsets.UTF_8);
                System.err.printf("%s over %d images: %s ok, %d failed; %s%n", f.label(), inputs.size(),
                        summary.get("successes"), ((List<?>) summary.get("failures")).size(), output);
            } else {
                System.out.println(json);
            }
            return ((List<?>) summary.get("failures")).isEmpty() ? 0 : 1;
        }
    }
}
