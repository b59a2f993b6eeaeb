package org.fieldwork.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRunnerTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("JobRunnerTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** A unit that squares its number into a file; it fails while a "poison" file names it. */
    record NumberUnit(int n) implements WorkUnit {
        @Override
        public String id() {
            return "n" + n;
        }

        @Override
        public long inputBytes() {
            return 1000L * n;
        }
    }

    static final class SquaresJob implements UnitJob<NumberUnit, Void, Void> {
        final int count;
        final String poisonDir;
        final String flavour;
        final long sleepMillis;

        SquaresJob(int count, Path poisonDir, String flavour, long sleepMillis) {
            this.count = count;
            this.poisonDir = poisonDir.toString();
            this.flavour = flavour;
            this.sleepMillis = sleepMillis;
        }

        @Override
        public String name() {
            return "squares";
        }

        @Override
        public Map<String, String> settings() {
            return Map.of("flavour", flavour);
        }

        @Override
        public Class<Void> factsType() {
            return Void.class;
        }

        @Override
        public Plan<NumberUnit, Void> plan(RunContext run) {
            List<NumberUnit> units = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                units.add(new NumberUnit(i));
            }
            return Plan.of(units);
        }

        @Override
        public UnitResult<Void> process(NumberUnit unit, Void plan, UnitContext<Void> ctx) throws Exception {
            long until = System.currentTimeMillis() + sleepMillis;
            while (System.currentTimeMillis() < until) {
                if (ctx.cancelled()) {
                    throw new InterruptedException("cancelled");
                }
                Thread.sleep(10);
            }
            if (Files.exists(Path.of(poisonDir, unit.id()))) {
                throw new IllegalArgumentException("unit " + unit.id() + " is poisoned");
            }
            Path out = Path.of(ctx.outputDir(), "parts", unit.id() + ".txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, flavour + ":" + (unit.n() * unit.n()));
            ctx.addBytes(unit.inputBytes());
            ctx.addItems(unit.n());
            ctx.count("squares", 1);
            return UnitResult.of(List.of(out.toString()), unit.n());
        }

        @Override
        public String merge(RunContext run, Plan<NumberUnit, Void> plan, List<UnitRecord<Void>> records) throws Exception {
            StringBuilder all = new StringBuilder();
            for (NumberUnit u : plan.units()) {
                all.append(Files.readString(Path.of(run.outputDir(), "parts", u.id() + ".txt"))).append('\n');
            }
            Files.writeString(Path.of(run.outputDir(), "merged.txt"), all);
            return "merged " + plan.units().size() + " parts";
        }
    }

    private static JobRunner runner(long driverThreshold) {
        return new JobRunner(spark, Storage.defaults()).driverThresholdBytes(driverThreshold);
    }

    @Test
    void failedUnitDoesNotStopOthersAndRerunRetriesOnlyIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        Files.createFile(poison.resolve("n3"));

        RunSummary first = runner(0).run(new SquaresJob(5, poison, "a", 0), out.toString());
        assertEquals(5, first.unitsTotal());
        assertEquals(4, first.unitsDone());
        assertEquals(1, first.unitsFailed());
        assertEquals(1, first.exitCode());
        assertTrue(first.failures().get(0).error().contains("unit n3 is poisoned"), first.failures().toString());
        assertTrue(first.mode().contains("Spark tasks"), first.mode());
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));
        assertFalse(Files.exists(out.resolve("merged.txt")), "no merge while a unit failed");
        Map<String, UnitRecord<Object>> records = new RunManifest(out.toString(), Storage.defaults()).readAll();
        assertEquals(UnitStatus.failed, records.get("n3").status());
        assertEquals(UnitStatus.done, records.get("n4").status());
        assertEquals(Map.of("squares", 4L), first.counts());

        Files.delete(poison.resolve("n3"));
        RunSummary second = runner(0).run(new SquaresJob(5, poison, "a", 0), out.toString());
        assertEquals(4, second.unitsSkipped());
        assertEquals(1, second.unitsDone());
        assertEquals(0, second.unitsFailed());
        assertEquals(0, second.exitCode());
        assertEquals(2, new RunManifest(out.toString(), Storage.defaults()).readAll().get("n3").attempt());
        assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
        assertEquals("a:1\na:4\na:9\na:16\na:25\n", Files.readString(out.resolve("merged.txt")));

        RunSummary third = runner(0).run(new SquaresJob(5, poison, "a", 0), out.toString());
        assertEquals(5, third.unitsSkipped());
        assertEquals(0, third.unitsDone());
    }

    /**
     * Squares (units of 1000 n bytes) packed into tasks of at most 15,000 bytes, fewer where two cores
     * would get under three tasks each: 55,000 bytes / 6 gives 9,167 a task, so 1-3, 4-5, 6, 7, 8, 9, 10.
     */
    static final class PackedSquares implements UnitJob<NumberUnit, Void, Void> {
        final SquaresJob squares;

        PackedSquares(SquaresJob squares) {
            this.squares = squares;
        }

        @Override
        public String name() {
            return "packed-squares";
        }

        @Override
        public Map<String, String> settings() {
            return squares.settings();
        }

        @Override
        public Class<Void> factsType() {
            return Void.class;
        }

        @Override
        public Plan<NumberUnit, Void> plan(RunContext run) {
            return squares.plan(run);
        }

        @Override
        public UnitResult<Void> process(NumberUnit unit, Void plan, UnitContext<Void> ctx) throws Exception {
            return squares.process(unit, plan, ctx);
        }

        @Override
        public String merge(RunContext run, Plan<NumberUnit, Void> plan, List<UnitRecord<Void>> records) throws Exception {
            return squares.merge(run, plan, records);
        }

        @Override
        public long taskBytes() {
            return 15_000;
        }
    }

    @Test
    void smallUnitsArePackedIntoTasksByBytes(@TempDir Path tmp) throws Exception {
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        Path out = tmp.resolve("out");
        RunSummary s = runner(0).run(new PackedSquares(new SquaresJob(10, poison, "a", 0)), out.toString());
        assertEquals(10, s.unitsDone(), s.render());
        assertTrue(s.mode().startsWith("as 7 Spark tasks"), s.mode());
        assertEquals(10, Files.readAllLines(out.resolve("merged.txt")).size());
    }

    @Test
    void bytesPerTaskKeepsEveryCoreBusy() {
        List<UnitTask.Pending<NumberUnit, Void>> thousandImages = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            thousandImages.add(new UnitTask.Pending<>(new NumberUnit(1000), 0, null));
        }
        long mb = 1_000_000;   // each unit is 1000 * 1000 bytes
        assertEquals(64L << 20, JobRunner.bytesPerTask(64L << 20, thousandImages, 2), "a laptop: 16 tasks of 64 MiB");
        assertEquals((1000 * mb + 299) / 300, JobRunner.bytesPerTask(64L << 20, thousandImages, 100), "100 cores: 300 tasks");
        assertEquals(0, JobRunner.bytesPerTask(0, thousandImages, 2), "no packing asked");
    }

    @Test
    void changedSettingsRedoEveryUnit(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        runner(0).run(new SquaresJob(3, poison, "a", 0), out.toString());
        RunSummary changed = runner(0).run(new SquaresJob(3, poison, "b", 0), out.toString());
        assertEquals(0, changed.unitsSkipped());
        assertEquals(3, changed.unitsDone());
        assertEquals("b:1\nb:4\nb:9\n", Files.readString(out.resolve("merged.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void smallRunsStayOnTheDriverWithTheSameResults(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        List<ProgressSnapshot> seen = new CopyOnWriteArrayList<>();
        RunSummary s = runner(1L << 30).withProgress(seen::add).run(new SquaresJob(4, poison, "a", 0), out.toString());
        assertTrue(s.mode().contains("driver"), s.mode());
        assertEquals(4, s.unitsDone());
        assertEquals(10, s.items());
        ProgressSnapshot last = seen.get(seen.size() - 1);
        assertTrue(last.finished());
        assertEquals(4, last.unitsDone());
        assertEquals(10_000, last.bytesDone());
        assertEquals("a:1\na:4\na:9\na:16\n", Files.readString(out.resolve("merged.txt")));
    }

    /** The squares, merged by counting the parts with Spark SQL. */
    static final class SqlMergedSquares implements UnitJob<NumberUnit, Void, Void> {
        final SquaresJob squares;

        SqlMergedSquares(SquaresJob squares) {
            this.squares = squares;
        }

        @Override
        public String name() {
            return "sql-squares";
        }

        @Override
        public Map<String, String> settings() {
            return squares.settings();
        }

        @Override
        public Class<Void> factsType() {
            return Void.class;
        }

        @Override
        public Plan<NumberUnit, Void> plan(RunContext run) {
            return squares.plan(run);
        }

        @Override
        public UnitResult<Void> process(NumberUnit unit, Void plan, UnitContext<Void> ctx) throws Exception {
            return squares.process(unit, plan, ctx);
        }

        @Override
        public boolean mergeUsesSpark() {
            return true;
        }

        @Override
        public String merge(RunContext run, Plan<NumberUnit, Void> plan, List<UnitRecord<Void>> records) {
            return "counted " + run.spark().read().text(Path.of(run.outputDir(), "parts").toString()).count() + " parts";
        }
    }

    /**
     * A local run starts Spark only for a merge that uses it, and then while the units run; a run
     * whose merge needs no Spark never starts it.
     */
    @Test
    void aLocalRunStartsSparkOnlyForAMergeThatUsesIt(@TempDir Path tmp) throws Exception {
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        java.util.concurrent.atomic.AtomicInteger starts = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> startedOn = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.function.Supplier<SparkSession> starter = () -> {
            starts.incrementAndGet();
            startedOn.set(Thread.currentThread().getName());
            return spark;
        };

        SparkOnDemand plain = SparkOnDemand.lazy("local[2]", starter);
        RunSummary s = new JobRunner(plain, Storage.defaults()).run(new SquaresJob(3, poison, "a", 0),
                tmp.resolve("plain").toString());
        assertEquals(3, s.unitsDone());
        assertEquals(0, starts.get(), "no Spark for units on the driver's threads and a plain merge");
        assertFalse(plain.started());

        SparkOnDemand forSql = SparkOnDemand.lazy("local[2]", starter);
        RunSummary sql = new JobRunner(forSql, Storage.defaults())
                .run(new SqlMergedSquares(new SquaresJob(3, poison, "a", 200)), tmp.resolve("sql").toString());
        assertEquals(3, sql.unitsDone());
        assertTrue(sql.merge().contains("counted 3 parts"), sql.merge());
        assertEquals(1, starts.get());
        assertFalse(startedOn.get().startsWith("main"), "started in the background while the units ran: " + startedOn.get());
    }

    @Test
    void progressFromSparkTasksCountsEveryUnit(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        Files.createFile(poison.resolve("n2"));
        AtomicReference<ProgressSnapshot> last = new AtomicReference<>();
        RunSummary s = runner(0).withProgress(last::set).run(new SquaresJob(6, poison, "a", 0), out.toString());
        assertEquals(5, s.unitsDone());
        ProgressSnapshot p = last.get();
        assertTrue(p.finished());
        assertEquals(6, p.unitsTotal());
        assertEquals(5, p.unitsDone());
        assertEquals(1, p.unitsFailed());
        assertEquals(1000L * (1 + 3 + 4 + 5 + 6), p.bytesDone());
        assertTrue(ConsoleProgressBar.render(p).contains("6/6 units (1 failed)"), ConsoleProgressBar.render(p));
    }

    @Test
    void cancelStopsTheRunWithoutSuccessAndARerunCompletes(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path poison = Files.createDirectories(tmp.resolve("poison"));
        JobRunner r = runner(0);
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            r.cancel();
        });
        canceller.start();
        long t0 = System.currentTimeMillis();
        RunSummary cancelled = r.run(new SquaresJob(8, poison, "a", 1000), out.toString());
        canceller.join();
        assertTrue(cancelled.cancelled());
        assertEquals(130, cancelled.exitCode());
        assertTrue(cancelled.unitsDone() < 8, "some units must not have run: " + cancelled.unitsDone());
        assertTrue(System.currentTimeMillis() - t0 < 6000, "cancel must not wait for all units");
        assertFalse(Files.exists(out.resolve(RunManifest.SUCCESS)));
        assertFalse(Files.exists(out.resolve("merged.txt")));

        RunSummary resumed = runner(0).run(new SquaresJob(8, poison, "a", 0), out.toString());
        assertEquals(8, resumed.unitsSkipped() + resumed.unitsDone());
        assertEquals(cancelled.unitsDone(), resumed.unitsSkipped());
        assertTrue(Files.exists(out.resolve(RunManifest.SUCCESS)));
    }
}
