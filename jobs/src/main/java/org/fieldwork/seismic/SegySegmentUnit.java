package org.fieldwork.seismic;

import org.fieldwork.run.WorkUnit;

/**
 * One gather-aligned segment of one SEG-Y file. A file that cannot be planned (bad header,
 * truncated) becomes one unit carrying the error, so a folder run records it as failed and goes on.
 */
public record SegySegmentUnit(String input, SegyDataset dataset, GatherSegment segment, EnsembleKey key, long bytes,
                              String planError) implements WorkUnit {

    @Override
    public String id() {
        String file = dataset.dir().replaceAll(".*/", "").replaceAll("[^\\p{L}\\p{N}._-]", "_");
        if (planError != null) {
            return file + ".unreadable";
        }
        // The trace range is part of the id: a re-run planned differently never mistakes a segment for another.
        return String.format("%s.seg-%05d.t%d+%d", file, segment.id(), segment.firstTrace(), segment.traceCount());
    }

    @Override
    public long inputBytes() {
        return bytes;
    }
}
