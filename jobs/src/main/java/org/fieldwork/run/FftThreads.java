package org.fieldwork.run;

import java.util.concurrent.atomic.AtomicBoolean;

import pl.edu.icm.jlargearrays.ConcurrencyUtils;

/**
 * JTransforms splits large transforms over a thread pool of its own. Units already run one per core
 * (Spark tasks, or the driver's threads in a local run), so each unit's FFTs run in its own thread:
 * two movies on two cores each asking for both cores only make them wait for each other.
 */
public final class FftThreads {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private FftThreads() {
    }

    public static void onePerUnit() {
        if (SET.compareAndSet(false, true)) {
            ConcurrencyUtils.setNumberOfThreads(1);
        }
    }
}
