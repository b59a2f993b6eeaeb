package org.fieldwork.run;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.TaskContext;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Spark already runs one task per core; OpenCV's own thread pool on top of that only makes the
 * tasks fight over the same cores, which makes each sheet slower. The first task in a JVM turns the
 * pool off for that JVM;
 * with local[*] that is the driver's JVM too, so later runs on the driver (--workers 1) keep it off.
 */
public final class OpenCvThreads {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private OpenCvThreads() {
    }

    public static void onePerTask() {
        if (TaskContext.get() != null && SET.compareAndSet(false, true)) {
            opencv_core.setNumThreads(1);
        }
    }
}
