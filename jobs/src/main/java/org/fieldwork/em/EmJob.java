package org.fieldwork.em;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcReader;
import org.fieldwork.io.mrc.MrcWriter;
import org.fieldwork.run.FftThreads;
import org.fieldwork.run.InputFiles;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.Step;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.UnitStatus;

/**
 * Electron-microscopy movies in batch, one movie per unit, through four steps with settings of
 * their own: motion (aligned sum, shifts), export (average/&lt;key&gt;.mrc and the drift plot),
 * ctf and picking (both on the aligned sum). A re-run redoes in each movie exactly the steps whose
 * settings changed, and export whenever motion runs. The merge writes items.parquet, picks.parquet
 * and WarpCore's processed_items.json / failed_items.json.
 */
public final class EmJob implements UnitJob<MovieUnit, Void, EmFacts> {
    private static final long serialVersionUID = 1L;

    public static final String ITEMS = EmItemsTable.FILE;
    public static final String PICKS = PicksTable.FILE;
    public static final String AVERAGE = "average";
    public static final String THUMBNAILS = "thumbnails";
    public static final String COORDINATES = "coordinates";
    static final String PICK_PARTS = "_picks";
    public static final List<String> MOVIE_SUFFIXES = List.of(".mrc", ".mrcs", ".tif", ".tiff");

    private final EmSettings settings;

    public EmJob(EmSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "em";
    }

    @Override
    public String itemName() {
        return "movies";
    }

    @Override
    public Class<EmFacts> factsType() {
        return EmFacts.class;
    }

    @Override
    public Map<String, String> settings() {
        return settings.describe();
    }

