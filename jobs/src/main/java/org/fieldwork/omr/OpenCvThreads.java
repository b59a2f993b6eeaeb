package org.fieldwork.omr;

import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.spark.TaskContext;
import org.bytedeco.opencv.global.opencv_core;

/**
 * Spark already runs one task per core; OpenCV's own thread pool on top of that only makes the
 * tasks fight over the same cores (measured: 20% slower template matching with 2 tasks on 2
 * cores). Inside a task, OpenCV runs on the task's thread. Units run on the driver keep
 * OpenCV's pool, since they run one at a time.
 */
final class OpenCvThreads {
    private static final AtomicBoolean SET = new AtomicBoolean();

    private OpenCvThreads() {
    }

    static void onePerTask() {
        if (TaskContext.get() != null && SET.compareAndSet(false, true)) {
            opencv_core.setNumThreads(1);
        }
    }
}
