package org.fieldwork.cli;

import java.util.concurrent.Callable;

import org.fieldwork.io.Storage;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork segy`: SEG-Y import and merge. */
@Command(name = "segy", mixinStandardHelpOptions = true,
        description = "SEG-Y to Zarr (samples) and Parquet (headers), in parallel gather-aligned segments.",
        subcommands = {SegyCommand.Import.class, SegyCommand.Merge.class, SegyCommand.Synth.class})
public final class SegyCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Imports a SEG-Y file, or every *.sgy/*.segy in a folder (one dataset per file), into",
                "  OUT/traces.zarr    float32 [traces, samples], chunks of whole traces",
                "  OUT/headers.parquet every trace header field (segyio names), trace_index, segment_id, gather_id",
                "  OUT/gathers.parquet gather_id, key value, first_trace, trace_count (with --ensemble-key)",
                "  OUT/segy.json      text and binary headers, format, byte order, sample interval, counts",
                "Re-running the same command skips finished segments; failed ones, and those of a file that changed",
                "since, run again."})
    static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IN", description = "SEG-Y file or folder, local or s3a://.")
        String input;

        @Parameters(index = "1", paramLabel = "OUT", description = "Output folder, local or s3a://.")
        String output;

        @Option(names = "--ensemble-key", paramLabel = "KEY",
                description = "Gather key: cdp, fldr, inline, crossline, any segyio trace field name, or BYTE:WIDTH"
                        + " (e.g. 189:4). Segments never split a gather. Default: none (even split).")
        String ensembleKey;

        @Option(names = "--segments", paramLabel = "N",
                description = "Segments per file. Default: twice the cluster's cores, shared among files by size.")
        Integer segments;

        @Option(names = "--max-probe", paramLabel = "TRACES", defaultValue = "" + SegyImportSettings.DEFAULT_MAX_PROBE,
                description = "How far from a raw split to look for a gather start (headers read per split)."
                        + " Default: ${DEFAULT-VALUE}.")
        int maxProbe;

        @Option(names = "--compression", defaultValue = "zstd", paramLabel = "zstd|zstd-always|zlib|none[:LEVEL]",
                description = "Zarr chunk compression. zstd stores a chunk it would shrink by less than an eighth "
                        + "as a raw zstd frame; zstd-always compresses every chunk. Default: ${DEFAULT-VALUE}.")
        String compression;

        @Option(names = "--chunk-traces", paramLabel = "T",
                description = "Traces per Zarr chunk. Default: about 4 MB of samples per chunk.")
        Integer chunkTraces;

        @Option(names = "--small-file-mb", paramLabel = "MB", defaultValue = "64",
                description = "Files below this size are one segment. Default: ${DEFAULT-VALUE}.")
        long smallFileMb;

        @Option(names = "--no-merge", description = "Stop after the segments; run `fieldwork segy merge OUT` later.")
        boolean noMerge;

        @Mixin
        RunOptions run;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            SegyImportSettings s = new SegyImportSettings(input, ensembleKey, segments, maxProbe, compression, chunkTraces,
                    smallFileMb << 20);
            s.validate();
            return JobLauncher.run("fieldwork segy import", spark, run, output, storage -> new SegyImportJob(s, !noMerge));
        }
    }

    @Command(name = "merge", mixinStandardHelpOptions = true,
            description = "Finishes an import run with --no-merge (or one whose merge was interrupted):"
                    + " segments still missing are imported first, then the datasets are merged.")
    static final class Merge implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "OUT", description = "The import's output folder.")
        String output;

        @Mixin
        RunOptions run;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            return JobLauncher.run("fieldwork segy merge", spark, run, output, storage ->
                    new SegyImportJob(load(storage, output), true));
        }

        private static SegyImportSettings load(Storage storage, String output) {
            try {
                return SegyImportJob.storedSettings(storage, output);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException(output + ": cannot read the import settings: " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = "Writes a synthetic SEG-Y file (shot gathers keyed by FieldRecord) for trying things out and benchmarks.")
    static final class Synth implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Local file to write.")
        java.nio.file.Path file;

        @Option(names = "--traces", defaultValue = "10000", description = "Number of traces. Default: ${DEFAULT-VALUE}.")
        long traces;

        @Option(names = "--samples", defaultValue = "1000", description = "Samples per trace. Default: ${DEFAULT-VALUE}.")
        int samples;

        @Option(names = "--gather", defaultValue = "48:96", paramLabel = "MIN:MAX",
                description = "Traces per shot gather, drawn between MIN and MAX. Default: ${DEFAULT-VALUE}.")
        String gather;

        @Option(names = "--format", defaultValue = "1", description = "Sample format code: 1 (IBM float), 3 (int16), 5 (IEEE float). Default: ${DEFAULT-VALUE}.")
        int format;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() throws Exception {
            String[] g = gather.split(":");
            int min = Integer.parseInt(g[0]);
            int max = g.length > 1 ? Integer.parseInt(g[1]) : min;
            org.fieldwork.seismic.SyntheticSegy synth = new org.fieldwork.seismic.SyntheticSegy(traces, samples, min, max,
                    org.fieldwork.seismic.SampleFormat.fromCode(format), seed);
            synth.write(file);
            System.out.printf("wrote %s: %d traces x %d samples, %.1f MB%n", file, traces, samples, synth.fileSize() / 1e6);
            return 0;
        }
    }
}
