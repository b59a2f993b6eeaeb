package org.fieldwork.run;

import org.fieldwork.io.Storage;

/**
 * What a unit sees inside its task: where to write, storage settings, the attempt number, and
 * counters that feed the progress bar while the unit runs.
 */
public interface UnitContext {

    String outputDir();

    Storage storage();

    int attempt();

    /** Adds processed input bytes (drives MB/s while the unit runs). */
    void addBytes(long bytes);

    /** Adds processed domain items (traces, sheets...). */
    void addItems(long items);

    /** Which kernel devices ran for this unit; the job summary adds them up. */
    KernelTally kernels();

    /** True once the run was cancelled; long units check it between blocks. */
    boolean cancelled();
}
