package org.fieldwork.seismic;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.ColumnBatch;
import org.fieldwork.io.parquet.ColumnTableWriter;
import org.fieldwork.io.zarr.ZarrArray;

/**
 * Imports one gather-aligned segment inside a task: its whole chunks go straight into the final
 * {@code traces.zarr}; the rows it owns of the (at most two) chunks it shares with neighbouring
 * segments go to small edge pieces the merge assembles; its trace headers go to one Parquet file.
 * So the merge never touches samples outside boundary chunks.
 */
public final class SegmentImporter {

    /** Progress and cancellation, supplied by whoever runs the segment. */
    public interface Progress {
        void add(long traces, long bytes);

        boolean cancelled();
    }

    /** Rows {@code [firstRowInChunk, firstRowInChunk + rows)} of chunk {@code chunk}, raw little-endian float32. */
    public record EdgePiece(long chunk, int firstRowInChunk, int rows, String path) implements Serializable {
    }

    /** What the merge needs to know about a finished segment. */
    public record SegmentOutput(GatherSegment segment, List<EdgePiece> edgePieces, String headersPath, long gatherCount,
                                long fullChunks) implements Serializable {
    }

    public static final String TRACE_INDEX = "trace_index";
    public static final String SEGMENT_ID = "segment_id";
    public static final String GATHER_ID = "gather_id";

    private SegmentImporter() {
    }

    /** The header column an ensemble key is stored in: its segyio name, or key_BYTE_WIDTH for a mapping. */
    public static String keyColumn(EnsembleKey key) {
        return TraceField.byName(key.name()) != null ? key.name() : "key_" + key.field().position() + "_" + key.field().width();
    }

    public static SegmentOutput importSegment(Storage storage, String input, SegyDataset dataset, GatherSegment segment,
                                              EnsembleKey key, Progress progress) throws IOException, InterruptedException {
        ZarrArray traces = ZarrArray.unpublished(storage, dataset.tracesPath(), dataset.tracesMetadata());
        int chunk = dataset.effectiveChunkTraces();
        int ns = dataset.samplesPerTrace();
        long total = dataset.traceCount();
        String segDir = dataset.segmentDir(segment);
        OutputFiles files = new OutputFiles(storage);

        List<HeaderField> fields = new ArrayList<>();
        for (TraceField f : TraceField.values()) {
            fields.add(f.asHeaderField());
        }
        boolean mappingKey = key != null && TraceField.byName(key.name()) == null;
        if (mappingKey) {
            fields.add(key.field());
        }
        TraceBlock block = new TraceBlock(chunk, ns, fields);
        long[] traceIndex = new long[chunk];
        int[] segmentId = new int[chunk];
        Arrays.fill(segmentId, segment.id());
        long[] gatherId = new long[chunk];
        long gather = -1;
        long previousKey = 0;
        List<EdgePiece> pieces = new ArrayList<>();
        long fullChunks = 0;
        String headersPath = Storage.join(segDir, "headers.parquet");

        try (SegyReader reader = SegyReader.open(storage, input)) {
            int traceSize = reader.layout().traceSize();
            ColumnTableWriter headers = null;
            try {
                for (long first = segment.firstTrace(); first < segment.endTrace(); ) {
                    if (progress.cancelled()) {
                        throw new InterruptedException("import of " + input + " segment " + segment.id() + " cancelled");
                    }
                    long chunkIndex = first / chunk;
                    long chunkStart = chunkIndex * chunk;
                    long chunkEnd = Math.min(chunkStart + chunk, total);
                    int count = (int) (Math.min(chunkEnd, segment.endTrace()) - first);
                    reader.read(first, count, block);

                    float[] samples = block.samples();
                    if (first == chunkStart && first + count == chunkEnd) {
                        traces.writeChunk(new long[] {chunkIndex, 0},
                                samples.length == count * ns ? samples : Arrays.copyOf(samples, count * ns));
                        fullChunks++;
                    } else {
                        // This chunk is shared with a neighbouring segment: keep our rows for the merge.
                        int rowInChunk = (int) (first - chunkStart);
                        String piece = Storage.join(segDir, "edge-" + chunkIndex + "-" + rowInChunk + ".f32");
                        ByteBuffer bb = ByteBuffer.allocate(count * ns * 4).order(ByteOrder.LITTLE_ENDIAN);
                        bb.asFloatBuffer().put(samples, 0, count * ns);
                        files.writeAtomically(piece, bb.array());
                        pieces.add(new EdgePiece(chunkIndex, rowInChunk, count, piece));
                    }

                    ColumnBatch batch = new ColumnBatch(count);
                    for (int i = 0; i < count; i++) {
                        traceIndex[i] = first + i;
                    }
                    batch.int64(TRACE_INDEX, traceIndex).int32(SEGMENT_ID, segmentId);
                    if (key != null) {
                        int[] keys = block.column(key.field());
                        for (int i = 0; i < count; i++) {
                            if (gather < 0 || keys[i] != previousKey) {
                                gather++;
                                previousKey = keys[i];
                            }
                            gatherId[i] = gather;
                        }
                        // Local ordinal; the merge adds the gathers of earlier segments.
                        batch.int64(GATHER_ID, gatherId);
                    }
                    for (HeaderField f : block.fields()) {
                        batch.int32(mappingKey && f.equals(key.field()) ? keyColumn(key) : f.name(), block.column(f));
                    }
                    if (headers == null) {
                        headers = ColumnTableWriter.open(storage, headersPath, batch);
                    }
                    headers.write(batch);
                    progress.add(count, (long) count * traceSize);
                    first += count;
                }
            } finally {
                if (headers != null) {
                    headers.close();
                }
            }
        }
        return new SegmentOutput(segment, pieces, headersPath, key == null ? 0 : gather + 1, fullChunks);
    }

    /**
     * Writes one boundary chunk from the edge pieces of the segments that share it. Every row of the
     * chunk must be covered exactly once.
     */
    public static void assembleChunk(Storage storage, SegyDataset dataset, long chunkIndex, List<EdgePiece> pieces)
            throws IOException {
        ZarrArray traces = ZarrArray.unpublished(storage, dataset.tracesPath(), dataset.tracesMetadata());
        int chunk = dataset.effectiveChunkTraces();
        int ns = dataset.samplesPerTrace();
        int rows = (int) (Math.min((chunkIndex + 1) * chunk, dataset.traceCount()) - chunkIndex * chunk);
        float[] data = new float[rows * ns];
        boolean[] covered = new boolean[rows];
        OutputFiles files = new OutputFiles(storage);
        for (EdgePiece p : pieces) {
            byte[] raw = files.read(p.path());
            if (raw.length != p.rows() * ns * 4) {
                throw new IOException(p.path() + ": edge piece holds " + raw.length + " bytes, expected " + p.rows() * ns * 4);
            }
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data, p.firstRowInChunk() * ns, p.rows() * ns);
            for (int r = p.firstRowInChunk(); r < p.firstRowInChunk() + p.rows(); r++) {
                if (covered[r]) {
                    throw new IOException(traces.path() + ": row " + (chunkIndex * chunk + r) + " written by two segments");
                }
                covered[r] = true;
            }
        }
        for (int r = 0; r < rows; r++) {
            if (!covered[r]) {
                throw new IOException(traces.path() + ": row " + (chunkIndex * chunk + r) + " of boundary chunk "
                        + chunkIndex + " was written by no segment");
            }
        }
        traces.writeChunk(new long[] {chunkIndex, 0}, data);
    }
}
