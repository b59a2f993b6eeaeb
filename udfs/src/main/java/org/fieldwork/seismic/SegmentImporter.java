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
 * segments go to small edge pieces the merge assembles; its trace headers go to one Parquet file
 * and its gathers to another, both final as written. A gather's id is the trace index of its first
 * trace, which a segment knows without asking its neighbours, so the merge only moves these files
 * into place and never touches samples outside boundary chunks.
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
    public record SegmentOutput(GatherSegment segment, List<EdgePiece> edgePieces, String headersPath, String gathersPath,
                                long gatherCount, long fullChunks, long headerRows) implements Serializable {
    }

    public static final String TRACE_INDEX = "trace_index";
    public static final String SEGMENT_ID = "segment_id";
    public static final String GATHER_ID = "gather_id";
    public static final String FIRST_TRACE = "first_trace";
    public static final String TRACE_COUNT = "trace_count";

    /** Where a segment keeps its tables until the merge moves them into the dataset. */
    public static String segmentHeadersPath(SegyDataset dataset, GatherSegment segment) {
        return Storage.join(dataset.segmentDir(segment), SegyDataset.HEADERS);
    }

    public static String segmentGathersPath(SegyDataset dataset, GatherSegment segment) {
        return Storage.join(dataset.segmentDir(segment), SegyDataset.GATHERS);
    }

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
        Gathers gathers = new Gathers();
        List<EdgePiece> pieces = new ArrayList<>();
        long fullChunks = 0;
        long headerRows = 0;
        String headersPath = segmentHeadersPath(dataset, segment);

        try (SegyReader reader = SegyReader.open(storage, input)) {
            int traceSize = reader.layout().traceSize();
            ColumnTableWriter headers = null;
            boolean finished = false;
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
                            gatherId[i] = gathers.add(first + i, keys[i]);
                        }
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
                    headerRows += count;
                }
                finished = true;
            } finally {
                // A cancelled or failed segment leaves no header table that looks finished.
                if (headers != null && finished) {
                    headers.close();
                } else if (headers != null) {
                    headers.abort();
                }
            }
        }
        String gathersPath = null;
        if (key != null) {
            gathersPath = segmentGathersPath(dataset, segment);
            gathers.write(storage, gathersPath, keyColumn(key));
        }
        return new SegmentOutput(segment, pieces, headersPath, gathersPath, gathers.size(), fullChunks, headerRows);
    }

    /** A segment's gathers as its traces go by: a new gather starts wherever the key changes. */
    private static final class Gathers {
        private long[] firstTrace = new long[64];
        private int[] keyValue = new int[64];
        private long[] traceCount = new long[64];
        private int size;

        /** Counts trace {@code trace} with key {@code value}; returns its gather's id (the gather's first trace). */
        long add(long trace, int value) {
            if (size == 0 || keyValue[size - 1] != value) {
                if (size == firstTrace.length) {
                    firstTrace = Arrays.copyOf(firstTrace, size * 2);
                    keyValue = Arrays.copyOf(keyValue, size * 2);
                    traceCount = Arrays.copyOf(traceCount, size * 2);
                }
                firstTrace[size] = trace;
                keyValue[size] = value;
                traceCount[size] = 0;
                size++;
            }
            traceCount[size - 1]++;
            return firstTrace[size - 1];
        }

        int size() {
            return size;
        }

        void write(Storage storage, String path, String keyColumn) throws IOException {
            ColumnBatch batch = new ColumnBatch(size).int64(GATHER_ID, Arrays.copyOf(firstTrace, size))
                    .int32(keyColumn, Arrays.copyOf(keyValue, size))
                    .int64(FIRST_TRACE, Arrays.copyOf(firstTrace, size))
                    .int64(TRACE_COUNT, Arrays.copyOf(traceCount, size));
            try (ColumnTableWriter w = ColumnTableWriter.open(storage, path, batch)) {
                w.write(batch);
            }
        }
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
