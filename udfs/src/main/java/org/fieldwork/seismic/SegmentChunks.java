package org.fieldwork.seismic;

import java.util.ArrayList;
import java.util.List;

import org.fieldwork.io.Storage;

/**
 * How a segment's traces fall into its dataset's chunks of whole traces: the chunks it covers
 * whole, which it writes itself, and the rows of the (at most two) chunks it shares with a
 * neighbour, which it keeps as edge pieces for the merge. The importer and the merge both ask here,
 * so the two can never disagree.
 */
public final class SegmentChunks {
    private SegmentChunks() {
    }

    /** Rows {@code [firstRowInChunk, firstRowInChunk + rows)} of chunk {@code chunk}, and whether that is all of it. */
    public record Span(long chunk, int firstRowInChunk, int rows, boolean whole) {
    }

    /** The segment's spans in trace order. */
    public static List<Span> spans(SegyDataset dataset, GatherSegment segment) {
        List<Span> out = new ArrayList<>();
        int chunk = dataset.effectiveChunkTraces();
        long total = dataset.traceCount();
        for (long first = segment.firstTrace(); first < segment.endTrace(); ) {
            long c = first / chunk;
            long start = c * chunk;
            long end = Math.min(start + chunk, total);
            int rows = (int) (Math.min(end, segment.endTrace()) - first);
            out.add(new Span(c, (int) (first - start), rows, first == start && first + rows == end));
            first += rows;
        }
        return out;
    }

    /** Where a segment keeps the rows of a chunk it shares. */
    public static String edgePiecePath(SegyDataset dataset, GatherSegment segment, Span span) {
        return Storage.join(dataset.segmentDir(segment), "edge-" + span.chunk() + "-" + span.firstRowInChunk() + ".f32");
    }

    /** The edge pieces a segment writes. */
    public static List<SegmentImporter.EdgePiece> edgePieces(SegyDataset dataset, GatherSegment segment) {
        List<SegmentImporter.EdgePiece> out = new ArrayList<>();
        for (Span s : spans(dataset, segment)) {
            if (!s.whole()) {
                out.add(new SegmentImporter.EdgePiece(s.chunk(), s.firstRowInChunk(), s.rows(), edgePiecePath(dataset, segment, s)));
            }
        }
        return out;
    }
}
