package org.fieldwork.run;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.TaskContext;

import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * JTransforms splits large transforms over a thread pool of its own. Spark already runs one task
 * per core, so inside tasks each FFT runs in its task's thread; a run on the driver alone (one
 * movie, --workers 1) keeps the pool.
 */
public final class FftThreads {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private FftThreads() {
    }

    public static void onePerTask() {
        if (TaskContext.get() != null && SET.compareAndSet(false, true)) {
            ConcurrencyUtils.setNumberOfThreads(1);
        }
    }
}
