package org.fieldwork.seismic;

import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.ColumnBatch;
import org.fieldwork.io.parquet.ColumnTableWriter;
import org.fieldwork.io.zarr.ChunkWriter;
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
        int traceBytes = 4 * ns;
        OutputFiles files = new OutputFiles(storage);

        List<HeaderField> fields = new ArrayList<>();
        for (TraceField f : TraceField.values()) {
            fields.add(f.asHeaderField());
        }
        boolean mappingKey = key != null && TraceField.byName(key.name()) == null;
        if (mappingKey) {
            fields.add(key.field());
        }
        int readTraces = Math.min(chunk, READ_TRACES);
        TraceBlock block = new TraceBlock(readTraces, ns, fields);
        List<EdgePiece> pieces = new ArrayList<>();
        long fullChunks = 0;
        HeaderTable headers = new HeaderTable(storage, segmentHeadersPath(dataset, segment), segment, key, fields, readTraces);

        // The loop runs once per chunk and its work is in small methods: a fresh JVM then compiles
        // those quickly instead of one huge method several times over.
        // Traces are read a few at a time so their bytes are still in cache when they are decoded.
        try (SegyReader reader = SegyReader.open(storage, input);
             ChunkWriter writer = new ChunkWriter(ChunkWriter.writesInFlight(chunk * traceBytes), chunk * traceBytes)) {
            int traceSize = reader.layout().traceSize();
            reader.reserve(block, readTraces);
            headers.open(block);
            boolean finished = false;
            try {
                for (SegmentChunks.Span span : SegmentChunks.spans(dataset, segment)) {
                    if (progress.cancelled()) {
                        throw new InterruptedException("import of " + input + " segment " + segment.id() + " cancelled");
                    }
                    long first = span.chunk() * chunk + span.firstRowInChunk();
                    int count = span.rows();
                    ByteBuffer samples = writer.buffer();
                    for (int done = 0; done < count; ) {
                        int n = Math.min(readTraces, count - done);
                        reader.readEncoded(first + done, n, block, samples, done * traceBytes);
                        headers.add(first + done, n);
                        done += n;
                    }
                    if (span.whole()) {
                        long[] index = {span.chunk(), 0};
                        int length = count * traceBytes;
                        writer.submit(samples, () -> traces.writeChunkBytes(index, samples, length));
                        fullChunks++;
                    } else {
                        // This chunk is shared with a neighbouring segment: keep our rows for the merge.
                        String piece = SegmentChunks.edgePiecePath(dataset, segment, span);
                        files.writeAtomically(piece, samples.duplicate().position(0).limit(count * traceBytes));
                        writer.release(samples);
                        pieces.add(new EdgePiece(span.chunk(), span.firstRowInChunk(), count, piece));
                    }
                    progress.add(count, (long) count * traceSize);
                }
                writer.awaitAll();
                finished = true;
            } finally {
                headers.finish(finished);
            }
        }
        String gathersPath = null;
        if (key != null) {
            gathersPath = segmentGathersPath(dataset, segment);
            headers.gathers.write(storage, gathersPath, keyColumn(key));
        }
        return new SegmentOutput(segment, pieces, headers.path, gathersPath, headers.gathers.size(), fullChunks, headers.rows);
    }

    /** A segment's header table, written chunk by chunk: trace_index, segment_id, gather_id, the fields. */
    private static final class HeaderTable {
        final String path;
        final Gathers gathers = new Gathers();
        long rows;
        private final Storage storage;
        private final EnsembleKey key;
        private final int keyIndex;
        private final String[] names;
        private final long[] traceIndex;
        private final int[] segmentId;
        private final long[] gatherId;
        private final long expectedRows;
        private ColumnTableWriter writer;
        private ColumnBatch batch;
        private TraceBlock block;

        HeaderTable(Storage storage, String path, GatherSegment segment, EnsembleKey key, List<HeaderField> fields, int chunk) {
            this.storage = storage;
            this.path = path;
            this.key = key;
            this.keyIndex = key == null ? -1 : fields.indexOf(key.field());
            boolean mappingKey = key != null && TraceField.byName(key.name()) == null;
            names = new String[fields.size()];
            for (int c = 0; c < names.length; c++) {
                names[c] = mappingKey && c == keyIndex ? keyColumn(key) : fields.get(c).name();
            }
            traceIndex = new long[chunk];
            segmentId = new int[chunk];
            Arrays.fill(segmentId, segment.id());
            gatherId = new long[chunk];
            expectedRows = segment.traceCount();
        }

        /**
         * Opens the table for rows read into {@code block}, before the first {@link #add}: one batch
         * over the block's own column arrays then serves every block, only its row count changes.
         */
        void open(TraceBlock block) throws IOException {
            batch = batchOver(block);
            this.block = block;
            writer = ColumnTableWriter.open(storage, path, batch, expectedRows);
        }

        /** Adds the {@code count} traces from {@code first} that the opened block holds now. */
        void add(long first, int count) throws IOException {
            for (int i = 0; i < count; i++) {
                traceIndex[i] = first + i;
            }
            if (key != null) {
                gathers.assign(first, block.column(keyIndex), count, gatherId);
            }
            batch.setRows(count);
            writer.write(batch);
            rows += count;
        }

        private ColumnBatch batchOver(TraceBlock block) {
            ColumnBatch b = new ColumnBatch(0);
            b.int64(TRACE_INDEX, traceIndex).int32(SEGMENT_ID, segmentId);
            if (key != null) {
                b.int64(GATHER_ID, gatherId);
            }
            for (int c = 0; c < names.length; c++) {
                b.int32(names[c], block.column(c));
            }
            return b;
        }

        /** Closes the table; a cancelled or failed segment leaves none that looks finished. */
        void finish(boolean finished) throws IOException {
            if (writer != null && finished) {
                writer.close();
            } else if (writer != null) {
                writer.abort();
            }
        }
    }

    /** Traces read and decoded at once: about half a megabyte, which stays in a core's cache. */
    static final int READ_TRACES = 128;

    /** A segment's gathers as its traces go by: a new gather starts wherever the key changes. */
    private static final class Gathers {
        private long[] firstTrace = new long[64];
        private int[] keyValue = new int[64];
        private long[] traceCount = new long[64];
        private int size;
        /**
         * The last trace's key; at first one that no int equals, so the first trace starts a gather
         * the way any other does (a test for "no gather yet", false from the second trace of a segment
         * on, would have the JIT recompile the import's loop at the start of every later segment).
         */
        private long lastKey = Long.MIN_VALUE;

        /** Counts trace {@code trace} with key {@code value}; returns its gather's id (the gather's first trace). */
        long add(long trace, int value) {
            if (value != lastKey) {
                lastKey = value;
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

        /** Counts traces {@code first, first + 1, ...} with {@code keys[0..count)}; their gather ids go to {@code ids}. */
        void assign(long first, int[] keys, int count, long[] ids) {
            for (int i = 0; i < count; i++) {
                ids[i] = add(first + i, keys[i]);
            }
        }

        int size() {
            return size;
        }

        void write(Storage storage, String path, String keyColumn) throws IOException {
            ColumnBatch batch = new ColumnBatch(size).int64(GATHER_ID, Arrays.copyOf(firstTrace, size))
                    .int32(keyColumn, Arrays.copyOf(keyValue, size))
                    .int64(FIRST_TRACE, Arrays.copyOf(firstTrace, size))
                    .int64(TRACE_COUNT, Arrays.copyOf(traceCount, size));
            try (ColumnTableWriter w = ColumnTableWriter.open(storage, path, batch, size)) {
                w.write(batch);
            }
        }
    }

    /**
     * Writes one boundary chunk from the edge pieces of the segments that share it. Every row of the
     * chunk must be covered exactly once. The chunk is put together in a pooled chunk buffer and
     * written by a chunk writer thread, as the import writes its chunks: after an import in this JVM
     * both are ready, where fresh buffers would cost a page fault per 4 KB page.
     */
    public static void assembleChunk(Storage storage, SegyDataset dataset, long chunkIndex, List<EdgePiece> pieces)
            throws IOException, InterruptedException {
        ZarrArray traces = ZarrArray.unpublished(storage, dataset.tracesPath(), dataset.tracesMetadata());
        int chunk = dataset.effectiveChunkTraces();
        int traceBytes = 4 * dataset.samplesPerTrace();
        int rows = (int) (Math.min((chunkIndex + 1) * chunk, dataset.traceCount()) - chunkIndex * chunk);
        boolean[] covered = new boolean[rows];
        OutputFiles files = new OutputFiles(storage);
        try (ChunkWriter writer = new ChunkWriter(1, chunk * traceBytes)) {
            ByteBuffer data = writer.buffer();
            for (EdgePiece p : pieces) {
                int at = p.firstRowInChunk() * traceBytes;
                int expected = p.rows() * traceBytes;
                if (p.firstRowInChunk() < 0 || p.firstRowInChunk() + p.rows() > rows) {
                    throw new IOException(p.path() + ": edge piece rows " + p.firstRowInChunk() + ".." + (p.firstRowInChunk()
                            + p.rows()) + " lie outside chunk " + chunkIndex + "'s " + rows + " rows");
                }
                int length = files.readInto(p.path(), data.duplicate().clear().limit(at + expected).position(at));
                if (length != expected) {
                    throw new IOException(p.path() + ": edge piece holds " + length + " bytes, expected " + expected);
                }
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
            int length = rows * traceBytes;
            writer.submit(data, () -> traces.writeChunkBytes(new long[] {chunkIndex, 0}, data, length));
            writer.awaitAll();
        }
    }
}
