package org.fieldwork.run;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs units inside a task (or on the driver for tiny runs): calls the job, catches its failure,
 * writes the unit's manifest record from where it ran, so a lost driver loses no finished work.
 */
final class UnitTask<U extends WorkUnit, P, F> implements FlatMapFunction<Iterator<U>, UnitRecord<F>> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(UnitTask.class);

    private final UnitJob<U, P, F> job;
    private final PlanValue<P> planValue;
    private final String outputDir;
    private final Storage storage;
    private final String settingsHash;
    private final Map<String, Integer> previousAttempts;
    private final LongAccumulator unitsDone;
    private final LongAccumulator unitsFailed;
    private final LongAccumulator bytes;
    private final LongAccumulator items;
    private final DeviceCountAccumulator devices;

    UnitTask(UnitJob<U, P, F> job, PlanValue<P> planValue, String outputDir, Storage storage, String settingsHash, Map<String, Integer> previousAttempts,
             LongAccumulator unitsDone, LongAccumulator unitsFailed, LongAccumulator bytes, LongAccumulator items,
             DeviceCountAccumulator devices) {
        this.job = job;
        this.planValue = planValue;
        this.outputDir = outputDir;
        this.storage = storage;
        this.settingsHash = settingsHash;
        this.previousAttempts = previousAttempts;
        this.unitsDone = unitsDone;
        this.unitsFailed = unitsFailed;
        this.bytes = bytes;
        this.items = items;
        this.devices = devices;
    }

    @Override
    public Iterator<UnitRecord<F>> call(Iterator<U> units) throws Exception {
        TaskContext task = TaskContext.get();
        BooleanSupplier cancelled = () -> task != null && task.isInterrupted();
        List<UnitRecord<F>> out = new ArrayList<>();
        while (units.hasNext()) {
            out.add(runOne(units.next(), cancelled, new Counter() {
                @Override
                public void bytes(long n) {
                    bytes.add(n);
                }

                @Override
                public void items(long n) {
                    items.add(n);
                }

                @Override
                public void finished(boolean ok, Map<String, Long> kernelRuns) {
                    (ok ? unitsDone : unitsFailed).add(1);
                    devices.add(kernelRuns);
                }
            }));
        }
        return out.iterator();
    }

    /** Where a unit's counters go: accumulators in a task, the tracker on the driver. */
    interface Counter {
        void bytes(long n);

        void items(long n);

        void finished(boolean ok, Map<String, Long> kernelRuns);
    }

    /** The plan-wide value as a task gets it: a broadcast on Spark, the object itself on the driver. */
    interface PlanValue<P> extends java.io.Serializable {
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

    UnitRecord<F> runOne(U unit, BooleanSupplier cancelled, Counter counter) throws Exception {
        int attempt = previousAttempts.getOrDefault(unit.id(), 0) + 1;
        String hash = RunManifest.unitHash(settingsHash, unit);
        KernelTally kernels = new KernelTally();
        long[] itemCount = new long[1];
        UnitContext ctx = new UnitContext() {
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
            public KernelTally kernels() {
                return kernels;
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
            record = new UnitRecord<>(unit.id(), UnitStatus.done, attempt, null, hash, unit.inputVersion(), result.outputs(),
                    start, System.currentTimeMillis() - start, unit.inputBytes(), Math.max(result.items(), itemCount[0]),
                    kernels.snapshot(), result.facts());
        } catch (Throwable t) {
            if (cancelled.getAsBoolean()) {
                // A cancelled unit is not a failed one: leave its old record so a re-run redoes it.
                throw new InterruptedException("unit " + unit.id() + " cancelled");
            }
            if (t instanceof VirtualMachineError vme && !(t instanceof OutOfMemoryError)) {
                throw vme;
            }
            LOG.warn("unit {} failed: {}", unit.id(), t.toString());
            record = new UnitRecord<>(unit.id(), UnitStatus.failed, attempt, describe(t), hash, unit.inputVersion(), List.of(),
                    start, System.currentTimeMillis() - start, unit.inputBytes(), itemCount[0], kernels.snapshot(), null);
        }
        new RunManifest(outputDir, storage).write(record);
        counter.finished(record.status() == UnitStatus.done, record.kernelDevices());
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
