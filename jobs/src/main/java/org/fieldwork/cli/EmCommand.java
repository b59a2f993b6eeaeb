package org.fieldwork.cli;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import org.fieldwork.em.EmJob;
import org.fieldwork.em.EmSettings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork em`: electron-microscopy movies in batch, and exports for RELION and cryoSPARC. */
@Command(name = "em", mixinStandardHelpOptions = true,
        description = "Electron-microscopy movies (MRC/MRCS, multi-page TIFF): motion correction, CTF, picking, export.",
        subcommands = {EmCommand.Batch.class, EmCommand.ExportParticles.class, EmCommand.ExportMicrographs.class,
            EmCommand.Synth.class})
public final class EmCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "batch", mixinStandardHelpOptions = true,
            description = {"Every movie below the folders given (*.mrc, *.mrcs, *.tif, *.tiff; all levels) through motion",
                "correction, CTF estimation and particle picking, one movie to a Spark task. PROCESSING gets",
                "items.parquet (one row per movie: movie, frames, width, height, pixel_size_a, shift_x_px, shift_y_px,",
                "motion_mean_px, defocus_u_um, defocus_v_um, astigmatism_angle_deg, phase_shift_pi, ctf_fit_resolution_a,",
                "particle_count, status, error), picks.parquet (movie, x_px, y_px, score), coordinates/<movie>_autopick.star,",
                "average/<movie>.mrc, thumbnails/<movie>_{spectrum,drift,picks}.png and WarpCore's processed_items.json",
                "(failed_items.json when a movie failed). Each step keeps the settings it ran with: re-running with",
                "changed settings redoes exactly the steps they affect (export whenever motion runs)."})
    static final class Batch implements Callable<Integer> {
        @Parameters(arity = "2..*", paramLabel = "MOVIES... PROCESSING",
                description = "Movie folders or files (local or s3a://), then the processing folder.")
        List<String> paths;

        @Option(names = "--steps", paramLabel = "LIST", defaultValue = "motion,ctf,picking,export",
                description = "Steps to run: motion, ctf, picking, export. Without motion, CTF and picking read the"
                        + " plain frame sum (a single-frame file is a micrograph). Default: ${DEFAULT-VALUE}.")
        String steps;

        @Option(names = "--pixel-size", paramLabel = "A", defaultValue = "0",
                description = "Pixel size in Å. Default: the movie's MRC header, else 1.35.")
        double pixelSize;

        @Option(names = "--voltage", paramLabel = "KV", defaultValue = "300", description = "Default: ${DEFAULT-VALUE}.")
        double voltage;

        @Option(names = "--cs", paramLabel = "MM", defaultValue = "2.7",
                description = "Spherical aberration. Default: ${DEFAULT-VALUE}.")
        double cs;

        @Option(names = "--amplitude-contrast", paramLabel = "FRACTION", defaultValue = "0.07",
                description = "Default: ${DEFAULT-VALUE}.")
        double amplitudeContrast;

        @Option(names = "--dose", paramLabel = "E_PER_A2_PER_FRAME", defaultValue = "0",
                description = "Exposure per frame for dose weighting of the average. Default: no dose weighting.")
        double dose;

        @Option(names = "--patches", paramLabel = "N", defaultValue = "0",
                description = "Local motion on an N x N grid of patches (5 as MotionCor2's 5x5); 0: global motion only."
                        + " Default: ${DEFAULT-VALUE}.")
        int patches;

        @Option(names = "--b-factor", paramLabel = "A2", defaultValue = "-500",
                description = "B-factor weighting of frames during alignment. Default: ${DEFAULT-VALUE}.")
        double bFactor;

        @Option(names = "--motion-range", paramLabel = "LOW-HIGH", defaultValue = "500-6",
                description = "Resolutions (Å) used for alignment. Default: ${DEFAULT-VALUE}.")
        String motionRange;

        @Option(names = "--ctf-window", paramLabel = "PX", defaultValue = "512",
                description = "Tile size of the CTF power spectrum. Default: ${DEFAULT-VALUE}.")
        int ctfWindow;

        @Option(names = "--ctf-range", paramLabel = "LOW-HIGH", defaultValue = "30-4",
                description = "Resolutions (Å) the CTF is fitted over. Default: ${DEFAULT-VALUE}.")
        String ctfRange;

        @Option(names = "--particle-diameter", paramLabel = "A", defaultValue = "200",
                description = "Particle diameter for picking. Default: ${DEFAULT-VALUE}.")
        double particleDiameter;

        @Option(names = "--pick-threshold", paramLabel = "SIGMA", defaultValue = "4",
                description = "Picks where the LoG response exceeds the background's mean by this many standard deviations."
                        + " Default: ${DEFAULT-VALUE}.")
        double pickThreshold;

        @Option(names = "--workers", paramLabel = "N", defaultValue = "0",
                description = "At most N movies at once (1: one at a time). Default: as many as Spark has cores.")
        int workers;

        @Mixin
        RunOptions run;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            List<String> inputs = paths.subList(0, paths.size() - 1);
            String output = paths.get(paths.size() - 1);
            double[] motion = range("--motion-range", motionRange);
            double[] ctf = range("--ctf-range", ctfRange);
            EmSettings settings = new EmSettings(List.copyOf(inputs), stepSet(steps), pixelSize, voltage, cs,
                    amplitudeContrast, dose, patches, bFactor, motion[0], motion[1], ctfWindow, ctf[0], ctf[1],
                    particleDiameter, pickThreshold, workers);
            return JobLauncher.run("fieldwork em batch", spark, run, output, storage -> new EmJob(settings));
        }
    }

    @Command(name = "export-particles", mixinStandardHelpOptions = true,
            description = {"The picked particles of a processing folder for RELION or cryoSPARC: each movie's particles",
                "boxed from its aligned average (background ramp removed, normalised, contrast inverted, as RELION",
                "extracts), OUT/particles/<movie>.mrcs, and OUT/particles.star (RELION 3.1: optics, image names,",
                "coordinates, defocus). One movie per Spark task; a re-run exports only what changed."})
    static final class ExportParticles implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PROCESSING", description = "A folder `fieldwork em batch` wrote.")
        String processing;

        @Parameters(index = "1", paramLabel = "OUT", description = "Where the stacks and particles.star go.")
        String out;

        @Option(names = "--box", paramLabel = "PX", defaultValue = "128", description = "Box size. Default: ${DEFAULT-VALUE}.")
        int box;

        @Option(names = "--no-normalize", description = "Keep the values as they are in the average.")
        boolean noNormalize;

        @Option(names = "--no-invert", description = "Keep the contrast (dark particles stay dark).")
        boolean noInvert;

        @Mixin
        RunOptions run;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            return JobLauncher.run("fieldwork em export-particles", spark, run, out,
                    storage -> new org.fieldwork.em.ParticleExportJob(processing, box, !noNormalize, !noInvert));
        }
    }

    @Command(name = "export-micrographs", mixinStandardHelpOptions = true,
            description = {"The aligned averages of a processing folder for downstream tools: copied to",
                "OUT/micrographs/<movie>.mrc (or, with --stack, stacked into OUT/micrographs.mrcs), and",
                "OUT/micrographs.star (RELION 3.1's micrographs_ctf.star: optics, name, defocus, fit resolution)."})
    static final class ExportMicrographs implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "PROCESSING", description = "A folder `fieldwork em batch` wrote.")
        String processing;

        @Parameters(index = "1", paramLabel = "OUT", description = "Where the micrographs and micrographs.star go.")
        String out;

        @Option(names = "--stack", description = "One MRCS stack of every average (one size) instead of one file each.")
        boolean stack;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            System.err.println("fieldwork em export-micrographs: " + org.fieldwork.em.MicrographExport.run(
                    FieldworkSpark.storage(spark), processing, out, stack));
            return 0;
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Writes synthetic movies with known drift, CTF and particles (for trying the pipeline,",
                "the demo and the benchmark): FOLDER/movie_NNN.mrc (or .tif) and FOLDER/movie_NNN.truth.json",
                "(shiftX, shiftY per frame relative to frame 0, defocusUUm, defocusVUm, astigmatismAngleDeg,",
                "particles, pixelSizeA, dose). Defocus runs from 1.0 to 2.5 µm across the movies."})
    static final class Synth implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FOLDER", description = "Where the movies go (local).")
        java.nio.file.Path folder;

        @Option(names = "--movies", paramLabel = "N", defaultValue = "4", description = "Default: ${DEFAULT-VALUE}.")
        int movies;

        @Option(names = "--size", paramLabel = "PX", defaultValue = "1024",
                description = "Frame width and height. Default: ${DEFAULT-VALUE}.")
        int size;

        @Option(names = "--frames", paramLabel = "N", defaultValue = "20", description = "Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--particles", paramLabel = "N", defaultValue = "0",
                description = "Particles per movie. Default: as many as 200 Å particles pack sparsely (12 per 1024^2).")
        int particles;

        @Option(names = "--format", paramLabel = "mrc|tiff", defaultValue = "mrc",
                description = "MRC (int16 counts) or multi-page TIFF (uint16). Default: ${DEFAULT-VALUE}.")
        String format;

        @Option(names = "--seed", defaultValue = "1", description = "Default: ${DEFAULT-VALUE}.")
        long seed;

        @Override
        public Integer call() throws Exception {
            if (movies < 1 || size < 64 || frames < 1) {
                throw new IllegalArgumentException("--movies must be at least 1, --size at least 64, --frames at least 1");
            }
            boolean tiff = switch (format.toLowerCase(java.util.Locale.ROOT)) {
                case "mrc" -> false;
                case "tif", "tiff" -> true;
                default -> throw new IllegalArgumentException("--format must be mrc or tiff, got '" + format + "'");
            };
            java.nio.file.Files.createDirectories(folder);
            for (int m = 0; m < movies; m++) {
                String name = String.format(java.util.Locale.ROOT, "movie_%03d", m);
                org.fieldwork.em.SyntheticMovie movie = new org.fieldwork.em.SyntheticMovie(org.fieldwork.em.EmSynth.spec(m, movies, size,
                        frames, particles, seed));
                org.fieldwork.em.EmSynth.write(movie, folder.resolve(name + (tiff ? ".tif" : ".mrc")), tiff);
                java.nio.file.Files.writeString(folder.resolve(name + ".truth.json"), movie.truthJson());
                System.err.printf("em synth: %s (%dx%dx%d, defocus %.2f/%.2f µm, %d particles)%n", name, size, size, frames,
                        movie.truth().defocusUUm(), movie.truth().defocusVUm(), movie.truth().particles().size());
            }
            return 0;
        }
    }

    static Set<String> stepSet(String list) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : list.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim().toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }

    static double[] range(String option, String value) {
        String[] parts = value.split("-");
        try {
            if (parts.length == 2) {
                return new double[] {Double.parseDouble(parts[0].trim()), Double.parseDouble(parts[1].trim())};
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException(option + " must be LOW-HIGH in Å, e.g. 30-4; got '" + value + "'");
    }
}
