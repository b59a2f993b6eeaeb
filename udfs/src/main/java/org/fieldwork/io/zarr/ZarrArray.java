package org.fieldwork.io.zarr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.DataFormatException;

import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Zarr v2 array: whole-chunk writes and arbitrary-region reads into Java primitive arrays (the
 * type {@link DataType#arrayType()} names: {@code float[]} for {@code <f4}, ...).
 *
 * <p>Create it once on the driver, then let each Spark task write its own chunks: either ship this
 * object (it is serializable) or {@link #open} the path in the task. Writes are chunk-aligned, so
 * two tasks that write disjoint regions never touch the same chunk file, and every chunk file is
 * replaced atomically. Methods are safe to call from several threads; each thread reuses its own
 * chunk and compression buffers, so writing a {@code float[]} neither boxes nor allocates per chunk.
 */
public final class ZarrArray implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ZarrArray.class);

    private final ChunkStore store;
    private final ZarrArrayMetadata meta;

    /**
     * Per-thread chunk buffers, shared by every array the thread touches and replaced only when the
     * chunk size changes: a task writing one array reuses them for all its chunks, and a thread keeps
     * at most one set (about two chunks' worth of bytes).
     */
    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private ZarrArray(ChunkStore store, ZarrArrayMetadata meta) {
        this.store = store;
        this.meta = meta;
    }

    /** Writes {@code .zarray} at {@code path} (replacing any there; existing chunk files are kept). */
    public static ZarrArray create(Storage storage, String path, ZarrArrayMetadata metadata) throws IOException {
        return create(ChunkStore.open(storage, path), metadata);
    }

    static ZarrArray create(ChunkStore store, ZarrArrayMetadata metadata) throws IOException {
        store.createRoot();
        ZarrJson.write(store, ".zarray", metadata.toJson());
        LOG.debug("created Zarr array {} {}", store.root(), metadata);
        return new ZarrArray(store, metadata);
    }

    /**
     * An array whose chunks can be written before its {@code .zarray} exists, so readers see no array
     * until {@link #publish()}: parallel writers fill it, a merge step publishes it whole.
     */
    public static ZarrArray unpublished(Storage storage, String path, ZarrArrayMetadata metadata) throws IOException {
        ChunkStore store = ChunkStore.open(storage, path);
        store.createRoot();
        return new ZarrArray(store, metadata);
    }

    /** Writes {@code .zarray}: from now on the array opens. */
    public void publish() throws IOException {
        ZarrJson.write(store, ".zarray", meta.toJson());
    }

    /** Opens an existing array; fails with the path when there is none or its metadata is unsupported. */
    public static ZarrArray open(Storage storage, String path) throws IOException {
        return open(ChunkStore.open(storage, path));
    }

    static ZarrArray open(ChunkStore store) throws IOException {
        var json = ZarrJson.read(store, ".zarray");
        if (json == null) {
            throw new FileNotFoundException(store.location(".zarray") + ": no Zarr array here");
        }
        return new ZarrArray(store, ZarrArrayMetadata.fromJson(json, store.root()));
    }

    public ZarrArrayMetadata metadata() {
        return meta;
    }

    public String path() {
        return store.root();
    }

    public long[] shape() {
        return meta.shape();
    }

    public int[] chunks() {
        return meta.chunks();
    }

    public DataType dataType() {
        return meta.dataType();
    }

    public Map<String, Object> attributes() throws IOException {
        return ZarrJson.readAttributes(store);
    }

    /** Replaces {@code .zattrs} (JSON-serializable values: numbers, strings, booleans, lists, maps). */
    public void writeAttributes(Map<String, ?> attributes) throws IOException {
        ZarrJson.writeAttributes(store, attributes);
    }

    /** The path of a chunk's file. */
    public String chunkPath(long... chunkIndex) {
        return store.location(meta.chunkKey(chunkIndex));
    }

    public boolean chunkExists(long... chunkIndex) throws IOException {
        return store.exists(meta.chunkKey(chunkIndex));
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes one chunk. {@code data} holds either the full chunk ({@link ZarrArrayMetadata#chunkElements()}
     * values, C order) or, for a chunk on the array's edge, just the part inside the array.
     */
    public void writeChunk(long[] chunkIndex, Object data) throws IOException {
        String key = meta.chunkKey(chunkIndex);
        int n = meta.dataType().lengthOf(data, "chunk " + store.location(key));
        if (n == meta.chunkElements()) {
            Scratch s = scratch();
            meta.dataType().encode(data, 0, s.raw(), 0, n, meta.byteOrder());
            storeChunk(key, s.raw());
            return;
        }
        long[] offset = new long[chunkIndex.length];
        int[] extent = new int[chunkIndex.length];
        for (int d = 0; d < chunkIndex.length; d++) {
            offset[d] = chunkIndex[d] * meta.chunks()[d];
            extent[d] = (int) Math.min(meta.chunks()[d], meta.shape()[d] - offset[d]);
        }
        if (n != product(extent)) {
            throw new IllegalArgumentException("chunk " + store.location(key) + ": got " + n + " values, expected "
                    + meta.chunkElements() + " (full chunk) or " + product(extent) + " (part inside the array)");
        }
        writeRegion(offset, extent, data);
    }

    /**
     * Writes one chunk given as its element bytes, C order, in the array's dtype and byte order: what
     * a producer that decodes straight into that layout holds. {@code length} is the chunk's
     * {@link ZarrArrayMetadata#chunkBytes()}, or, for a chunk cut by the array's end in the first
     * dimension only, the bytes of its rows inside the array (the rest is filled).
     */
    public void writeChunkBytes(long[] chunkIndex, byte[] raw, int length) throws IOException {
        String key = meta.chunkKey(chunkIndex);
        int full = meta.chunkBytes();
        if (length < 0 || length > raw.length) {
            throw new IllegalArgumentException("chunk " + store.location(key) + ": " + length + " bytes asked for from an array of "
                    + raw.length);
        }
        if (length == full) {
            storeChunk(key, raw);
            return;
        }
        long[] shape = meta.shape();
        int[] chunks = meta.chunks();
        boolean onlyFirstCut = shape.length > 0;
        for (int d = 1; d < shape.length; d++) {
            onlyFirstCut &= (chunkIndex[d] + 1) * chunks[d] <= shape[d];
        }
        long rowsInside = shape.length == 0 ? 0 : Math.min(chunks[0], shape[0] - chunkIndex[0] * chunks[0]);
        long expected = rowsInside * (full / Math.max(1, chunks[0]));
        if (!onlyFirstCut || rowsInside >= chunks[0] || length != expected) {
            throw new IllegalArgumentException("chunk " + store.location(key) + ": got " + length + " bytes, expected "
                    + full + " (full chunk)" + (onlyFirstCut && rowsInside < chunks[0] ? " or " + expected
                    + " (its " + rowsInside + " rows inside the array)" : ""));
        }
        Scratch s = scratch();
        fillChunk(s.raw());
        System.arraycopy(raw, 0, s.raw(), 0, length);
        storeChunk(key, s.raw());
    }

    /**
     * {@link #writeChunkBytes(long[], byte[], int)} for bytes {@code [0, length)} of a buffer (absolute;
     * its position and limit are not used), heap or direct (the import's chunks are off-heap, and
     * zstd then compresses off-heap too).
     */
    public void writeChunkBytes(long[] chunkIndex, ByteBuffer chunk, int length) throws IOException {
        ByteBuffer raw = chunk.duplicate().clear();
        if (length == meta.chunkBytes() && raw.capacity() >= length) {
            storeChunk(meta.chunkKey(chunkIndex), raw);
            return;
        }
        if (length < 0 || length > raw.capacity()) {
            throw new IllegalArgumentException("chunk " + store.location(meta.chunkKey(chunkIndex)) + ": " + length
                    + " bytes asked for from a buffer of " + raw.capacity());
        }
        byte[] bytes = new byte[length];
        raw.get(0, bytes);
        writeChunkBytes(chunkIndex, bytes, length);
    }

    /**
     * Writes a region made of whole chunks: every {@code offset[d]} is a multiple of the chunk size and
     * every region end is too, or is the array's end. {@code data} is the region in C order.
     */
    public void writeRegion(long[] offset, int[] regionShape, Object data) throws IOException {
        checkRegion(offset, regionShape, data, "write");
        long[] shape = meta.shape();
        int[] chunks = meta.chunks();
        for (int d = 0; d < shape.length; d++) {
            long end = offset[d] + regionShape[d];
            if (offset[d] % chunks[d] != 0 || (end % chunks[d] != 0 && end != shape[d])) {
                throw new IllegalArgumentException(path() + ": region at " + Arrays.toString(offset) + " of shape "
                        + Arrays.toString(regionShape) + " is not aligned to chunks " + Arrays.toString(chunks)
                        + " (dimension " + d + " covers [" + offset[d] + ", " + end + "); both ends must be multiples of "
                        + chunks[d] + ", or the end must be the array's end " + shape[d] + ")");
            }
        }
        if (product(regionShape) == 0 && shape.length > 0) {
            return;
        }
        ByteOrder order = meta.byteOrder();
        Scratch s = scratch();
        forEachChunk(offset, regionShape, idx -> {
            if (isEdgeChunk(idx)) {
                fillChunk(s.raw()); // zarr stores edge chunks full size; the part outside the array holds the fill value
            }
            copyOverlap(idx, offset, regionShape, data, s.raw(), true, order);
            storeChunk(meta.chunkKey(idx), s.raw());
        });
    }

    /**
     * Writes whole rows {@code [firstRow, firstRow + rows)} along dimension 0, every other dimension in
     * full; {@code data.length} must be a multiple of one row's size. The usual task-sized write:
     * {@code firstRow} a multiple of {@code chunks()[0]}, and the block ending on a chunk boundary or at
     * the last row.
     */
    public void writeRows(long firstRow, Object data) throws IOException {
        int[] region = rowRegion(meta.dataType().lengthOf(data, "rows of " + path()));
        long[] offset = new long[region.length];
        offset[0] = firstRow;
        writeRegion(offset, region, data);
    }

    // ---------------------------------------------------------------- reading

    /** A whole chunk (full chunk shape, C order); a chunk that was never written reads as the fill value. */
    public Object readChunk(long... chunkIndex) throws IOException {
        String key = meta.chunkKey(chunkIndex);
        Scratch s = scratch();
        loadChunk(key, s.raw());
        Object out = meta.dataType().newArray(meta.chunkElements());
        meta.dataType().decode(s.raw(), 0, out, 0, meta.chunkElements(), meta.byteOrder());
        return out;
    }

    /** Any region (hyperslab) as a new primitive array in C order. */
    public Object readRegion(long[] offset, int[] regionShape) throws IOException {
        Object out = meta.dataType().newArray(product(regionShape));
        readInto(offset, regionShape, out);
        return out;
    }

    /** Like {@link #readRegion} into a caller's array (reused across calls), which must hold at least the region. */
    public void readInto(long[] offset, int[] regionShape, Object into) throws IOException {
        checkRegion(offset, regionShape, into, "read");
        if (product(regionShape) == 0 && regionShape.length > 0) {
            return;
        }
        ByteOrder order = meta.byteOrder();
        Scratch s = scratch();
        forEachChunk(offset, regionShape, idx -> {
            loadChunk(meta.chunkKey(idx), s.raw());
            copyOverlap(idx, offset, regionShape, into, s.raw(), false, order);
        });
    }

    /** Rows {@code [firstRow, firstRow + rows)} along dimension 0 with every other dimension in full. */
    public Object readRows(long firstRow, int rows) throws IOException {
        int[] region = rowRegion(-1);
        region[0] = rows;
        long[] offset = new long[region.length];
        offset[0] = firstRow;
        return readRegion(offset, region);
    }

    public float[] readFloats(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), float[].class);
    }

    public double[] readDoubles(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), double[].class);
    }

    public int[] readInts(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), int[].class);
    }

    /** For {@code <i2} and {@code <u2} (unsigned values keep their bits). */
    public short[] readShorts(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), short[].class);
    }

    /** For {@code |u1} and {@code |i1}. */
    public byte[] readBytes(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), byte[].class);
    }

    public boolean[] readBooleans(long[] offset, int[] regionShape) throws IOException {
        return typed(readRegion(offset, regionShape), boolean[].class);
    }

    /** The whole array (small arrays and tests). */
    public Object readAll() throws IOException {
        long[] shape = meta.shape();
        int[] region = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            region[d] = Math.toIntExact(shape[d]);
        }
        return readRegion(new long[shape.length], region);
    }

    // ---------------------------------------------------------------- internals

    /**
     * A thread's chunk buffers, each made on first use: a writer of direct chunks (the SEG-Y import's
     * writer threads) never touches the heap ones, and fresh memory costs a page fault per page.
     */
    private static final class Scratch {
        final int rawLength;
        final int packedLength;
        private byte[] raw;
        private byte[] packed;
        /** The compressed form of direct chunks (zstd-jni takes two direct buffers or two arrays). */
        private ByteBuffer packedDirect;

        Scratch(int rawLength, int packedLength) {
            this.rawLength = rawLength;
            this.packedLength = packedLength;
        }

        /** Exactly one chunk long. */
        byte[] raw() {
            if (raw == null) {
                raw = new byte[rawLength];
            }
            return raw;
        }

        /**
         * At least {@code bytes} for the compressed form of {@code raw}, heap or direct as it is. The
         * direct one grows as asked: a chunk stored raw asks only for a sample's worth, and fresh
         * memory costs a page fault per 4 KB.
         */
        ByteBuffer packedFor(ByteBuffer raw, int bytes) {
            if (!raw.isDirect()) {
                if (packed == null) {
                    packed = new byte[Math.max(packedLength, bytes)];
                }
                return ByteBuffer.wrap(packed);
            }
            if (packedDirect == null || packedDirect.capacity() < bytes) {
                packedDirect = org.fieldwork.io.OffHeap.allocate(bytes);
            }
            return packedDirect;
        }
    }

    /** This thread's buffers, sized for this array's chunks. */
    private Scratch scratch() {
        int rawLength = meta.chunkBytes();
        Compressor c = meta.compressor();
        int packedLength = c instanceof Compressor.None ? 0 : c.maxCompressedLength(rawLength);
        Scratch s = SCRATCH.get();
        if (s == null || s.rawLength != rawLength || s.packedLength < packedLength) {
            s = new Scratch(rawLength, packedLength);
            SCRATCH.set(s);
        }
        return s;
    }

    /** Stores one full chunk's {@code raw} bytes, as {@link #storeChunk(String, ByteBuffer)}. */
    private void storeChunk(String key, byte[] raw) throws IOException {
        storeChunk(key, ByteBuffer.wrap(raw));
    }

    /**
     * Stores one full chunk, bytes {@code [0, chunkBytes)} of {@code raw}: as they are without
     * compression (no copy, no buffers), else encoded with this thread's buffer (a chunk zstd stores
     * raw is written from {@code raw} itself, between the frame's headers).
     */
    private void storeChunk(String key, ByteBuffer raw) throws IOException {
        Compressor c = meta.compressor();
        int length = meta.chunkBytes();
        if (c instanceof Compressor.None) {
            store.write(key, raw.slice(0, length));
        } else {
            Scratch s = scratch();
            store.write(key, c.encode(raw, length, bytes -> s.packedFor(raw, bytes)));
        }
    }

    /** Decodes a chunk into {@code raw}, or fills it with the fill value when the chunk file is missing. */
    private void loadChunk(String key, byte[] raw) throws IOException {
        byte[] stored = store.read(key);
        if (stored == null) {
            fillChunk(raw);
            return;
        }
        try {
            meta.compressor().decompress(stored, stored.length, raw, raw.length);
        } catch (DataFormatException | RuntimeException e) {
            throw new ZarrFormatException("corrupt chunk " + store.location(key) + ": " + e.getMessage(), e);
        }
    }

    private void fillChunk(byte[] raw) {
        Double fill = meta.fillValue();
        byte[] one = meta.dataType().elementBytes(fill == null ? 0 : fill, meta.byteOrder());
        boolean zero = true;
        for (byte b : one) {
            zero &= b == 0;
        }
        if (zero) {
            Arrays.fill(raw, (byte) 0);
            return;
        }
        System.arraycopy(one, 0, raw, 0, one.length);
        for (int filled = one.length; filled < raw.length; filled *= 2) {
            System.arraycopy(raw, 0, raw, filled, Math.min(filled, raw.length - filled));
        }
    }

    private boolean isEdgeChunk(long[] idx) {
        long[] shape = meta.shape();
        int[] chunks = meta.chunks();
        for (int d = 0; d < idx.length; d++) {
            if ((idx[d] + 1) * chunks[d] > shape[d]) {
                return true;
            }
        }
        return false;
    }

    private interface ChunkAction {
        void apply(long[] chunkIndex) throws IOException;
    }

    /** Visits, in C order, every chunk that overlaps the (non-empty) region. */
    private void forEachChunk(long[] offset, int[] regionShape, ChunkAction action) throws IOException {
        int r = offset.length;
        int[] chunks = meta.chunks();
        long[] first = new long[r];
        long[] last = new long[r];
        for (int d = 0; d < r; d++) {
            first[d] = offset[d] / chunks[d];
            last[d] = (offset[d] + regionShape[d] - 1) / chunks[d];
        }
        long[] idx = first.clone();
        while (true) {
            action.apply(idx);
            int d = r - 1;
            while (d >= 0 && idx[d] == last[d]) {
                idx[d] = first[d];
                d--;
            }
            if (d < 0) {
                return;
            }
            idx[d]++;
        }
    }

    /**
     * Copies the overlap of chunk {@code idx} with the region, between the chunk's bytes and the region's
     * array, in runs as long as both layouts allow (a whole {@code [T, n_samples]} chunk is one run).
     */
    private void copyOverlap(long[] idx, long[] offset, int[] regionShape, Object region, byte[] raw,
            boolean intoChunk, ByteOrder order) {
        DataType type = meta.dataType();
        int size = type.size();
        int r = idx.length;
        if (r == 0) {
            if (intoChunk) {
                type.encode(region, 0, raw, 0, 1, order);
            } else {
                type.decode(raw, 0, region, 0, 1, order);
            }
            return;
        }
        long[] shape = meta.shape();
        int[] chunks = meta.chunks();
        int[] inChunk = new int[r];  // where the overlap starts, relative to the chunk
        int[] inRegion = new int[r]; // ... and relative to the region
        int[] len = new int[r];
        for (int d = 0; d < r; d++) {
            long chunkStart = idx[d] * chunks[d];
            long lo = Math.max(chunkStart, offset[d]);
            long hi = Math.min(Math.min(chunkStart + chunks[d], offset[d] + regionShape[d]), shape[d]);
            inChunk[d] = (int) (lo - chunkStart);
            inRegion[d] = (int) (lo - offset[d]);
            len[d] = (int) (hi - lo);
        }
        int[] chunkStride = strides(chunks);
        int[] regionStride = strides(regionShape);
        // Trailing dimensions covered in full by chunk and region alike are contiguous in both: one run.
        int runDim = r - 1;
        int run = len[r - 1];
        while (runDim > 0 && len[runDim] == chunks[runDim] && len[runDim] == regionShape[runDim]) {
            runDim--;
            run *= len[runDim];
        }
        int[] pos = new int[runDim];
        while (true) {
            int c = 0;
            int g = 0;
            for (int d = 0; d < r; d++) {
                int p = d < runDim ? pos[d] : 0;
                c += (inChunk[d] + p) * chunkStride[d];
                g += (inRegion[d] + p) * regionStride[d];
            }
            if (intoChunk) {
                type.encode(region, g, raw, c * size, run, order);
            } else {
                type.decode(raw, c * size, region, g, run, order);
            }
            int d = runDim - 1;
            while (d >= 0 && pos[d] == len[d] - 1) {
                pos[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
            pos[d]++;
        }
    }

    private static int[] strides(int[] extent) {
        int[] s = new int[extent.length];
        int acc = 1;
        for (int d = extent.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= extent[d];
        }
        return s;
    }

    private void checkRegion(long[] offset, int[] regionShape, Object data, String what) {
        long[] shape = meta.shape();
        if (offset.length != shape.length || regionShape.length != shape.length) {
            throw new IllegalArgumentException(path() + ": " + what + " region of rank " + offset.length + "/"
                    + regionShape.length + " for an array of rank " + shape.length);
        }
        for (int d = 0; d < shape.length; d++) {
            if (offset[d] < 0 || regionShape[d] < 0 || offset[d] + regionShape[d] > shape[d]) {
                throw new IllegalArgumentException(path() + ": " + what + " region at " + Arrays.toString(offset)
                        + " of shape " + Arrays.toString(regionShape) + " is outside the array shape "
                        + Arrays.toString(shape));
            }
        }
        int n = meta.dataType().lengthOf(data, what + " " + path());
        long need = product(regionShape);
        if ("write".equals(what) ? n != need : n < need) {
            throw new IllegalArgumentException(path() + ": " + what + " region of shape " + Arrays.toString(regionShape)
                    + " needs " + need + " values, the array has " + n);
        }
    }

    /** The region shape of whole rows; with {@code values >= 0}, the row count those values make. */
    private int[] rowRegion(int values) {
        long[] shape = meta.shape();
        if (shape.length == 0) {
            throw new IllegalArgumentException(path() + ": a zero-dimensional array has no rows");
        }
        int[] region = new int[shape.length];
        long rowSize = 1;
        for (int d = 1; d < shape.length; d++) {
            region[d] = Math.toIntExact(shape[d]);
            rowSize *= shape[d];
        }
        if (values >= 0) {
            if (rowSize == 0 || values % rowSize != 0) {
                throw new IllegalArgumentException(path() + ": " + values + " values are not a whole number of rows of "
                        + rowSize);
            }
            region[0] = (int) (values / rowSize);
        }
        return region;
    }

    private <T> T typed(Object array, Class<T> type) {
        if (!type.isInstance(array)) {
            throw new IllegalArgumentException(path() + " has dtype " + meta.dataType().typestr(meta.byteOrder())
                    + ", which reads as " + meta.dataType().arrayType().getSimpleName() + ", not " + type.getSimpleName());
        }
        return type.cast(array);
    }

    private static int product(int[] extent) {
        long n = 1;
        for (int e : extent) {
            n *= e;
        }
        return Math.toIntExact(n);
    }

    @Override
    public String toString() {
        return "ZarrArray(" + path() + ", " + meta + ")";
    }
}
