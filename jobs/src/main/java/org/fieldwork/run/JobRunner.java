package org.fieldwork.run;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link UnitJob}: lock the output folder, plan on the driver, skip units the manifest says
 * are done with the same settings and the same input, run the rest (Spark tasks, or the driver's
 * threads for a local run), merge, then {@code _SUCCESS}. One instance per run; {@link #cancel()}
 * may be called from any thread (Ctrl-C, a REST call).
 */
public final class JobRunner {
    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    /** Below this much input, units run one after another on the driver: no task fan-out. */
    public static final long DEFAULT_DRIVER_THRESHOLD_BYTES = 8L << 20;
    /** At most this many Spark tasks per run; more units than this share tasks. */
    static final int MAX_TASKS = 10_000;
    /** A run that ends with more manifest files than this rewrites them as a few. */
    static final int COMPACT_ABOVE_FILES = 16;

    private final SparkOnDemand spark;
    private final Storage storage;
    private final List<ProgressListener> listeners = new ArrayList<>();
    private Long driverThresholdBytes;
    private final List<Consumer<UnitRecord<?>>> unitListeners = new ArrayList<>();
    private final String runId = UUID.randomUUID().toString().substring(0, 8);
    private final String jobGroup = "fieldwork-" + runId;
    private volatile boolean cancelled;
    private volatile ExecutorService driverPool;
    private boolean fresh;
    private boolean breakLock;

    /** A runner on a running session: units run as Spark tasks (tiny runs on the driver). */
    public JobRunner(SparkSession spark, Storage storage) {
        this(SparkOnDemand.running(spark), storage);
    }

    /** A runner that starts Spark only when the run needs it (the command line). */
    public JobRunner(SparkOnDemand spark, Storage storage) {
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
    public JobRunner withUnitListener(Consumer<UnitRecord<?>> listener) {
        unitListeners.add(listener);
        return this;
    }

    /** Forget what earlier runs did (--fresh): every unit runs again. */
    public JobRunner fresh(boolean fresh) {
        this.fresh = fresh;
        return this;
    }

    /** Take the output folder even from a run that looks alive (--break-lock). */
    public JobRunner breakLock(boolean breakLock) {
        this.breakLock = breakLock;
        return this;
    }

    public void cancel() {
        cancelled = true;
        ExecutorService pool = driverPool;
        if (pool != null) {
            stop(pool);
        }
        spark.ifRunning(s -> s.sparkContext().cancelJobGroup(jobGroup));
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public <U extends WorkUnit, P, F> RunSummary run(UnitJob<U, P, F> job, String output) throws Exception {
        long started = System.currentTimeMillis();
        // Tasks on other machines resolve relative paths against their own working folders.
        String outputDir = Storage.isLocal(output) ? Storage.localPath(output).toAbsolutePath().normalize().toString() : output;
        requireFolderOrNothing(outputDir);
        OutputLock lock = OutputLock.acquire(storage, outputDir, job.name(), breakLock, this::cancel);
        boolean planned = false;
        try {
            RunContext ctx = new RunContext(spark, outputDir, storage);
            Plan<U, P> plan = job.plan(ctx);
            planned = true;
            return runPlanned(job, ctx, plan, started);
        } finally {
            lock.release(!planned);
        }
    }

    /** An output path that names an existing file cannot become a folder: say so before anything starts. */
    private void requireFolderOrNothing(String outputDir) throws java.io.IOException {
        boolean file;
        if (Storage.isLocal(outputDir)) {
            java.nio.file.Path p = Storage.localPath(outputDir);
            file = java.nio.file.Files.exists(p) && !java.nio.file.Files.isDirectory(p);
        } else {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(outputDir);
            FileStatus st;
            try {
                st = storage.fileSystem(outputDir).getFileStatus(p);
            } catch (java.io.FileNotFoundException absent) {
                st = null;
            }
            file = st != null && st.isFile();
        }
        if (file) {
            throw new IllegalArgumentException(outputDir + ": output is an existing file, not a folder");
        }
    }

    private <U extends WorkUnit, P, F> RunSummary runPlanned(UnitJob<U, P, F> job, RunContext ctx, Plan<U, P> plan,
            long started) throws Exception {
        String outputDir = ctx.outputDir();
        List<U> units = plan.units();
        LOG.info("{}: planned {} units{} in {} ms", job.name(), units.size(),
                plan.failures().isEmpty() ? "" : " (" + plan.failures().size() + " inputs failed)", System.currentTimeMillis() - started);
        Set<String> ids = new HashSet<>();
        for (U u : units) {
            if (!ids.add(u.id())) {
                throw new IllegalStateException(job.name() + " planned two units with id " + u.id());
            }
        }
        for (Plan.Failure f : plan.failures()) {
            if (!ids.add(f.unitId())) {
                throw new IllegalStateException(job.name() + " planned two units with id " + f.unitId());
            }
        }
        RunManifest manifest = new RunManifest(outputDir, storage);
        String hash = RunManifest.settingsHash(job.name(), job.settings());
        Map<String, String> stepHashes = Step.hashes(job.name(), job.steps());
        if (cancelled) {
            return summary(job, outputDir, units.size() + plan.failures().size(), 0, List.of(), started,
                    "no units (cancelled while planning)", null, true);
        }
        if (fresh) {
            manifest.clear();
        }
        long readStarted = System.currentTimeMillis();
        Map<String, UnitRecord<F>> previous = manifest.readAll(job.factsType());
        LOG.debug("{}: read {} records in {} ms", job.name(), previous.size(), System.currentTimeMillis() - readStarted);

        List<Step> steps = job.steps();
        List<U> todo = new ArrayList<>();
        for (U u : units) {
            UnitRecord<F> r = previous.get(u.id());
            if (r == null || !r.isDoneFor(u, hash, Step.forUnit(steps, stepHashes, u))) {
                todo.add(u);
            }
        }
        int skippedBefore = units.size() - todo.size();
        if (todo.isEmpty() && plan.failures().isEmpty() && (manifest.succeeded() || job.mergeDeferred())) {
            LOG.info("{}: all {} units already done with the same settings and inputs", job.name(), units.size());
            return summary(job, outputDir, units.size(), skippedBefore, List.of(), started, "nothing to do", null, false);
        }
        manifest.clearSuccess();
        Set<String> asPlanned = new HashSet<>();
        todo.forEach(u -> asPlanned.add(u.id()));
        todo = job.beforeUnits(ctx, plan, todo);
        int skipped = units.size() - todo.size();
        List<UnitTask.Pending<U, F>> pending = new ArrayList<>(todo.size());
        for (U u : todo) {
            UnitRecord<F> r = previous.get(u.id());
            // Steps are kept only from a record done with the same settings on the same input, and
            // only for units the job did not add to redo whole.
            boolean keepSteps = r != null && !stepHashes.isEmpty() && asPlanned.contains(u.id()) && r.isDoneFor(u, hash);
            pending.add(new UnitTask.Pending<>(u, r == null ? 0 : r.attempt(), keepSteps ? r : null));
        }

        List<UnitRecord<F>> fresh = new ArrayList<>();
        for (Plan.Failure f : plan.failures()) {
            UnitRecord<F> last = previous.get(f.unitId());
            UnitRecord<F> failed = UnitRecord.failedBeforeRunning(f.unitId(), last == null ? 1 : last.attempt() + 1,
                    f.error(), hash, f.inputVersion(), f.inputBytes(), System.currentTimeMillis());
            fresh.add(failed);
            LOG.warn("{}: {}", job.name(), f.error());
        }
        if (!fresh.isEmpty()) {
            try (RunManifest.Writer w = manifest.writer(runId + "-planning")) {
                for (UnitRecord<F> r : fresh) {
                    w.add(r);
                }
            }
        }
        if (job.mergeUsesSpark() && spark.driverThreads() > 0 && !todo.isEmpty()) {
            spark.startInBackground();
        }

        long todoBytes = todo.stream().mapToLong(WorkUnit::inputBytes).sum();
        ProgressTracker tracker = new ProgressTracker(job.name(), job.itemName(), todo.size() + fresh.size(), todoBytes);
        listeners.forEach(tracker::addListener);
        tracker.add(0, fresh.size(), 0, 0);
        fresh.forEach(r -> unitListeners.forEach(l -> l.accept(r)));
        String mode;
        tracker.start(500);
        try {
            if (pending.isEmpty()) {
                mode = "nothing to run";
            } else if (spark.driverThreads() > 0) {
                mode = runOnDriverThreads(job, plan, pending, outputDir, hash, stepHashes, tracker, fresh, manifest);
            } else {
                mode = runOnSpark(job, plan, pending, outputDir, hash, stepHashes, tracker, fresh, manifest, started);
            }
        } finally {
            tracker.finish();
        }

        Map<String, UnitRecord<F>> all = new HashMap<>(previous);
        fresh.forEach(r -> all.put(r.unit(), r));
        List<UnitRecord<F>> ordered = new ArrayList<>(units.size() + plan.failures().size());
        boolean complete = plan.failures().isEmpty();
        for (U u : units) {
            UnitRecord<F> r = all.get(u.id());
            if (r != null) {
                ordered.add(r);
            }
            complete &= r != null && r.isDoneFor(u, hash, Step.forUnit(steps, stepHashes, u));
        }
        for (Plan.Failure f : plan.failures()) {
            ordered.add(all.get(f.unitId()));
        }
        String mergeLine = null;
        if (job.mergeDeferred()) {
            mergeLine = "merge deferred: run the merge to finish";
        } else if (!cancelled && (complete || job.mergeWithFailures())) {
            long mergeStarted = System.currentTimeMillis();
            mergeLine = job.merge(ctx, plan, ordered);
            LOG.info("{}: merged in {} ms", job.name(), System.currentTimeMillis() - mergeStarted);
        }
        if (!cancelled && manifest.fileCount() > COMPACT_ABOVE_FILES) {
            // Batches pile up run after run; the planned units' records, rewritten, are all a re-run needs.
            manifest.compact(ordered);
        }
        RunSummary summary = summary(job, outputDir, units.size() + plan.failures().size(), skipped, fresh, started, mode,
                mergeLine, cancelled);
        if (complete && !cancelled && !job.mergeDeferred()) {
            manifest.markSuccess(RunManifest.toJson(summary));
        }
        return summary;
    }

    /** A local run: the units on a pool of the driver's threads, in plan order, Spark not involved. */
    private <U extends WorkUnit, P, F> String runOnDriverThreads(UnitJob<U, P, F> job, Plan<U, P> plan,
            List<UnitTask.Pending<U, F>> todo, String outputDir, String hash, Map<String, String> stepHashes,
            ProgressTracker tracker, List<UnitRecord<F>> fresh, RunManifest manifest) throws Exception {
        int cap = job.maxConcurrentUnits();
        int threads = Math.min(todo.size(), cap > 0 ? Math.min(cap, spark.driverThreads()) : spark.driverThreads());
        UnitTask<U, P, F> task = new UnitTask<>(job, UnitTask.PlanValue.direct(plan.value()), outputDir, storage, hash,
                stepHashes, runId, null, null, null, null, null);
        UnitTask.Counter counter = trackerCounter(tracker);
        List<UnitTask.Kernels> kernels = new java.util.concurrent.CopyOnWriteArrayList<>();
        ThreadLocal<UnitTask.Kernels> threadKernels = ThreadLocal.withInitial(() -> {
            UnitTask.Kernels k = new UnitTask.Kernels();
            kernels.add(k);
            return k;
        });
        AtomicInteger threadNumber = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "fieldwork-unit-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        driverPool = pool;
        List<Future<UnitRecord<F>>> futures = new ArrayList<>();
        try (RunManifest.Writer records = manifest.writer(runId + "-driver")) {
            try {
                for (UnitTask.Pending<U, F> p : todo) {
                    futures.add(pool.submit(() -> {
                        UnitRecord<F> r = task.runOne(p, () -> cancelled, counter, threadKernels.get(), records);
                        synchronized (unitListeners) {
                            unitListeners.forEach(l -> l.accept(r));
                        }
                        return r;
                    }));
                }
            } catch (java.util.concurrent.RejectedExecutionException cancelledMeanwhile) {
                // cancel() shut the pool down: the units not submitted simply do not run.
            }
            if (cancelled) {
                stop(pool);
            }
            for (Future<UnitRecord<F>> f : futures) {
                try {
                    fresh.add(f.get());
                } catch (CancellationException | InterruptedException e) {
                    if (!cancelled) {
                        throw e;
                    }
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cancelled) {
                        // Interrupted by the cancel, possibly while writing its record: the unit runs again next time.
                        continue;
                    }
                    if (cause instanceof Error err && !(cause instanceof OutOfMemoryError)) {
                        throw err;
                    }
                    // The unit's record could not be written (the output store failed): the run cannot go on.
                    throw cause instanceof Exception ex ? ex : new RuntimeException(cause);
                }
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
            driverPool = null;
            kernels.forEach(UnitTask.Kernels::close);
        }
        return threads == 1 ? "on the driver, one unit at a time" : "on " + threads + " driver threads";
    }

    /** Interrupts the running units and cancels those not started, so that waiting on them ends. */
    private static void stop(ExecutorService pool) {
        for (Runnable notStarted : pool.shutdownNow()) {
            if (notStarted instanceof Future<?> f) {
                f.cancel(false);
            }
        }
    }

    private static UnitTask.Counter trackerCounter(ProgressTracker tracker) {
        return new UnitTask.Counter() {
            @Override
            public void bytes(long n) {
                tracker.add(0, 0, n, 0);
            }

            @Override
            public void items(long n) {
                tracker.add(0, 0, 0, n);
            }

            @Override
            public void finished(boolean ok, Map<String, Long> counts) {
                tracker.add(ok ? 1 : 0, ok ? 0 : 1, 0, 0);
            }
        };
    }

    /** A run with a Spark session: one task per unit (or per worker), or the driver for tiny inputs. */
    private <U extends WorkUnit, P, F> String runOnSpark(UnitJob<U, P, F> job, Plan<U, P> plan,
            List<UnitTask.Pending<U, F>> todo, String outputDir, String hash, Map<String, String> stepHashes,
            ProgressTracker tracker, List<UnitRecord<F>> fresh, RunManifest manifest, long started) throws Exception {
        SparkSession session = spark.get();
        long todoBytes = todo.stream().mapToLong(p -> p.unit().inputBytes()).sum();
        long threshold = driverThresholdBytes != null ? driverThresholdBytes : job.driverThresholdBytes();
        int concurrency = job.maxConcurrentUnits();
        boolean onDriver = todo.size() <= 1 || concurrency == 1 || todoBytes < threshold && todoBytes > 0;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(session.sparkContext());
        if (onDriver) {
            UnitTask<U, P, F> task = new UnitTask<>(job, UnitTask.PlanValue.direct(plan.value()), outputDir, storage, hash,
                    stepHashes, runId, null, null, null, null, null);
            UnitTask.Counter counter = trackerCounter(tracker);
            try (UnitTask.Kernels kernels = new UnitTask.Kernels();
                 RunManifest.Writer records = manifest.writer(runId + "-driver")) {
                for (UnitTask.Pending<U, F> p : todo) {
                    if (cancelled) {
                        break;
                    }
                    UnitRecord<F> record = task.runOne(p, () -> cancelled, counter, kernels, records);
                    fresh.add(record);
                    unitListeners.forEach(l -> l.accept(record));
                }
            }
            return concurrency == 1 && todo.size() > 1 ? "on the driver, one unit at a time"
                    : "on the driver (small input, no task fan-out)";
        }
        LongAccumulator unitsDone = jsc.sc().longAccumulator(ProgressTracker.UNITS_DONE);
        LongAccumulator unitsFailed = jsc.sc().longAccumulator(ProgressTracker.UNITS_FAILED);
        LongAccumulator bytes = jsc.sc().longAccumulator(ProgressTracker.BYTES);
        LongAccumulator items = jsc.sc().longAccumulator(ProgressTracker.ITEMS);
        CountsAccumulator counts = new CountsAccumulator();
        jsc.sc().register(counts, "fieldwork.counts");
        Broadcast<P> shipped = plan.value() == null ? null : jsc.broadcast(plan.value());
        UnitTask<U, P, F> task = new UnitTask<>(job, UnitTask.PlanValue.broadcast(shipped), outputDir, storage, hash,
                stepHashes, runId, unitsDone, unitsFailed, bytes, items, counts);
        // One unit per task, unless the job caps how many run at once (that many tasks) or there are
        // so many units that their tasks would cost more than the units (then many units per task).
        List<List<UnitTask.Pending<U, F>>> packed = concurrency > 0 ? null
                : packByBytes(todo, bytesPerTask(job.taskBytes(), todo, jsc.defaultParallelism()));
        int tasks = packed != null ? packed.size()
                : concurrency > 0 ? Math.min(concurrency, todo.size()) : Math.min(todo.size(), MAX_TASKS);
        session.sparkContext().addSparkListener(tracker);
        jsc.setJobGroup(jobGroup, job.name() + " (" + todo.size() + " units)", true);
        int failedAtPlanning = fresh.size();
        try {
            List<UnitRecord<F>> ran = packed == null ? jsc.parallelize(todo, tasks).mapPartitions(task).collect()
                    : jsc.parallelize(packed, tasks).mapPartitions((FlatMapFunction<Iterator<List<UnitTask.Pending<U, F>>>,
                            UnitRecord<F>>) groups -> task.call(flatten(groups))).collect();
            fresh.addAll(ran);
            tracker.settle(unitsDone.value(), unitsFailed.value() + failedAtPlanning, bytes.value(), items.value());
            ran.forEach(r -> unitListeners.forEach(l -> l.accept(r)));
        } catch (Exception e) {
            if (!cancelled) {
                LOG.error("{}: Spark job failed: {}", job.name(), e.toString());
            }
            // Tasks write their own records; read what finished before the failure.
            Map<String, UnitRecord<F>> now = manifest.readAll(job.factsType());
            try (RunManifest.Writer lost = manifest.writer(runId + "-lost")) {
                for (UnitTask.Pending<U, F> p : todo) {
                    U u = p.unit();
                    UnitRecord<F> r = now.get(u.id());
                    String unitHash = RunManifest.unitHash(hash, u);
                    if (r != null && r.settingsHash().equals(unitHash) && r.attempt() > p.lastAttempt()) {
                        fresh.add(r);
                    } else if (!cancelled) {
                        UnitRecord<F> failed = UnitRecord.failedBeforeRunning(u.id(), p.lastAttempt() + 1,
                                UnitTask.describe(e), unitHash, u.inputVersion(), u.inputBytes(), started);
                        lost.add(failed);
                        fresh.add(failed);
                    }
                }
            }
        } finally {
            jsc.clearJobGroup();
            session.sparkContext().removeSparkListener(tracker);
            if (shipped != null) {
                shipped.destroy();
            }
        }
        return "as " + tasks + " Spark tasks on " + session.sparkContext().master();
    }

    /** The job's bytes per task, made smaller where the units would otherwise fill fewer than three tasks per core; 0: no packing. */
    static <U extends WorkUnit, F> long bytesPerTask(long taskBytes, List<UnitTask.Pending<U, F>> todo, int cores) {
        if (taskBytes <= 0) {
            return 0;
        }
        long total = 0;
        for (UnitTask.Pending<U, F> p : todo) {
            total += Math.max(1, p.unit().inputBytes());
        }
        // At least three tasks per core where the units allow, so that no core idles behind a big task.
        long spread = (total + 3L * Math.max(1, cores) - 1) / (3L * Math.max(1, cores));
        return Math.max(1, Math.min(taskBytes, spread));
    }

    /**
     * Units in plan order, packed into groups of about {@code bytes} of input each (a unit larger than
     * that is a group of its own), one group per task; null when the job does not pack.
     */
    static <U extends WorkUnit, F> List<List<UnitTask.Pending<U, F>>> packByBytes(List<UnitTask.Pending<U, F>> todo,
            long bytes) {
        if (bytes <= 0) {
            return null;
        }
        List<List<UnitTask.Pending<U, F>>> groups = new ArrayList<>();
        List<UnitTask.Pending<U, F>> current = new ArrayList<>();
        long size = 0;
        for (UnitTask.Pending<U, F> p : todo) {
            long b = Math.max(1, p.unit().inputBytes());
            if (!current.isEmpty() && size + b > bytes) {
                groups.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(p);
            size += b;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    private static <T> Iterator<T> flatten(Iterator<List<T>> groups) {
        List<T> all = new ArrayList<>();
        groups.forEachRemaining(all::addAll);
        return all.iterator();
    }

    private <U extends WorkUnit, P, F> RunSummary summary(UnitJob<U, P, F> job, String outputDir, int total, int skipped,
            List<UnitRecord<F>> fresh, long started, String mode, String merge, boolean wasCancelled) {
        List<RunSummary.FailedUnit> failures = new ArrayList<>();
        long bytes = 0;
        long items = 0;
        int done = 0;
        Counts counts = new Counts();
        for (UnitRecord<F> r : fresh) {
            if (r.status() == UnitStatus.done) {
                done++;
                bytes += r.inputBytes();
                items += r.items();
            } else {
                failures.add(new RunSummary.FailedUnit(r.unit(), r.error()));
            }
            counts.addAll(r.counts());
        }
        return new RunSummary(job.name(), outputDir, total, skipped, done, failures.size(), failures, bytes, items,
                job.itemName(), System.currentTimeMillis() - started, mode, counts.snapshot(), merge, wasCancelled);
    }
}
