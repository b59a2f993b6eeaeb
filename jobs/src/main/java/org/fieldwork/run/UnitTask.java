package org.fieldwork.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.fieldwork.io.Storage;
import org.fieldwork.kernels.KernelReport;
import org.fieldwork.kernels.KernelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units inside a task (or on the driver's threads): calls the job, catches its failure, and
 * writes the units' manifest records from where they ran, in batches, so a lost driver loses no
 * finished work. The task's kernels are opened on first use and closed with the task.
 */
final class UnitTask<U extends WorkUnit, P, F> implements FlatMapFunction<Iterator<UnitTask.Pending<U, F>>, UnitRecord<F>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UnitTask.class);
    /** Counts of kernel runs are kept under this prefix and the device label ("kernels on opencl:..."). */
    static final String KERNELS_ON = "kernels on ";

    /**
     * A unit to run, with what its last record says: the attempt it was, and the record itself when
     * the unit only needs some of its steps again.
     */
    record Pending<U, F>(U unit, int lastAttempt, UnitRecord<F> keep) implements Serializable {
    }

    private final UnitJob<U, P, F> job;
    private final PlanValue<P> planValue;
    private final String outputDir;
    private final Storage storage;
    private final String settingsHash;
    private final Map<String, String> stepHashes;
    private final List<Step> steps;
    private final String runId;
    private final LongAccumulator unitsDone;
    private final LongAccumulator unitsFailed;
    private final LongAccumulator bytes;
    private final LongAccumulator items;
    private final CountsAccumulator counts;

    UnitTask(UnitJob<U, P, F> job, PlanValue<P> planValue, String outputDir, Storage storage, String settingsHash,
             Map<String, String> stepHashes, String runId, LongAccumulator unitsDone, LongAccumulator unitsFailed,
             LongAccumulator bytes, LongAccumulator items, CountsAccumulator counts) {
        this.job = job;
        this.planValue = planValue;
        this.outputDir = outputDir;
        this.storage = storage;
        this.settingsHash = settingsHash;
        this.stepHashes = stepHashes;
        this.steps = job.steps();
        this.runId = runId;
        this.unitsDone = unitsDone;
        this.unitsFailed = unitsFailed;
        this.bytes = bytes;
        this.items = items;
        this.counts = counts;
    }

    @Override
    public Iterator<UnitRecord<F>> call(Iterator<Pending<U, F>> units) throws Exception {
        TaskContext task = TaskContext.get();
        BooleanSupplier cancelled = () -> task != null && task.isInterrupted();
        String writerId = task == null ? "local-" + UUID.randomUUID()
                : String.format("%s-s%d-p%d-a%d", runId, task.stageId(), task.partitionId(), task.attemptNumber());
        List<UnitRecord<F>> out = new ArrayList<>();
        Counter counter = new Counter() {
            @Override
            public void bytes(long n) {
                bytes.add(n);
            }

            @Override
            public void items(long n) {
                items.add(n);
            }

            @Override
            public void finished(boolean ok, Map<String, Long> unitCounts) {
                (ok ? unitsDone : unitsFailed).add(1);
                counts.add(unitCounts);
            }
        };
        try (Kernels kernels = new Kernels(); RunManifest.Writer records = new RunManifest(outputDir, storage).writer(writerId)) {
            while (units.hasNext()) {
                out.add(runOne(units.next(), cancelled, counter, kernels, records));
            }
        }
        return out.iterator();
    }

    /** Where a unit's counters go: accumulators in a task, the tracker on the driver. */
    interface Counter {
        void bytes(long n);

        void items(long n);

        void finished(boolean ok, Map<String, Long> counts);
    }

    /** The plan-wide value as a task gets it: a broadcast on Spark, the object itself on the driver. */
    interface PlanValue<P> extends Serializable {
        P get();

        static <P> PlanValue<P> direct(P value) {
            return new Direct<>(value);
        }

        static <P> PlanValue<P> broadcast(org.apache.spark.broadcast.Broadcast<P> b) {
            return new Broadcasted<>(b);
        }
    }

    /** Driver threads only: never serialized. */
    static final class Direct<P> implements PlanValue<P> {
        private static final long serialVersionUID = 1L;
        private final transient P value;

        Direct(P value) {
            this.value = value;
        }

        @Override
        public P get() {
            return value;
        }
    }

    record Broadcasted<P>(org.apache.spark.broadcast.Broadcast<P> broadcast) implements PlanValue<P> {
        @Override
        public P get() {
            return broadcast == null ? null : broadcast.value();
        }
    }

    /** The kernels of one task or driver thread: opened on first use, closed with it. */
    static final class Kernels implements AutoCloseable {
        private KernelSession session;
        private KernelReport reported = new KernelReport();

        KernelSession get() {
            if (session == null) {
                session = KernelSession.open();
            }
            return session;
        }

        /** Kernel runs since the last call, as counts ("kernels on <device>"). */
        void countInto(Counts counts) {
            if (session == null) {
                return;
            }
            KernelReport now = session.report();
            Map<String, Long> before = reported.runsByDevice();
            now.runsByDevice().forEach((device, n) -> {
                long added = n - before.getOrDefault(device, 0L);
                if (added > 0) {
                    counts.add(KERNELS_ON + device, added);
                }
            });
            reported = now;
        }

        @Override
        public void close() {
            if (session != null) {
                session.close();
                session = null;
            }
        }
    }

    UnitRecord<F> runOne(Pending<U, F> pending, BooleanSupplier cancelled, Counter counter, Kernels kernels,
            RunManifest.Writer records) throws Exception {
        U unit = pending.unit();
        int attempt = pending.lastAttempt() + 1;
        String hash = RunManifest.unitHash(settingsHash, unit);
        UnitRecord<F> keep = pending.keep();
        Map<String, String> unitSteps = Step.forUnit(steps, stepHashes, unit);
        Set<String> stale = Step.stale(unitSteps, keep == null ? null : keep.steps());
        Counts unitCounts = new Counts();
        long[] itemCount = new long[1];
        UnitContext<F> ctx = new UnitContext<>() {
            @Override
            public String outputDir() {
                return outputDir;
            }

            @Override
            public Storage storage() {
                return storage;
            }

            @Override
            public int attempt() {
                return attempt;
            }

            @Override
            public void addBytes(long n) {
                counter.bytes(n);
            }

            @Override
            public void addItems(long n) {
                itemCount[0] += n;
                counter.items(n);
            }

            @Override
            public void count(String name, long n) {
                unitCounts.add(name, n);
            }

            @Override
            public KernelSession kernels() {
                return kernels.get();
            }

            @Override
            public boolean runs(String step) {
                if (!unitSteps.containsKey(step)) {
                    throw new IllegalArgumentException(job.name() + " declares no step '" + step + "'");
                }
                return stale.contains(step);
            }

            @Override
            public UnitRecord<F> previous() {
                return keep;
            }

            @Override
            public boolean cancelled() {
                return cancelled.getAsBoolean();
            }
        };
        long start = System.currentTimeMillis();
        UnitRecord<F> record;
        try {
            UnitResult<F> result = job.process(unit, planValue.get(), ctx);
            if (cancelled.getAsBoolean()) {
                throw new InterruptedException("cancelled");
            }
            kernels.countInto(unitCounts);
            record = new UnitRecord<>(unit.id(), UnitStatus.done, attempt, null, hash, unit.inputVersion(), unitSteps,
                    result.outputs(), start, System.currentTimeMillis() - start, unit.inputBytes(),
                    Math.max(result.items(), itemCount[0]), unitCounts.snapshot(), result.facts());
        } catch (Throwable t) {
            if (cancelled.getAsBoolean()) {
                // A cancelled unit is not a failed one: leave its old record so a re-run redoes it.
                throw new InterruptedException("unit " + unit.id() + " cancelled");
            }
            if (t instanceof VirtualMachineError vme && !(t instanceof OutOfMemoryError)) {
                throw vme;
            }
            LOG.warn("unit {} failed: {}", unit.id(), t.toString());
            kernels.countInto(unitCounts);
            record = new UnitRecord<>(unit.id(), UnitStatus.failed, attempt, describe(t), hash, unit.inputVersion(),
                    Map.of(), List.of(), start, System.currentTimeMillis() - start, unit.inputBytes(), itemCount[0],
                    unitCounts.snapshot(), null);
        }
        try {
            records.add(record);
        } catch (IOException e) {
            throw new IOException(outputDir + ": cannot write the manifest: " + e.getMessage(), e);
        }
        counter.finished(record.status() == UnitStatus.done, record.counts());
        return record;
    }

    /** The message users read first, then the stack for whoever debugs it. */
    static String describe(Throwable t) {
        StringWriter sw = new StringWriter();
        t.printStackTrace(new PrintWriter(sw));
        String stack = sw.toString();
        String first = t.getMessage() != null ? t.getMessage() : t.getClass().getName();
        Throwable cause = t.getCause();
        while (cause != null && cause != t) {
            if (cause.getMessage() != null && !first.contains(cause.getMessage())) {
                first = first + ": " + cause.getMessage();
            }
            cause = cause.getCause() == cause ? null : cause.getCause();
        }
        return first + "\n" + (stack.length() > 4000 ? stack.substring(0, 4000) : stack);
    }
}
