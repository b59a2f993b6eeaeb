package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcReader;
import org.fieldwork.io.mrc.MrcWriter;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.UnitStatus;
import org.fieldwork.run.WorkUnit;

/**
 * `fieldwork em export-particles`: the picked particles of a processing folder, boxed from each
 * movie's aligned sum (RELION's extraction: background ramp removed and normalised, contrast
 * inverted), as OUT/particles/&lt;movie&gt;.mrcs stacks and OUT/particles.star (RELION 3.1, with the
 * micrograph's CTF). One movie per unit: resumable like every job.
 */
public final class ParticleExportJob implements UnitJob<ParticleExportJob.MovieParticles, Void, ParticleExportJob.Facts> {
    private static final long serialVersionUID = 1L;
    public static final String STAR = "particles.star";
    public static final String STACKS = "particles";

    private final String processing;
    private final int box;
    private final boolean normalize;
    private final boolean invert;

    public ParticleExportJob(String processing, int box, boolean normalize, boolean invert) {
        if (box < 16 || box % 2 != 0) {
            throw new IllegalArgumentException("--box must be an even number of pixels, at least 16, got " + box);
        }
        this.processing = processing;
        this.box = box;
        this.normalize = normalize;
        this.invert = invert;
    }

    /** One movie's particles: its exported average, its picks, its CTF. */
    public record MovieParticles(String key, EmFacts facts) implements WorkUnit {
        @Override
        public String id() {
            return key;
        }

        @Override
        public long inputBytes() {
            return 4L * facts.width() * facts.height();
        }

        /** A movie the batch processed again (new picks, new CTF, new average) is exported again. */
        @Override
        public String fingerprint() {
            return String.valueOf(facts);
        }
    }

    /** A movie's particles as rows of particles.star. */
    public record Facts(List<StarFile.Particle> particles) implements java.io.Serializable {
    }

    @Override
    public String name() {
        return "em-export-particles";
    }

    @Override
    public String itemName() {
        return "particles";
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("box", Integer.toString(box), "normalize", Boolean.toString(normalize), "invert",
                Boolean.toString(invert), "processing", processing);
    }

    @Override
    public Class<Facts> factsType() {
        return Facts.class;
    }

    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    @Override
    public Plan<MovieParticles, Void> plan(RunContext run) throws Exception {
        List<MovieParticles> units = new ArrayList<>();
        List<Plan.Failure> failures = new ArrayList<>();
        for (ProcessedMovies.Movie m : ProcessedMovies.read(run.storage(), processing)) {
            if (m.facts().picksPart() == null) {
                continue;
            }
            if (m.facts().average() == null) {
                failures.add(new Plan.Failure(m.key(), m.facts().movie(), "", 0, "movie " + m.facts().movie()
                        + ": no aligned average was exported; run `fieldwork em batch` with the export step"));
                continue;
            }
            units.add(new MovieParticles(m.key(), m.facts()));
        }
        if (units.isEmpty() && failures.isEmpty()) {
            throw new IllegalArgumentException(processing + ": no movie has picks; run `fieldwork em batch` with the picking step");
        }
        Plan<MovieParticles, Void> plan = Plan.of(units);
        failures.forEach(plan::fail);
        return plan;
    }

    @Override
    public UnitResult<Facts> process(MovieParticles unit, Void plan, UnitContext<Facts> ctx) throws Exception {
        EmFacts f = unit.facts();
        float[] average;
        try (MrcReader r = MrcReader.open(ctx.storage(), f.average())) {
            average = r.frame(0);
        }
        List<Pick> picks = new ArrayList<>();
        for (PicksTable.Row p : PicksTable.read(ctx.storage(), f.picksPart())) {
            picks.add(new Pick(p.xPx(), p.yPx(), p.score()));
        }
        ParticleExtractor.Settings s = ParticleExtractor.Settings.relion(box);
        s = new ParticleExtractor.Settings(box, normalize, s.backgroundRadiusPx(), s.subtractRamp(), invert, s.edge());
        List<float[]> boxes = ParticleExtractor.extract(average, f.width(), f.height(), picks, s);
        String stack = Storage.join(ctx.outputDir(), STACKS + "/" + unit.key() + ".mrcs");
        new OutputFiles(ctx.storage()).writeAtomically(stack,
                MrcWriter.encode(boxes, box, box, MrcMode.FLOAT32, f.pixelSizeA()));
        List<StarFile.Particle> rows = new ArrayList<>();
        double du = f.defocusUUm() == null ? 0 : f.defocusUUm() * 1e4;
        double dv = f.defocusVUm() == null ? 0 : f.defocusVUm() * 1e4;
        double angle = f.astigmatismAngleDeg() == null ? 0 : f.astigmatismAngleDeg();
        double phase = f.phaseShiftPi() == null ? 0 : f.phaseShiftPi() * 180;
        for (int i = 0; i < picks.size(); i++) {
            Pick p = picks.get(i);
            rows.add(new StarFile.Particle(StarFile.imageName(i + 1, local(stack)), local(f.average()), p.xPx(), p.yPx(),
                    p.score(), 1, du, dv, angle, phase));
        }
        ctx.addItems(rows.size());
        return new UnitResult<>(List.of(stack), rows.size(), new Facts(rows));
    }

    @Override
    public String merge(RunContext run, Plan<MovieParticles, Void> plan, List<UnitRecord<Facts>> records) throws Exception {
        List<StarFile.Particle> all = new ArrayList<>();
        EmFacts first = null;
        java.util.Map<String, UnitRecord<Facts>> byId = new java.util.HashMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        for (MovieParticles u : plan.units()) {
            UnitRecord<Facts> r = byId.get(u.id());
            if (r != null && r.status() == UnitStatus.done && r.facts() != null) {
                all.addAll(r.facts().particles());
                first = first == null ? u.facts() : first;
            }
        }
        if (first == null) {
            return "no particles exported";
        }
        StarFile.Optics optics = new StarFile.Optics(1, "opticsGroup1", first.pixelSizeA(), first.voltageKv(), first.csMm(),
                first.amplitudeContrast(), first.pixelSizeA(), box);
        new OutputFiles(run.storage()).writeAtomically(Storage.join(run.outputDir(), STAR),
                StarFile.particles(List.of(optics), all).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%d particles of %d px from %d movies; %s", all.size(), box, plan.units().size(),
                STAR);
    }

    /** A local file as the plain path RELION opens; other URIs as they are. */
    static String local(String path) {
        return Storage.isLocal(path) ? Storage.localPath(path).toAbsolutePath().toString() : path;
    }
}
