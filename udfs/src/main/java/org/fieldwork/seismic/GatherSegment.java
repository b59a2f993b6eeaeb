package org.fieldwork.seismic;

import java.io.Serializable;

/**
 * One unit of work: a contiguous run of whole gathers.
 *
 * @param id         0-based, in file order
 * @param firstTrace index of the first trace
 * @param traceCount number of traces
 * @param firstKey   ensemble key of the first trace, null without a key
 * @param lastKey    ensemble key of the last trace, null without a key
 */
public record GatherSegment(int id, long firstTrace, long traceCount, Long firstKey, Long lastKey) implements Serializable {

    /** Index one past the last trace. */
    public long endTrace() {
        return firstTrace + traceCount;
    }
}
