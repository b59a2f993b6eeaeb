package org.fieldwork.run;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a unit's processing returns: the outputs it committed, how many domain items it handled
 * (traces, cells, sheets), and small facts the merge step needs (counts, ranges).
 */
public final class UnitResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<String> outputs;
    private final long items;
    private final Map<String, Object> facts;

    public UnitResult(List<String> outputs, long items, Map<String, Object> facts) {
        this.outputs = List.copyOf(outputs);
        this.items = items;
        this.facts = facts == null ? Map.of() : new LinkedHashMap<>(facts);
    }

    public static UnitResult of(List<String> outputs, long items) {
        return new UnitResult(outputs, items, Map.of());
    }

    public List<String> outputs() {
        return outputs;
    }

    public long items() {
        return items;
    }

    public Map<String, Object> facts() {
        return facts;
    }
}
