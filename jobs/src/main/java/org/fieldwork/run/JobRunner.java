package org.fieldwork.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link UnitJob}: plan on the driver, skip units the manifest says are done with the same
 * settings, one unit per Spark task for the rest, merge, then {@code _SUCCESS}. One instance per
 * run; {@link #cancel()} may be called from any thread (Ctrl-C, a REST call).
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** Below this much input, units run one after another on the driver: no task fan-out. */
    public static final long DEFAULT_DRIVER_THRESHOLD_BYTES = 8L << 20;

    private final SparkSession spark;
    private final Storage storage;
    private final List<ProgressListener> listeners = new ArrayList<>();
    private Long driverThresholdBytes;
    private final List<Consumer<UnitRecord>> unitListeners = new ArrayList<>();
    private final String jobGroup = "fieldwork-" + UUID.randomUUID();
    private volatile boolean cancelled;

    public JobRunner(SparkSession spark, Storage storage) {
        this.spark = spark;
        this.storage = storage;
    }

    public JobRunner withProgress(ProgressListener listener) {
        listeners.add(listener);
        return this;
    }

    /**
     * Runs with less input than this on the driver; 0 forces Spark tasks for every run. Default:
     * the job's own {@link UnitJob#driverThresholdBytes()}.
     */
    public JobRunner driverThresholdBytes(long bytes) {
        this.driverThresholdBytes = bytes;
        return this;
    }

    /**
     * Called with each unit's record once it is written: as each finishes when units run on the
     * driver, after the Spark job for task runs. For interactive front ends (one sheet at a time).
     */
    public JobRunner withUnitListener(Consumer<UnitRecord> listener) {
        unitListeners.add(listener);
        return this;
    }

    public void cancel() {
        cancelled = true;
        spark.sparkContext().cancelJobGroup(jobGroup);
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public <U extends WorkUnit> RunSummary run(UnitJob<U> job, String output) throws Exception {
        long started = System.currentTimeMillis();
        // Tasks on other machines resolve relative paths against their own working folders.
        String outputDir = Storage.isLocal(output) ? Storage.localPath(output).toAbsolutePath().normalize().toString() : output;
        RunContext ctx = new RunContext(spark, outputDir, storage, spark.sparkContext().defaultParallelism());
        List<U> units = job.plan(ctx);
        LOG.info("{}: planned {} units in {} ms", job.name(), units.size(), System.currentTimeMillis() - started);
        Set<String> ids = new HashSet<>();
        for (U u : units) {
            if (!ids.add(u.id())) {
                throw new IllegalStateException(job.name() + " planned two units with id " + u.id());
            }
        }
        RunManifest manifest = new RunManifest(outputDir, storage);
        String hash = RunManifest.settingsHash(job.name(), job.settings());
        Map<String, UnitRecord> previous = manifest.readAll();

        List<U> todo = new ArrayList<>();
        Map<String, Integer> attempts = new HashMap<>();
        for (U u : units) {
            UnitRecord r = previous.get(u.id());
            if (r != null) {
                attempts.put(u.id(), r.attempt());
            }
            if (r == null || !r.isDoneFor(u, hash)) {
                todo.add(u);
            }
        }
        int skipped = units.size() - todo.size();
        if (todo.isEmpty() && (manifest.succeeded() || job.mergeDeferred())) {
            LOG.info("{}: all {} units already done with the same settings", job.name(), units.size());
            return summary(job, outputDir, units, skipped, List.of(), previous, started, "nothing to do", null, false);
        }
        manifest.clearSuccess();

        long todoBytes = todo.stream().mapToLong(WorkUnit::inputBytes).sum();
        ProgressTracker tracker = new ProgressTracker(job.name(), job.itemName(), todo.size(), todoBytes);
        listeners.forEach(tracker::addListener);
        long threshold = driverThresholdBytes != null ? driverThresholdBytes : job.driverThresholdBytes();
        int concurrency = job.maxConcurrentUnits();
        boolean onDriver = todo.size() <= 1 || concurrency == 1 || todoBytes < threshold && todoBytes > 0;
        UnitTask<U> task = null;
        List<UnitRecord> fresh = new ArrayList<>();
        String mode;
        tracker.start(500);
        spark.sparkContext().addSparkListener(tracker);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            LongAccumulator unitsDone = jsc.sc().longAccumulator(ProgressTracker.UNITS_DONE);
            LongAccumulator unitsFailed = jsc.sc().longAccumulator(ProgressTracker.UNITS_FAILED);
            LongAccumulator bytes = jsc.sc().longAccumulator(ProgressTracker.BYTES);
            LongAccumulator items = jsc.sc().longAccumulator(ProgressTracker.ITEMS);
            DeviceCountAccumulator devices = new DeviceCountAccumulator();
            jsc.sc().register(devices, "fieldwork.kernel.devices");
            task = new UnitTask<>(job, outputDir, storage, hash, attempts, unitsDone, unitsFailed, bytes, items, devices);
            if (onDriver) {
                mode = concurrency == 1 && todo.size() > 1 ? "on the driver, one unit at a time"
                        : "on the driver (small input, no task fan-out)";
                for (U u : todo) {
                    if (cancelled) {
                        break;
                    }
                    UnitRecord record = task.runOne(u, () -> cancelled, new UnitTask.Counter() {
                        @Override
                        public void bytes(long n) {
                            tracker.add(0, 0, n, 0);
                        }

                        @Override
                        public void items(long n) {
                            tracker.add(0, 0, 0, n);
                        }

                        @Override
                        public void finished(boolean ok, Map<String, Long> kernelRuns) {
                            tracker.add(ok ? 1 : 0, ok ? 0 : 1, 0, 0);
                            devices.add(kernelRuns);
                        }
                    });
                    fresh.add(record);
                    unitListeners.forEach(l -> l.accept(record));
                }
            } else {
                // One unit per task, unless the job caps how many run at once: then that many tasks.
                int tasks = concurrency > 0 ? Math.min(concurrency, todo.size()) : todo.size();
                mode = "as " + tasks + " Spark tasks on " + spark.sparkContext().master();
                jsc.setJobGroup(jobGroup, job.name() + " (" + todo.size() + " units)", true);
                try {
                    fresh.addAll(jsc.parallelize(todo, tasks).mapPartitions(task).collect());
                    tracker.settle(unitsDone.value(), unitsFailed.value(), bytes.value(), items.value());
                    fresh.forEach(r -> unitListeners.forEach(l -> l.accept(r)));
                } catch (Exception e) {
                    if (!cancelled) {
                        LOG.error("{}: Spark job failed: {}", job.name(), e.toString());
                    }
                    // Tasks write their own records; read what finished before the failure.
                    fresh.clear();
                    Map<String, UnitRecord> now = manifest.readAll();
                    for (U u : todo) {
                        UnitRecord r = now.get(u.id());
                        String unitHash = RunManifest.unitHash(hash, u);
                        if (r != null && r.settingsHash().equals(unitHash) && r.attempt() > attempts.getOrDefault(u.id(), 0)) {
                            fresh.add(r);
                        } else if (!cancelled) {
                            UnitRecord failed = new UnitRecord(u.id(), UnitStatus.failed, attempts.getOrDefault(u.id(), 0) + 1,
                                    UnitTask.describe(e), unitHash, List.of(), started, 0, u.inputBytes(), 0, Map.of(), null);
                            manifest.write(failed);
                            fresh.add(failed);
                        }
                    }
                } finally {
                    jsc.clearJobGroup();
                }
            }
        } finally {
            spark.sparkContext().removeSparkListener(tracker);
            tracker.finish();
        }

        Map<String, UnitRecord> all = new LinkedHashMap<>(previous);
        fresh.forEach(r -> all.put(r.unit(), r));
        String mergeLine = null;
        boolean complete = units.stream().allMatch(u -> all.get(u.id()) != null && all.get(u.id()).isDoneFor(u, hash));
        if (job.mergeDeferred()) {
            mergeLine = "merge deferred: run the merge to finish";
        } else if (!cancelled && (complete || job.mergeWithFailures())) {
            List<UnitRecord> ordered = new ArrayList<>();
            for (U u : units) {
                if (all.get(u.id()) != null) {
                    ordered.add(all.get(u.id()));
                }
            }
            long mergeStarted = System.currentTimeMillis();
            mergeLine = job.merge(ctx, units, ordered);
            LOG.info("{}: merged in {} ms", job.name(), System.currentTimeMillis() - mergeStarted);
        }
        RunSummary summary = summary(job, outputDir, units, skipped, fresh, all, started, mode, mergeLine, cancelled);
        if (complete && !cancelled && !job.mergeDeferred()) {
            manifest.markSuccess(RunManifest.toJson(summary));
        }
        return summary;
    }

    private <U extends WorkUnit> RunSummary summary(UnitJob<U> job, String outputDir, List<U> units, int skipped,
            List<UnitRecord> fresh, Map<String, UnitRecord> all, long started, String mode, String merge, boolean wasCancelled) {
        List<RunSummary.FailedUnit> failures = new ArrayList<>();
        long bytes = 0;
        long items = 0;
        int done = 0;
        KernelTally devices = new KernelTally();
        for (UnitRecord r : fresh) {
            if (r.status() == UnitStatus.done) {
                done++;
                bytes += r.inputBytes();
                items += r.items();
            } else {
                failures.add(new RunSummary.FailedUnit(r.unit(), r.error()));
            }
            devices.addAll(r.kernelDevices());
        }
        return new RunSummary(job.name(), outputDir, units.size(), skipped, done, failures.size(), failures, bytes, items,
                job.itemName(), System.currentTimeMillis() - started, mode, devices.snapshot(), merge, wasCancelled);
    }
}
