package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A job in Fieldwork's one shape: plan units on the driver, process each in one task, merge on
 * the driver. Implementations are serialized to tasks, so they hold settings, not sessions.
 */
public interface UnitJob<U extends WorkUnit> extends Serializable {

    /** Short name used in logs, the Spark job group and the summary, e.g. "segy-import". */
    String name();

    /**
     * Everything that changes what a unit produces. Its hash is stored per unit; a re-run with
     * different settings redoes the units.
     */
    Map<String, String> settings();

    /** Plans units from cheap metadata. Configuration errors are thrown here, before any work. */
    List<U> plan(RunContext run) throws Exception;

    /** Processes one unit in a task. Throwing marks this unit failed; others go on. */
    UnitResult process(U unit, UnitContext context) throws Exception;

    /**
     * Called on the driver after the units ran, with every unit's record (old skipped ones
     * included). Returns a line for the summary. Default: nothing to merge.
     */
    default String merge(RunContext run, List<U> units, List<UnitRecord> records) throws Exception {
        return null;
    }

    /**
     * True when this run should stop after the units (e.g. {@code --no-merge}): no merge and no
     * {@code _SUCCESS}; a later run with merging on skips the done units and merges.
     */
    default boolean mergeDeferred() {
        return false;
    }

    /** Whether merge should run when some units failed (true for per-item jobs like OMR). */
    default boolean mergeWithFailures() {
        return false;
    }

    /**
     * Total input below which a run processes its units one after another on the driver, skipping
     * Spark's task fan-out. Jobs whose units cost much compute per byte (images) lower it.
     */
    default long driverThresholdBytes() {
        return JobRunner.DEFAULT_DRIVER_THRESHOLD_BYTES;
    }

    /**
     * At most this many units at once (a user's --workers): the units are spread over that many
     * tasks. 1 runs them in order on the driver; 0 (the default) gives every unit its own task.
     */
    default int maxConcurrentUnits() {
        return 0;
    }

    /** Unit of {@link UnitContext#addItems}, for the progress bar ("traces", "sheets"). */
    default String itemName() {
        return "items";
    }
}
