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
        int readTraces = Math.min(chunk, READ_TRACES);
        TraceBlock block = new TraceBlock(readTraces, ns, fields);
        List<EdgePiece> pieces = new ArrayList<>();
        long fullChunks = 0;
        HeaderTable headers = new HeaderTable(storage, segmentHeadersPath(dataset, segment), segment, key, fields, readTraces);

        // The loop runs once per chunk and its work is in small methods: a fresh JVM then compiles
        // those quickly instead of one huge method several times over (1 s of a 2-core budget).
        // Traces are read a few at a time so their bytes are still in cache when they are decoded.
        try (SegyReader reader = SegyReader.open(storage, input);
             ChunkWriter writer = new ChunkWriter(writesInFlight(chunk * traceBytes), chunk * traceBytes)) {
            int traceSize = reader.layout().traceSize();
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
                    ByteBuffer samples = writer.buffer();
                    for (int done = 0; done < count; ) {
                        int n = Math.min(readTraces, count - done);
                        reader.readEncoded(first + done, n, block, samples, done * traceBytes);
                        headers.add(first + done, n, block);
                        done += n;
                    }

                    if (first == chunkStart && first + count == chunkEnd) {
                        long[] index = {chunkIndex, 0};
                        int length = count * traceBytes;
                        writer.submit(samples, () -> traces.writeChunkBytes(index, samples, length));
                        fullChunks++;
                    } else {
                        // This chunk is shared with a neighbouring segment: keep our rows for the merge.
                        int rowInChunk = (int) (first - chunkStart);
                        String piece = Storage.join(segDir, "edge-" + chunkIndex + "-" + rowInChunk + ".f32");
                        byte[] rows = new byte[count * traceBytes];
                        samples.get(0, rows);
                        files.writeAtomically(piece, rows);
                        writer.release(samples);
                        pieces.add(new EdgePiece(chunkIndex, rowInChunk, count, piece));
                    }
                    progress.add(count, (long) count * traceSize);
                    first += count;
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
        private ColumnTableWriter writer;
        private ColumnBatch batch;
        private TraceBlock batchBlock;

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
        }

        void add(long first, int count, TraceBlock block) throws IOException {
            for (int i = 0; i < count; i++) {
                traceIndex[i] = first + i;
            }
            if (key != null) {
                gathers.assign(first, block.column(keyIndex), count, gatherId);
            }
            if (batch == null || batchBlock != block) {
                batch = batchOver(block);
                batchBlock = block;
            }
            if (writer == null) {
                writer = ColumnTableWriter.open(storage, path, batch);
            }
            // One batch over the block's own column arrays serves every block: only its row count changes.
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

    /** A write of one chunk, run on the writer's thread. */
    private interface ChunkWrite {
        void run() throws IOException;
    }

    /** Traces read and decoded at once: about half a megabyte, which stays in a core's cache. */
    static final int READ_TRACES = 128;

    /**
     * Chunk writes a segment keeps going while it decodes the next chunk: four of the usual 4 MB
     * (a deeper disk queue; 8 GB imported 7% faster than with two, 10 of 12 paired runs), fewer
     * for larger chunks so that a segment's buffers stay near 20 MB, never under two.
     */
    static int writesInFlight(int chunkBytes) {
        return Math.max(2, Math.min(4, (16 << 20) / Math.max(1, chunkBytes)));
    }

    /**
     * Threads that write chunks for every segment in this JVM. Shared, so that a thread's direct I/O
     * buffer serves many segments; each segment keeps at most {@link #writesInFlight} writes here.
     */
    private static final java.util.concurrent.ExecutorService WRITER_THREADS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fieldwork chunk writer");
        t.setDaemon(true);
        return t;
    });

    /**
     * Writes a segment's chunks in the background, so the next chunk is read and decoded while
     * earlier ones are compressed and written: storage latency and compression no longer stall the
     * decoding, and the disk always has a write queued. It owns the chunk buffers, one more than the
     * writes it keeps in flight, and hands them back to {@link ChunkBuffers} once all are written.
     */
    private static final class ChunkWriter implements AutoCloseable {
        private final List<ByteBuffer> owned = new ArrayList<>();
        private final java.util.ArrayDeque<ByteBuffer> free = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<java.util.concurrent.Future<ByteBuffer>> inFlight = new java.util.ArrayDeque<>();

        ChunkWriter(int writesInFlight, int bufferBytes) {
            for (int i = 0; i <= Math.max(1, writesInFlight); i++) {
                ByteBuffer b = ChunkBuffers.take(bufferBytes);
                owned.add(b);
                free.add(b);
            }
        }

        /** A buffer to decode the next chunk into; waits for the oldest write when all are taken. */
        ByteBuffer buffer() throws IOException, InterruptedException {
            if (free.isEmpty()) {
                free.add(awaitOldest());
            }
            return free.poll();
        }

        /** Hands a buffer back unwritten. */
        void release(ByteBuffer buffer) {
            free.push(buffer);
        }

        /** Writes {@code buffer} in the background; the buffer comes back once the write is done. */
        void submit(ByteBuffer buffer, ChunkWrite write) {
            inFlight.add(WRITER_THREADS.submit(() -> {
                write.run();
                return buffer;
            }));
        }

        /** Waits for every write in flight; the first failure is thrown here. */
        void awaitAll() throws IOException, InterruptedException {
            while (!inFlight.isEmpty()) {
                free.add(awaitOldest());
            }
        }

        private ByteBuffer awaitOldest() throws IOException, InterruptedException {
            // Taken off the queue only once finished: an interrupted wait leaves it for close().
            java.util.concurrent.Future<ByteBuffer> oldest = inFlight.peek();
            try {
                ByteBuffer buffer = oldest.get();
                inFlight.poll();
                return buffer;
            } catch (java.util.concurrent.ExecutionException e) {
                inFlight.poll();
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IOException(cause);
            }
        }

        /**
         * Waits, even when interrupted, for every write in flight: no chunk file may appear after the
         * segment has ended (a retry or the cleanup could be running by then). Their failures no
         * longer matter; the segment is failing already or has reported them.
         */
        @Override
        public void close() {
            boolean interrupted = false;
            for (java.util.concurrent.Future<ByteBuffer> f : inFlight) {
                while (true) {
                    try {
                        f.get();
                        break;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
            }
            inFlight.clear();
            // Every write has ended: no thread holds a buffer any more.
            owned.forEach(ChunkBuffers::give);
            owned.clear();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Chunk buffers, kept for the next segment in this JVM: off-heap, so the bulk copies from the
     * mapped file and into the direct I/O buffer are plain memory copies, and reused, because every
     * new buffer is memory the kernel zeroes and faults in (with mapped reads and these buffers, the
     * tasks' page clearing fell from 0.57 s to about 0.1 s of CPU per 8 GB). At most
     * {@link #KEPT_BYTES} wait here; where off-heap memory runs out, chunks are decoded into heap
     * buffers.
     */
    static final class ChunkBuffers {
        static final long KEPT_BYTES = 256L << 20;
        private static final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.ConcurrentLinkedDeque<ByteBuffer>> FREE =
                new java.util.concurrent.ConcurrentHashMap<>();
        private static final java.util.concurrent.atomic.AtomicLong KEPT = new java.util.concurrent.atomic.AtomicLong();

        private ChunkBuffers() {
        }

        /** A little-endian buffer of exactly {@code bytes}: Zarr's {@code <f4} byte order. */
        static ByteBuffer take(int bytes) {
            ByteBuffer b = FREE.computeIfAbsent(bytes, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).poll();
            if (b != null) {
                KEPT.addAndGet(-bytes);
                return b;
            }
            try {
                b = ByteBuffer.allocateDirect(bytes);
            } catch (OutOfMemoryError e) {
                b = ByteBuffer.allocate(bytes);
            }
            return b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
        }

        static void give(ByteBuffer b) {
            if (b.isDirect() && KEPT.addAndGet(b.capacity()) <= KEPT_BYTES) {
                FREE.get(b.capacity()).push(b.clear());
            } else if (b.isDirect()) {
                KEPT.addAndGet(-b.capacity());
            }
        }
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
        int traceBytes = 4 * dataset.samplesPerTrace();
        int rows = (int) (Math.min((chunkIndex + 1) * chunk, dataset.traceCount()) - chunkIndex * chunk);
        byte[] data = new byte[rows * traceBytes];
        boolean[] covered = new boolean[rows];
        OutputFiles files = new OutputFiles(storage);
        for (EdgePiece p : pieces) {
            byte[] raw = files.read(p.path());
            if (raw.length != p.rows() * traceBytes) {
                throw new IOException(p.path() + ": edge piece holds " + raw.length + " bytes, expected " + p.rows() * traceBytes);
            }
            System.arraycopy(raw, 0, data, p.firstRowInChunk() * traceBytes, raw.length);
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
        traces.writeChunkBytes(new long[] {chunkIndex, 0}, data, data.length);
    }
}