    @Override
    public List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        boolean motion = settings.runs(EmSettings.MOTION);
        String[] usesMotion = motion ? new String[] {EmSettings.MOTION} : new String[0];
        if (motion) {
            steps.add(Step.of(EmSettings.MOTION, settings.motionSettings()));
        }
        if (settings.runs(EmSettings.EXPORT)) {
            steps.add(Step.of(EmSettings.EXPORT, settings.exportSettings(), usesMotion));
        }
        if (settings.runs(EmSettings.CTF)) {
            steps.add(Step.of(EmSettings.CTF, settings.ctfSettings(), usesMotion));
        }
        if (settings.runs(EmSettings.PICKING)) {
            steps.add(Step.of(EmSettings.PICKING, settings.pickingSettings(), usesMotion));
        }
        return steps;
    }

    /** A movie is seconds to minutes of compute: never keep one on the driver of a cluster run. */
    @Override
    public long driverThresholdBytes() {
        return 0;
    }

    @Override
    public int maxConcurrentUnits() {
        return settings.workers();
    }

    /** A movie that failed is a row with its error; the others' results are still written. */
    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    @Override
    public Plan<MovieUnit, Void> plan(RunContext run) throws Exception {
        List<InputFiles.Found> found = InputFiles.tree(run.storage(), settings.inputs(), MOVIE_SUFFIXES,
                "movie (*.mrc, *.mrcs, *.tif, *.tiff)", run.outputDir());
        List<String> keys = InputFiles.keys(found);
        List<MovieUnit> units = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            InputFiles.Found f = found.get(i);
            String name = f.relative().substring(f.relative().lastIndexOf('/') + 1);
            units.add(new MovieUnit(f.location(), name, keys.get(i), f.bytes(), f.version()));
        }
        return Plan.of(units, null);
    }

    /** Before movies are redone, the run's tables stop being published: the merge writes them again. */
    @Override
    public List<MovieUnit> beforeUnits(RunContext run, Plan<MovieUnit, Void> plan, List<MovieUnit> todo) throws Exception {
        if (!todo.isEmpty()) {
            OutputFiles files = new OutputFiles(run.storage());
            files.deleteTree(Storage.join(run.outputDir(), ITEMS));
            files.deleteTree(Storage.join(run.outputDir(), PICKS));
        }
        return todo;
    }

    @Override
    public UnitResult<EmFacts> process(MovieUnit unit, Void plan, UnitContext<EmFacts> ctx) throws Exception {
        FftThreads.onePerUnit();
        OutputFiles files = new OutputFiles(ctx.storage());
        EmFacts before = ctx.previous() == null ? null : ctx.previous().facts();
        String averagePath = Storage.join(ctx.outputDir(), AVERAGE + "/" + unit.key() + ".mrc");
        List<String> outputs = new ArrayList<>();
        try (MovieFrames movie = Movies.open(ctx.storage(), unit.location())) {
            ctx.addBytes(unit.bytes());
            double pixel = settings.pixelSizeFor(movie.pixelSizeA());
            MovieSteps steps = new MovieSteps(settings, movie, pixel);

            List<Double> shiftX = null;
            List<Double> shiftY = null;
            Double motionMean = null;
            if (settings.runs(EmSettings.MOTION)) {
                if (ctx.runs(EmSettings.MOTION)) {
                    steps.correctMotion();
                    ctx.count("step motion", 1);
                } else {
                    steps.keepMotion(before.shiftXPx(), before.shiftYPx());
                }
                shiftX = steps.shiftX();
                shiftY = steps.shiftY();
                motionMean = steps.motionMeanPx();
            }
            if (settings.runs(EmSettings.EXPORT)) {
                if (ctx.runs(EmSettings.EXPORT)) {
                    files.writeAtomically(averagePath, MrcWriter.encode(steps.average(() -> null), movie.width(),
                            movie.height(), MrcMode.FLOAT32, pixel));
                    if (shiftX != null) {
                        files.writeAtomically(thumbnail(ctx, unit, "drift"), EmPictures.drift(floats(shiftX), floats(shiftY)));
                    }
                    ctx.count("step export", 1);
                }
                outputs.add(averagePath);
            }
            Double du = null;
            Double dv = null;
            Double angle = null;
            Double phase = null;
            Double resolution = null;
            if (settings.runs(EmSettings.CTF)) {
                if (ctx.runs(EmSettings.CTF)) {
                    CtfFit fit = steps.estimateCtf(() -> readAverage(ctx.storage(), averagePath));
                    du = fit.defocusUUm();
                    dv = fit.defocusVUm();
                    angle = fit.astigmatismAngleDeg();
                    phase = fit.phaseShiftPi();
                    resolution = finite(fit.fitResolutionA());
                    files.writeAtomically(thumbnail(ctx, unit, "spectrum"),
                            EmPictures.spectrum(fit.spectrum(), fit.model(), fit.size()));
                    ctx.count("step ctf", 1);
                } else {
                    du = before.defocusUUm();
                    dv = before.defocusVUm();
                    angle = before.astigmatismAngleDeg();
                    phase = before.phaseShiftPi();
                    resolution = before.ctfFitResolutionA();
                }
            }
            Integer particles = null;
            String picksPart = null;
            if (settings.runs(EmSettings.PICKING)) {
                picksPart = Storage.join(ctx.outputDir(), PICK_PARTS + "/" + unit.key() + ".parquet");
                if (ctx.runs(EmSettings.PICKING)) {
                    float[] micrograph = steps.average(() -> readAverage(ctx.storage(), averagePath));
                    List<Pick> picks = steps.pick(micrograph);
                    List<PicksTable.Row> rows = new ArrayList<>(picks.size());
                    for (Pick p : picks) {
                        rows.add(new PicksTable.Row(unit.name(), p.xPx(), p.yPx(), p.score()));
                    }
                    PicksTable.write(ctx.storage(), picksPart, rows);
                    files.writeAtomically(Storage.join(ctx.outputDir(), COORDINATES + "/" + unit.key() + "_autopick.star"),
                            StarFile.coordinates(picks).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    files.writeAtomically(thumbnail(ctx, unit, "picks"), EmPictures.picks(micrograph, movie.width(),
                            movie.height(), picks, steps.particleRadiusPx(), 1024));
                    particles = picks.size();
                    ctx.count("step picking", 1);
                    ctx.count("particles", picks.size());
                } else {
                    particles = before.particleCount();
                }
                outputs.add(picksPart);
            }
            ctx.addItems(1);
            return new UnitResult<>(outputs, 1, new EmFacts(unit.name(), movie.frames(), movie.width(), movie.height(),
                    pixel, settings.voltageKv(), settings.csMm(), settings.amplitudeContrast(), shiftX, shiftY, motionMean,
                    du, dv, angle, phase, resolution, particles, picksPart,
                    settings.runs(EmSettings.EXPORT) ? averagePath : null));
        }
    }

    private static String thumbnail(UnitContext<?> ctx, MovieUnit unit, String kind) {
        return Storage.join(ctx.outputDir(), THUMBNAILS + "/" + unit.key() + "_" + kind + ".png");
    }

    /** The aligned sum an earlier run exported, or null when there is none (then motion correction runs again). */
    private static float[] readAverage(Storage storage, String path) {
        try {
            if (!new OutputFiles(storage).exists(path)) {
                return null;
            }
            try (MrcReader r = MrcReader.open(storage, path)) {
                return r.frame(0);
            }
        } catch (IOException e) {
            return null;
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    @Override
    public String merge(RunContext run, Plan<MovieUnit, Void> plan, List<UnitRecord<EmFacts>> records) throws Exception {
        Map<String, UnitRecord<EmFacts>> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        List<EmItemsTable.Row> rows = new ArrayList<>();
        List<PicksTable.Row> picks = new ArrayList<>();
        List<ProcessedItems.Item> processed = new ArrayList<>();
        List<ProcessedItems.Item> failed = new ArrayList<>();
        for (MovieUnit u : plan.units()) {
            UnitRecord<EmFacts> r = byId.get(u.id());
            if (r == null || r.status() != UnitStatus.done || r.facts() == null) {
                String error = UnitRecord.errorLine(r);
                rows.add(EmItemsTable.Row.failed(u.name(), error));
                (r == null ? processed : failed).add(ProcessedItems.Item.of(u.name(),
                        r == null ? ProcessedItems.Status.UNPROCESSED : ProcessedItems.Status.LEAVE_OUT,
                        null, null, null, null, null, null, null));
                continue;
            }
            EmFacts f = r.facts();
            rows.add(new EmItemsTable.Row(f.movie(), f.frames(), f.width(), f.height(), f.pixelSizeA(), f.shiftXPx(),
                    f.shiftYPx(), f.motionMeanPx(), f.defocusUUm(), f.defocusVUm(), f.astigmatismAngleDeg(),
                    f.phaseShiftPi(), f.ctfFitResolutionA(), f.particleCount(), "processed", null));
            processed.add(ProcessedItems.Item.of(f.movie(), ProcessedItems.Status.PROCESSED, f.defocusUUm(),
                    f.defocusVUm(), f.astigmatismAngleDeg(), f.phaseShiftPi(), f.ctfFitResolutionA(), f.motionMeanPx(),
                    f.particleCount()));
            if (f.picksPart() != null) {
                picks.addAll(PicksTable.read(run.storage(), f.picksPart()));
            }
        }
        for (Plan.Failure pf : plan.failures()) {
            String name = pf.input().substring(pf.input().lastIndexOf('/') + 1);
            rows.add(EmItemsTable.Row.failed(name, pf.error()));
            failed.add(ProcessedItems.Item.of(name, ProcessedItems.Status.LEAVE_OUT, null, null, null, null, null, null,
                    null));
        }
        OutputFiles files = new OutputFiles(run.storage());
        EmItemsTable.write(run.storage(), Storage.join(run.outputDir(), ITEMS), rows);
        if (settings.runs(EmSettings.PICKING)) {
            PicksTable.write(run.storage(), Storage.join(run.outputDir(), PICKS), picks);
        }
        files.writeAtomically(Storage.join(run.outputDir(), ProcessedItems.PROCESSED), ProcessedItems.json(processed));
        String failedPath = Storage.join(run.outputDir(), ProcessedItems.FAILED);
        if (failed.isEmpty()) {
            files.delete(failedPath);
        } else {
            files.writeAtomically(failedPath, ProcessedItems.json(failed));
        }
        long ok = rows.stream().filter(x -> "processed".equals(x.status())).count();
        return String.format(Locale.ROOT, "%d movies: %d processed, %d failed%s; %s%s", rows.size(), ok, rows.size() - ok,
                settings.runs(EmSettings.PICKING) ? ", " + picks.size() + " particles" : "", ITEMS,
                settings.runs(EmSettings.PICKING) ? ", " + PICKS : "");
    }
}
