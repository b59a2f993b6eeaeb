package org.fieldwork.seismic;

import org.fieldwork.run.WorkUnit;

/** One gather-aligned segment of one SEG-Y file, and the version of the file it was planned from. */
public record SegySegmentUnit(String input, String inputVersion, SegyDataset dataset, GatherSegment segment,
                              EnsembleKey key, long bytes) implements WorkUnit {

    @Override
    public String id() {
        // The trace range is part of the id: a re-run planned differently never mistakes a segment for another.
        return String.format("%s.seg-%05d.t%d+%d", datasetId(dataset), segment.id(), segment.firstTrace(), segment.traceCount());
    }

    /** The dataset folder's name made file-name safe: the first part of its units' ids. */
    static String datasetId(SegyDataset dataset) {
        return dataset.dir().replaceAll(".*/", "").replaceAll("[^\\p{L}\\p{N}._-]", "_");
    }

    @Override
    public long inputBytes() {
        return bytes;
    }
}
