package org.fieldwork.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.fieldwork.microscopy.CellClasses;
import org.fieldwork.microscopy.FovParameters;
import org.fieldwork.microscopy.MicroscopyJob;
import org.fieldwork.microscopy.MicroscopySettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork microscopy`: per-FOV cell traces from time-lapse ND2 / TIFF files. */
@Command(name = "microscopy", mixinStandardHelpOptions = true,
        description = {"Time-lapse microscopy, one Spark task per field of view (FOV), read straight from the file:",
            "phase contrast -> cell masks, fluorescence -> background-corrected, cells tracked -> per-cell traces.",
            "Per FOV, in OUT/fov_NNNN/ (OUT/<file>/fov_NNNN/ for a folder of files):",
            "  binarized.zarr                     uint8 0/1 masks, one frame per chunk (OME-Zarr: napari opens it)",
            "  fluorescence_corrected.zarr/<ch>/   float32 corrected fluorescence per channel (OME-Zarr)",
            "  traces.csv                         PyAMA's columns (traces_<ch>.csv for further channels)",
            "  traces.png, overlay_first.png, overlay_last.png   intensity over time; cell outlines",
            "For the run: OUT/traces.parquet (file, fov, cell_id, channel, frame, time_s, good, position_x,",
            "position_y, area, intensity_total, intensity_mean, parent_id) and OUT/experiment.json.",
            "Re-running the same command skips finished FOVs; failed ones, and those of a changed file, run again."})
final class MicroscopyCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "An ND2 or (OME-)TIFF file, or a folder of them; local or s3a://.")
    String input;

    @Parameters(index = "1", paramLabel = "OUT", description = "Output folder, local or s3a://.")
    String output;

    @Option(names = "--pc-channel", paramLabel = "NAME|INDEX",
            description = "The phase-contrast channel. Default: the channel named PC, Phase..., DIC, BF, Brightfield or Trans..., else channel 0.")
    String pcChannel;

    @Option(names = "--fl-channels", paramLabel = "NAMES", split = ",",
            description = "Fluorescence channels (names or indices, comma-separated). Default: every other channel.")
    List<String> flChannels;

    @Option(names = "--fovs", paramLabel = "LIST", description = "Which FOVs, e.g. 0-9,12. Default: all.")
    String fovs;

    @Option(names = "--method", defaultValue = "pyama", paramLabel = "pyama|fieldwork",
            description = {"pyama: PyAMA's algorithms exactly (traces start in frame 0 and must span every frame;",
                "divisions, merges and border contact drop a trace). fieldwork: the same outputs with a",
                "background fitted as a smooth surface that holds into the corners (no tiles), and lineages:",
                "traces start in any frame and a division gives two daughters with parent_id.",
                "Z-stacks: the first z plane is processed.",
                "Default: ${DEFAULT-VALUE}."})
    String method;

    @Option(names = "--mask-size", defaultValue = "3", description = "Window of the local standard deviation (odd). Default: ${DEFAULT-VALUE}.")
    int maskSize;

    @Option(names = "--div-horiz", defaultValue = "7", description = "Background tile divisions along x (pyama method). Default: ${DEFAULT-VALUE}.")
    int divHoriz;

    @Option(names = "--div-vert", defaultValue = "5", description = "Background tile divisions along y (pyama method). Default: ${DEFAULT-VALUE}.")
    int divVert;

    @Option(names = "--ignore-area", defaultValue = "300", paramLabel = "PX",
            description = "Regions of at most PX pixels are ignored. Default: ${DEFAULT-VALUE}.")
    int ignoreArea;

    @Option(names = "--good-area", defaultValue = "1000-10000", paramLabel = "MIN-MAX",
            description = "Area range of a good cell (which also must not touch the border). Default: ${DEFAULT-VALUE}.")
    String goodArea;

    @Option(names = "--min-trace-length", defaultValue = "3", paramLabel = "FRAMES",
            description = "Frames a track needs to be kept (fieldwork method). Default: ${DEFAULT-VALUE}.")
    int minTraceLength;

    @Option(names = "--extract-raw", description = "Also write the raw channels of each FOV as OUT/fov_NNNN/raw.zarr/<ch>/.")
    boolean extractRaw;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
            description = "At most N FOVs at once (1: sequential). Default: one task per FOV, as many at once as Spark has cores.")
    int workers;

    @Mixin
    RunOptions run;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        String[] good = goodArea.split("-");
        if (good.length != 2) {
            throw new IllegalArgumentException("--good-area " + goodArea + ": expected MIN-MAX, e.g. 1000-10000");
        }
        CellClasses classes;
        try {
            classes = new CellClasses(ignoreArea, Integer.parseInt(good[0].trim()), Integer.parseInt(good[1].trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--good-area " + goodArea + ": expected MIN-MAX, e.g. 1000-10000");
        }
        FovParameters parameters = new FovParameters(method, maskSize, divHoriz, divVert, classes, minTraceLength);
        MicroscopySettings settings = new MicroscopySettings(input, pcChannel, flChannels, fovs, parameters, extractRaw,
                workers);
        return JobLauncher.run("fieldwork microscopy", spark, run, output, storage -> new MicroscopyJob(settings));
    }
}
