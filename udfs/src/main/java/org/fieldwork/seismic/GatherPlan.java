package org.fieldwork.seismic;

import java.io.Serializable;
import java.util.List;

/**
 * The segments of one file and how they were found.
 *
 * @param segments      in file order, covering every trace exactly once, none empty
 * @param key           the ensemble key, null for an even split
 * @param gatherAligned true when every boundary is a gather start (always false without a key)
 * @param warnings      one line per boundary that had to fall back to an even split
 * @param headersRead   trace headers whose key was read while planning
 */
public record GatherPlan(List<GatherSegment> segments, EnsembleKey key, boolean gatherAligned, List<String> warnings,
                         long headersRead) implements Serializable {

    public GatherPlan {
        segments = List.copyOf(segments);
        warnings = List.copyOf(warnings);
    }
}
