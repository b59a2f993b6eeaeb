package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One unit's entry in {@code <out>/_manifest/}: written atomically by the task that ran it, read by
 * a re-run to skip finished units with the same settings and the same input.
 *
 * @param settingsHash the job's settings and the unit's fingerprint, hashed
 * @param inputVersion the version of the input the unit read ({@link WorkUnit#inputVersion()})
 * @param facts        the job's typed facts about the unit (null when it failed)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnitRecord<F>(
        String unit,
        UnitStatus status,
        int attempt,
        String error,
        String settingsHash,
        String inputVersion,
        List<String> outputs,
        long startedAtMillis,
        long elapsedMillis,
        long inputBytes,
        long items,
        Map<String, Long> kernelDevices,
        F facts) implements Serializable {

    public boolean isDoneWith(String hash) {
        return status == UnitStatus.done && hash.equals(settingsHash);
    }

    /**
     * Done with these settings and on the same version of its input: a file replaced or edited under
     * the same name (a rescanned sheet, a re-delivered survey) is read again.
     */
    public boolean isDoneFor(WorkUnit unit, String hash) {
        String version = unit.inputVersion();
        return isDoneWith(RunManifest.unitHash(hash, unit))
                && (version == null || version.isEmpty() || version.equals(inputVersion))
                && (unit.inputBytes() == 0 || unit.inputBytes() == inputBytes);
    }

    /** A failed record for a unit that did not get to run (failed at planning, or lost with its task). */
    static <F> UnitRecord<F> failedBeforeRunning(String unit, int attempt, String error, String hash, String inputVersion,
            long inputBytes, long startedAtMillis) {
        return new UnitRecord<>(unit, UnitStatus.failed, attempt, error, hash, inputVersion, List.of(), startedAtMillis, 0,
                inputBytes, 0, Map.of(), null);
    }
}
