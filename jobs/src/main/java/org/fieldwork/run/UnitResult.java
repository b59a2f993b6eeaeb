package org.fieldwork.run;

import java.io.Serializable;
import java.util.List;

/**
 * What a unit's processing returns: the outputs it committed, how many domain items it handled
 * (traces, cells, sheets), and the job's typed facts about it, which the merge reads (from this
 * run, or from the manifest of an earlier one).
 *
 * @param <F> the job's facts record, serialised to the manifest as JSON ({@code Void}: none)
 */
public record UnitResult<F>(List<String> outputs, long items, F facts) implements Serializable {

    public UnitResult {
        outputs = List.copyOf(outputs);
    }

    public static <F> UnitResult<F> of(List<String> outputs, long items) {
        return new UnitResult<>(outputs, items, null);
    }
}
