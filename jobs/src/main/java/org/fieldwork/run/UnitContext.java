package org.fieldwork.run;

import org.fieldwork.io.Storage;
import org.fieldwork.kernels.KernelSession;

/**
 * What a unit sees inside its task: where to write, storage settings, the attempt number, the
 * kernels of its task, which of the job's steps it must run, and counters that feed the progress
 * bar and the summary.
 *
 * @param <F> the job's facts
 */
public interface UnitContext<F> {

    String outputDir();

    Storage storage();

    int attempt();

    /** Adds processed input bytes (drives MB/s while the unit runs). */
    void addBytes(long bytes);

    /** Adds processed domain items (traces, sheets...). */
    void addItems(long items);

    /** Adds to a named count of this unit ("cells", "frames dropped"); the summary shows the run's totals. */
    void count(String name, long n);

    /**
     * The kernels of this task (or driver thread), opened on first use with the run's device policy
     * and shared by the units it runs; the summary says which device ran them.
     */
    KernelSession kernels();

    /**
     * Whether this unit must run the step now: always, unless an earlier run did it with the same
     * settings (for this step and the steps it uses) on the same input. A step it need not run keeps
     * its results from {@link #previous()}.
     */
    boolean runs(String step);

    /** This unit's earlier record (its facts and outputs) when some of its steps are kept from it; null otherwise. */
    UnitRecord<F> previous();

    /** True once the run was cancelled; long units check it between blocks. */
    boolean cancelled();
}
