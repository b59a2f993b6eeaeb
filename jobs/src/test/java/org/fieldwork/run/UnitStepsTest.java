package org.fieldwork.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Steps within a unit, once for every pipeline: a step's settings change redoes exactly that step
 * and the steps that use it, in every unit, and the others keep their results.
 */
class UnitStepsTest {

    record Movie(int n) implements WorkUnit {
        @Override
        public String id() {
            return "movie" + n;
        }

        @Override
        public long inputBytes() {
            return 0;
        }
    }

    /** What each step produced for a movie: its settings when it ran, and the run it ran in. */
    public record Results(Map<String, String> byStep) implements Serializable {
    }

    /** motion; ctf uses motion; picking uses motion; export uses picking. */
    static final class EmLikeJob implements UnitJob<Movie, Void, Results> {
        final Map<String, String> settings;
        final String runLabel;
        final String logDir;

        EmLikeJob(Map<String, String> settings, String runLabel, Path logDir) {
            this.settings = settings;
            this.runLabel = runLabel;
            this.logDir = logDir.toString();
        }

        @Override
        public String name() {
            return "em-like";
        }

        @Override
        public Map<String, String> settings() {
            return Map.of();
        }

        @Override
        public Class<Results> factsType() {
            return Results.class;
        }

        @Override
        public List<Step> steps() {
            return List.of(
                    Step.of("motion", Map.of("patches", settings.get("patches"))),
                    Step.of("ctf", Map.of("defocus", settings.get("defocus")), "motion"),
                    Step.of("picking", Map.of("diameter", settings.get("diameter")), "motion"),
                    Step.of("export", Map.of("box", settings.get("box")), "picking"));
        }

        @Override
        public Plan<Movie, Void> plan(RunContext run) {
            return Plan.of(List.of(new Movie(1), new Movie(2), new Movie(3)));
        }

        @Override
        public UnitResult<Results> process(Movie unit, Void plan, UnitContext<Results> ctx) throws Exception {
            Map<String, String> out = new TreeMap<>();
            for (String step : List.of("motion", "ctf", "picking", "export")) {
                if (ctx.runs(step)) {
                    out.put(step, runLabel);
                    Files.writeString(Path.of(logDir, runLabel + "-" + unit.id() + "-" + step), "ran");
                } else {
                    out.put(step, ctx.previous().facts().byStep().get(step));
                }
            }
            return new UnitResult<>(List.of(), 1, new Results(out));
        }
    }

    private static List<String> ran(Path logDir, String run) throws Exception {
        List<String> names = new ArrayList<>();
        try (var s = Files.list(logDir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(run + "-")).sorted()
                    .forEach(n -> names.add(n.substring(run.length() + 1)));
        }
        return names;
    }

    @Test
    void aChangedStepRedoesItAndItsUsersOnly(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path log = Files.createDirectories(tmp.resolve("log"));
        Map<String, String> base = Map.of("patches", "5x5", "defocus", "0.5-5", "diameter", "150", "box", "128");
        JobRunner runner = new JobRunner(SparkOnDemand.lazy("local[2]", () -> {
            throw new AssertionError("no Spark needed");
        }), Storage.defaults());

        RunSummary first = runner.run(new EmLikeJob(base, "r1", log), out.toString());
        assertEquals(3, first.unitsDone(), first.render());
        assertEquals(12, ran(log, "r1").size());

        Map<String, String> picking = new TreeMap<>(base);
        picking.put("diameter", "180");
        RunSummary second = new JobRunner(SparkOnDemand.lazy("local[2]", () -> null), Storage.defaults())
                .run(new EmLikeJob(picking, "r2", log), out.toString());
        assertEquals(3, second.unitsDone(), second.render());
        assertEquals(List.of("movie1-export", "movie1-picking", "movie2-export", "movie2-picking", "movie3-export",
                "movie3-picking"), ran(log, "r2"));
        Map<String, UnitRecord<Results>> records = new RunManifest(out.toString(), Storage.defaults()).readAll(Results.class);
        assertEquals(Map.of("motion", "r1", "ctf", "r1", "picking", "r2", "export", "r2"),
                records.get("movie2").facts().byStep(), "kept steps keep their results");

        RunSummary same = new JobRunner(SparkOnDemand.lazy("local[2]", () -> null), Storage.defaults())
                .run(new EmLikeJob(picking, "r3", log), out.toString());
        assertEquals(3, same.unitsSkipped(), same.render());
        assertEquals(List.of(), ran(log, "r3"));

        Map<String, String> motion = new TreeMap<>(picking);
        motion.put("patches", "7x7");
        new JobRunner(SparkOnDemand.lazy("local[2]", () -> null), Storage.defaults())
                .run(new EmLikeJob(motion, "r4", log), out.toString());
        assertEquals(12, ran(log, "r4").size(), "motion feeds every other step");
        assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
    }

    @Test
    void aStepUsingOneDeclaredAfterItIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Step.hashes("x",
                List.of(Step.of("ctf", Map.of(), "motion"), Step.of("motion", Map.of()))));
    }
}
