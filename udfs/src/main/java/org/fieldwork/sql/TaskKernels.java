package org.fieldwork.sql;

import java.util.function.Function;

import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;
import org.fieldwork.kernels.KernelSession;

/**
 * The kernel session a SQL function uses: one per Spark task, opened on the task's first row with
 * the run's device policy ({@link KernelSession#open()}: {@code fieldwork.kernels} /
 * {@code FIELDWORK_KERNELS}, the same as the jobs' units) and closed when the task completes, as a
 * job's task does with its units. Sessions are not thread-safe, so each task thread has its own.
 * Rows evaluated outside a task (Spark computes projections of small local data on the driver) get a
 * session of their own, closed after the row.
 */
final class TaskKernels {
    private record Open(long taskAttemptId, KernelSession session) {
    }

    private static final ThreadLocal<Open> OPEN = new ThreadLocal<>();

    private TaskKernels() {
    }

    static <R> R apply(Function<KernelSession, R> work) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            try (KernelSession kernels = KernelSession.open()) {
                return work.apply(kernels);
            }
        }
        Open open = OPEN.get();
        if (open == null || open.taskAttemptId() != task.taskAttemptId()) {
            Open opened = new Open(task.taskAttemptId(), KernelSession.open());
            OPEN.set(opened);
            task.addTaskCompletionListener((TaskCompletionListener) done -> {
                opened.session().close();
                if (OPEN.get() == opened) {
                    OPEN.remove();
                }
            });
            open = opened;
        }
        return work.apply(open.session());
    }
}
