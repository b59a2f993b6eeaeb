package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One unit's entry in the run manifest ({@code <out>/_manifest/}): written by the task that ran it,
 * read by a re-run to skip units done with the same settings, the same steps and the same input.
 *
 * @param settingsHash the job's settings and the unit's fingerprint, hashed
 * @param inputVersion the version of the input the unit read ({@link WorkUnit#inputVersion()})
 * @param steps        step name to the hash of its settings (and of the steps it uses), for a job with {@link Step}s
 * @param counts       the unit's named counts ({@link UnitContext#count})
 * @param facts        the job's typed facts about the unit (null when it failed)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record UnitRecord<F>(
        String unit,
        UnitStatus status,
        int attempt,
        String error,
        String settingsHash,
        String inputVersion,
        Map<String, String> steps,
        List<String> outputs,
        long startedAtMillis,
        long elapsedMillis,
        long inputBytes,
        long items,
        Map<String, Long> counts,
        F facts) implements Serializable {

    public UnitRecord {
        steps = steps == null ? Map.of() : steps;
        outputs = outputs == null ? List.of() : outputs;
        counts = counts == null ? Map.of() : counts;
    }

    public boolean isDoneWith(String hash) {
        return status == UnitStatus.done && hash.equals(settingsHash);
    }

    /**
     * Done with these settings and on the same version of its input: a file replaced or edited under
     * the same name (a rescanned sheet, a re-delivered survey) is read again. Steps aside.
     */
    public boolean isDoneFor(WorkUnit unit, String hash) {
        String version = unit.inputVersion();
        return isDoneWith(RunManifest.unitHash(hash, unit))
                && (version == null || version.isEmpty() || version.equals(inputVersion))
                && (unit.inputBytes() == 0 || unit.inputBytes() == inputBytes);
    }

    /** Done as {@link #isDoneFor} says, and with every step's settings as they are now. */
    public boolean isDoneFor(WorkUnit unit, String hash, Map<String, String> stepHashes) {
        return isDoneFor(unit, hash) && stepHashes.equals(steps);
    }

    /** The first line of a record's error for a results table: "not processed" without a record, "failed" without an error. */
    public static String errorLine(UnitRecord<?> r) {
        if (r == null) {
            return "not processed";
        }
        String e = r.error() == null ? "failed" : r.error();
        return e.lines().findFirst().orElse(e);
    }

    /** A failed record for a unit that did not get to run (failed at planning, or lost with its task). */
    static <F> UnitRecord<F> failedBeforeRunning(String unit, int attempt, String error, String hash, String inputVersion,
            long inputBytes, long startedAtMillis) {
        return new UnitRecord<>(unit, UnitStatus.failed, attempt, error, hash, inputVersion, Map.of(), List.of(),
                startedAtMillis, 0, inputBytes, 0, Map.of(), null);
    }
}
