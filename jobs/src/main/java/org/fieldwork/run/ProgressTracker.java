package org.fieldwork.run;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import scala.Tuple4;
import scala.collection.JavaConverters;

/**
 * Adds up a run's progress from the task accumulators Spark reports: final values when a task
 * ends, running values from executor heartbeats while it works. Units run on the driver report
 * straight in. Listeners are called by one ticker thread.
 */
public final class ProgressTracker extends SparkListener {
    static final String UNITS_DONE = "fieldwork.units.done";
    static final String UNITS_FAILED = "fieldwork.units.failed";
    static final String BYTES = "fieldwork.bytes";
    static final String ITEMS = "fieldwork.items";

    private final String job;
    private final String itemName;
    private final int unitsTotal;
    private final long bytesTotal;
    private final long started = System.currentTimeMillis();
    private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<Long, long[]> running = new HashMap<>();
    private final long[] committed = new long[4];
    private ScheduledExecutorService ticker;
    private volatile boolean finished;
    private boolean settled;

    public ProgressTracker(String job, String itemName, int unitsTotal, long bytesTotal) {
        this.job = job;
        this.itemName = itemName;
        this.unitsTotal = unitsTotal;
        this.bytesTotal = bytesTotal;
    }

    public void addListener(ProgressListener l) {
        listeners.add(l);
    }

    public void start(long periodMillis) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fieldwork-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::publish, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    public void finish() {
        finished = true;
        if (ticker != null) {
            ticker.shutdownNow();
        }
        publish();
    }

    /**
     * Final totals of a Spark job, from its accumulators: exact once the job has returned, while
     * the listener bus may still be delivering the last task-end events.
     */
    public synchronized void settle(long unitsDone, long unitsFailed, long bytes, long items) {
        committed[0] = unitsDone;
        committed[1] = unitsFailed;
        committed[2] = bytes;
        committed[3] = items;
        running.clear();
        settled = true;
    }

    /** Direct report from a unit run on the driver. */
    public synchronized void add(long unitsDone, long unitsFailed, long bytes, long items) {
        committed[0] += unitsDone;
        committed[1] += unitsFailed;
        committed[2] += bytes;
        committed[3] += items;
    }

    public synchronized ProgressSnapshot snapshot() {
        long[] sum = committed.clone();
        for (long[] r : running.values()) {
            for (int i = 0; i < 4; i++) {
                sum[i] += r[i];
            }
        }
        return new ProgressSnapshot(job, unitsTotal, (int) sum[0], (int) sum[1], bytesTotal, sum[2], sum[3],
                itemName, System.currentTimeMillis() - started, finished);
    }

    private void publish() {
        ProgressSnapshot s = snapshot();
        for (ProgressListener l : listeners) {
            try {
                l.onProgress(s);
            } catch (RuntimeException ignored) {
                // A listener's bug must not stop the run or the other listeners.
            }
        }
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd taskEnd) {
        if (settled) {
            return;
        }
        long[] values = values(JavaConverters.seqAsJavaList(taskEnd.taskInfo().accumulables()));
        running.remove(taskEnd.taskInfo().taskId());
        if (taskEnd.reason() instanceof org.apache.spark.Success$) {
            for (int i = 0; i < 4; i++) {
                committed[i] += values[i];
            }
        }
    }

    @Override
    public synchronized void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        if (settled) {
            return;
        }
        for (Tuple4<Object, Object, Object, scala.collection.Seq<AccumulableInfo>> u
                : JavaConverters.seqAsJavaList(update.accumUpdates())) {
            long taskId = (Long) u._1();
            long[] values = values(JavaConverters.seqAsJavaList(u._4()));
            if (values[0] + values[1] + values[2] + values[3] > 0) {
                running.put(taskId, values);
            }
        }
    }

    private static long[] values(List<AccumulableInfo> infos) {
        long[] v = new long[4];
        for (AccumulableInfo info : infos) {
            if (info.name().isEmpty() || info.update().isEmpty()) {
                continue;
            }
            Object update = info.update().get();
            long n = update instanceof Number num ? num.longValue() : 0;
            switch (info.name().get()) {
                case UNITS_DONE -> v[0] = n;
                case UNITS_FAILED -> v[1] = n;
                case BYTES -> v[2] = n;
                case ITEMS -> v[3] = n;
                default -> { }
            }
        }
        return v;
    }
}
