package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One unit's entry in {@code <out>/_manifest/}: written atomically by the task that ran it, read by
 * a re-run to skip finished units with the same settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnitRecord(
        String unit,
        UnitStatus status,
        int attempt,
        String error,
        String settingsHash,
        List<String> outputs,
        long startedAtMillis,
        long elapsedMillis,
        long inputBytes,
        long items,
        Map<String, Long> kernelDevices,
        Map<String, Object> facts) implements Serializable {

    public boolean isDoneWith(String hash) {
        return status == UnitStatus.done && hash.equals(settingsHash);
    }

    /**
     * Done with these settings and on input of the same size: a file replaced under the same name
     * (a rescanned sheet, a re-delivered survey) is read again.
     */
    public boolean isDoneFor(WorkUnit unit, String hash) {
        return isDoneWith(RunManifest.unitHash(hash, unit)) && (unit.inputBytes() == 0 || unit.inputBytes() == inputBytes);
    }
}
