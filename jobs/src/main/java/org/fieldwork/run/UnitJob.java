package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * A job in Fieldwork's one shape: plan units on the driver, process each in one task, merge on
 * the driver. Implementations are serialized to tasks, so they hold settings, not sessions.
 *
 * @param <U> the unit of work
 * @param <P> the plan-wide value every unit and the merge share (configuration, templates); {@code Void} for none
 * @param <F> the facts a unit reports for the merge (serializable: tasks send them back), stored as JSON in its
 *            manifest record; {@code Void} for none
 */
public interface UnitJob<U extends WorkUnit, P, F> extends Serializable {

    /** Short name used in logs, the Spark job group and the summary, e.g. "segy-import". */
    String name();

    /**
     * Everything that changes what a unit produces. Its hash is stored per unit; a re-run with
     * different settings redoes the units.
     */
    Map<String, String> settings();

    /** The class of this job's facts, to read them back from the manifest. */
    Class<F> factsType();

    /**
     * The steps of every unit's work, each with its own settings, in order (a step after the steps it
     * uses). A re-run redoes in each unit exactly the steps whose settings changed and those that use
     * them ({@link UnitContext#runs}). Default: none, the unit is one piece of work.
     */
    default List<Step> steps() {
        return List.of();
    }

    /**
     * Plans units from cheap metadata. Configuration errors are thrown here, before any work, and
     * nothing may be written; an input that cannot be planned goes into {@link Plan#fail}.
     */
    Plan<U, P> plan(RunContext run) throws Exception;

    /**
     * Called on the driver once the plan stands, before any unit of this run writes, with the units
     * about to run: the place to store what a later step needs (the settings) and to unpublish an
     * earlier run's output that these units will change, so that no reader takes it for complete
     * while they run. May add units that must run again with them. Returns the units to run.
     */
    default List<U> beforeUnits(RunContext run, Plan<U, P> plan, List<U> todo) throws Exception {
        return todo;
    }

    /** Processes one unit in a task. Throwing marks this unit failed; others go on. */
    UnitResult<F> process(U unit, P plan, UnitContext<F> context) throws Exception;

    /**
     * Called on the driver after the units ran, with every unit's record in plan order (those done
     * by earlier runs and those failed at planning included). Returns a line for the summary.
     */
    default String merge(RunContext run, Plan<U, P> plan, List<UnitRecord<F>> records) throws Exception {
        return null;
    }

    /** Whether {@link #merge} uses Spark SQL: then a run that does not otherwise need Spark starts it early, in the background. */
    default boolean mergeUsesSpark() {
        return false;
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
     * Total input below which a run with Spark tasks processes its units one after another on the
     * driver, skipping the task fan-out. Jobs whose units cost much compute per byte (images) lower it.
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

    /**
     * Input bytes per Spark task for jobs of many small units (images): units are packed in plan order
     * into tasks of about this many bytes, so thousands of small images do not become thousands of
     * tiny tasks. 0 (the default): a task per unit. Ignored when {@link #maxConcurrentUnits} is set.
     */
    default long taskBytes() {
        return 0;
    }

        /** Unit of {@link UnitContext#addItems}, for the progress bar ("traces", "sheets"). */
    default String itemName() {
        return "items";
    }
}
