package org.fieldwork.io.parquet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;

/**
 * Writes one Parquet file from {@link ColumnBatch}es inside a task (no Spark, no shuffle). Local
 * files appear atomically (temporary name, then rename); on object stores the upload is the commit.
 *
 * <p>Columns are written as they are held, a column chunk at a time: integer columns whose values
 * repeat (most SEG-Y header fields) dictionary-encoded (a dictionary page, then the indices
 * RLE/bit-packed), the others PLAIN in bulk; one page per column per row group, compressed with
 * {@link #CODEC}, the one codec every Fieldwork table uses; min/max statistics. parquet-mr's own
 * writers cost a call chain per value, which for a SEG-Y segment's 91 header columns takes longer
 * than reading and converting the samples (bench/parquet compares the two).
 */
public final class ColumnTableWriter implements AutoCloseable {
    /** Rows buffered per row group: 64Ki rows of 95 int columns is about 25 MB. */
    static final int ROW_GROUP_ROWS = 1 << 16;
    /** The compression of every Parquet table Fieldwork writes, by this writer or by Spark. */
    public static final String CODEC = "zstd";
    private static final int ZSTD_LEVEL = 1;

    private final ParquetFileWriter writer;
    private final MessageType schema;
    private final List<ColumnType> types;
    private final List<String> names;
    /**
     * The row group's buffered values, one block per value type with each stored column at its slot
     * times {@link #capacity}: a block of many columns is one large array, which the JVM's collector
     * allocates outside the young generation and never copies (a segment's header columns would
     * otherwise be copied young collection after young collection while the task fills them).
     * An int column is stored only once its values differ: until then it is one value and a count
     * (most SEG-Y header fields hold one value, often zero, all through a file), which saves copying
     * it, and the memory, fresh for every segment, that the kernel would fault in page by page.
     */
    private int[] ints;
    private long[] longs;
    private double[] doubles;
    private String[][] strings;
    /** Rows a column's part of a block holds: the rows expected, at most {@link #ROW_GROUP_ROWS}. */
    private int capacity;
    /** Each column's slot in the block of its type; -1 for an int column held as {@link #constant}. */
    private final int[] slots;
    /** Per type: the slots given out, and the slots its block has room for. */
    private final int[] perType;
    private final int[] slotRoom;
    /** Int columns in the schema: the most slots the int block ever needs. */
    private final int intColumns;
    /** The one value of every buffered row of a column not stored. */
    private final int[] constant;
    /** Each column's block and where in it the column starts (a string column has an array of its own). */
    private final Object[] columnBlock;
    private final int[] columnStart;
    private int buffered;
    private final ParquetTarget target;
    private final String path;
    private boolean closed;
    private ColumnBatch checked;
    private byte[] plain = new byte[0];
    private byte[] packed = new byte[0];
    private final ValueDictionary dictionary = new ValueDictionary();
    private final HybridIndices indices = new HybridIndices();
    private long[] widened = new long[0];
    private final long[] range = new long[2];
    private final com.github.luben.zstd.ZstdCompressCtx zstd = new com.github.luben.zstd.ZstdCompressCtx().setLevel(ZSTD_LEVEL);

    private ColumnTableWriter(ParquetFileWriter writer, MessageType schema, ColumnBatch template, ParquetTarget target,
            String path, long expectedRows) {
        this.writer = writer;
        this.schema = schema;
        this.types = List.copyOf(template.types());
        this.names = List.copyOf(template.names());
        this.perType = new int[ColumnType.values().length];
        this.slotRoom = new int[perType.length];
        this.slots = new int[types.size()];
        this.constant = new int[slots.length];
        this.columnBlock = new Object[slots.length];
        this.columnStart = new int[slots.length];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = types.get(i) == ColumnType.INT32 ? -1 : perType[types.get(i).ordinal()]++;
        }
        this.intColumns = (int) types.stream().filter(t -> t == ColumnType.INT32).count();
        for (ColumnType t : List.of(ColumnType.INT64, ColumnType.FLOAT64, ColumnType.STRING)) {
            slotRoom[t.ordinal()] = perType[t.ordinal()];
        }
        allocate((int) Math.max(1, Math.min(ROW_GROUP_ROWS, expectedRows)));
        this.checked = template; // the schema's own batch, written block after block by most callers
        this.target = target;
        this.path = path;
    }

    /** Opens a writer whose schema is the names and types of {@code template} (rows not written). */
    public static ColumnTableWriter open(Storage storage, String path, ColumnBatch template) throws IOException {
        return open(storage, path, template, ROW_GROUP_ROWS);
    }

    /**
     * {@link #open(Storage, String, ColumnBatch)} for a table of about {@code expectedRows} rows: its
     * buffers start that small (a small table does not make a full row group's), and grow when
     * more rows come.
     */
    public static ColumnTableWriter open(Storage storage, String path, ColumnBatch template, long expectedRows)
            throws IOException {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (int i = 0; i < template.names().size(); i++) {
            String name = template.names().get(i);
            switch (template.types().get(i)) {
                case INT32 -> b.required(PrimitiveTypeName.INT32).named(name);
                case INT64 -> b.required(PrimitiveTypeName.INT64).named(name);
                case FLOAT64 -> b.required(PrimitiveTypeName.DOUBLE).named(name);
                case STRING -> b.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
                default -> throw new IllegalStateException();
            }
        }
        MessageType schema = b.named("fieldwork");
        ParquetTarget target = ParquetTarget.open(storage, path);
        ParquetFileWriter writer;
        try {
            writer = new ParquetFileWriter(target.file(), schema, ParquetFileWriter.Mode.OVERWRITE, 128L << 20, 0);
            writer.start();
        } catch (IOException | RuntimeException e) {
            target.abort();
            throw e;
        }
        return new ColumnTableWriter(writer, schema, template, target, path, expectedRows);
    }

    /** Appends a batch's rows; its columns must be the template's, in the same order. */
    public void write(ColumnBatch batch) throws IOException {
        if (closed) {
            throw new IllegalStateException(path + ": the table is closed");
        }
        // A batch reused block after block is checked once (its columns can only grow, which the size shows).
        if (batch != checked || batch.names().size() != names.size()) {
            if (!batch.names().equals(names) || !batch.types().equals(types)) {
                throw new IllegalArgumentException(path + ": batch columns " + batch.names() + " differ from the table's " + names);
            }
            checked = batch;
        }
        int done = 0;
        while (done < batch.rows()) {
            if (buffered == capacity && capacity < ROW_GROUP_ROWS) {
                grow();
            }
            int n = Math.min(batch.rows() - done, capacity - buffered);
            for (int c = 0; c < slots.length; c++) {
                if (slots[c] >= 0) {
                    System.arraycopy(batch.column(c), done, columnBlock[c], columnStart[c] + buffered, n);
                } else if (!sameValue(c, (int[]) batch.column(c), done, n)) {
                    store(c, (int[]) batch.column(c), done, n);
                }
            }
            buffered += n;
            done += n;
            if (buffered == ROW_GROUP_ROWS) {
                flushRowGroup();
            }
        }
    }

    /**
     * Whether rows {@code [from, from + n)} of int column {@code c}, not stored, hold its one value
     * (the first of them, in a row group's first rows).
     */
    private boolean sameValue(int c, int[] v, int from, int n) {
        if (buffered == 0) {
            constant[c] = v[from];
        }
        int value = constant[c];
        for (int i = from; i < from + n; i++) {
            if (v[i] != value) {
                return false;
            }
        }
        return true;
    }

    /** Int column {@code c} differs from its one value: stored from now on, its buffered rows filled with that value. */
    private void store(int c, int[] v, int from, int n) {
        int t = ColumnType.INT32.ordinal();
        if (perType[t] == slotRoom[t]) {
            growIntSlots(buffered + n);
        }
        slots[c] = perType[t]++;
        place(c);
        Arrays.fill(ints, columnStart[c], columnStart[c] + buffered, constant[c]);
        System.arraycopy(v, from, ints, columnStart[c] + buffered, n);
    }

    /**
     * Room for more stored int columns: a block with twice the slots, the first {@code rows} rows of
     * the stored ones moved over (the rows being written count: columns before this one in the
     * batch have them already).
     */
    private void growIntSlots(int rows) {
        int t = ColumnType.INT32.ordinal();
        slotRoom[t] = Math.min(intColumns, Math.max(4, 2 * slotRoom[t]));
        int[] old = ints;
        ints = RowGroupBlocks.ints(Math.multiplyExact(slotRoom[t], capacity));
        for (int c = 0; c < slots.length; c++) {
            if (types.get(c) == ColumnType.INT32 && slots[c] >= 0) {
                int oldStart = columnStart[c];
                place(c);
                System.arraycopy(old, oldStart, ints, columnStart[c], rows);
            }
        }
        RowGroupBlocks.give(old);
    }

    /** Empty blocks of {@code rows} rows a column, with room for the slots given out. */
    private void allocate(int rows) {
        capacity = rows;
        ints = RowGroupBlocks.ints(Math.multiplyExact(slotRoom[ColumnType.INT32.ordinal()], rows));
        longs = RowGroupBlocks.longs(Math.multiplyExact(slotRoom[ColumnType.INT64.ordinal()], rows));
        doubles = RowGroupBlocks.doubles(Math.multiplyExact(slotRoom[ColumnType.FLOAT64.ordinal()], rows));
        strings = new String[perType[ColumnType.STRING.ordinal()]][rows];
        for (int c = 0; c < slots.length; c++) {
            if (slots[c] >= 0) {
                place(c);
            }
        }
    }

    /** Points stored column {@code c} at its slot in its type's current block. */
    private void place(int c) {
        columnBlock[c] = switch (types.get(c)) {
            case INT32 -> ints;
            case INT64 -> longs;
            case FLOAT64 -> doubles;
            case STRING -> strings[slots[c]];
        };
        columnStart[c] = types.get(c) == ColumnType.STRING ? 0 : slots[c] * capacity;
    }

    /** More rows came than expected: blocks of a whole row group, the buffered rows moved over. */
    private void grow() {
        Object[] oldBlock = columnBlock.clone();
        int[] oldStart = columnStart.clone();
        Object[] old = {ints, longs, doubles};
        allocate(ROW_GROUP_ROWS);
        for (int c = 0; c < slots.length; c++) {
            if (slots[c] >= 0) {
                System.arraycopy(oldBlock[c], oldStart[c], columnBlock[c], columnStart[c], buffered);
            }
        }
        for (Object b : old) {
            RowGroupBlocks.give(b);
        }
    }

    /** Hands the blocks on to the next writer; this one buffers nothing more. */
    private void releaseBlocks() {
        RowGroupBlocks.give(ints);
        RowGroupBlocks.give(longs);
        RowGroupBlocks.give(doubles);
        ints = null;
        longs = null;
        doubles = null;
        java.util.Arrays.fill(columnBlock, null);
    }

    private void flushRowGroup() throws IOException {
        if (buffered == 0) {
            return;
        }
        int n = buffered;
        writer.startBlock(n);
        List<ColumnDescriptor> columns = schema.getColumns();
        for (int c = 0; c < slots.length; c++) {
            writeColumn(c, columns.get(c), n);
        }
        writer.endBlock();
        for (String[] s : strings) {
            Arrays.fill(s, 0, n, null);
        }
        buffered = 0;
    }

    /**
     * Column {@code c}'s {@code n} buffered values as one page. The loops over values are methods
     * of their own: in here, they would have the JIT compile this whole method, the writer's
     * largest, late in a fresh import, where the compiling no longer pays.
     */
    private void writeColumn(int c, ColumnDescriptor d, int n) throws IOException {
        if (slots[c] < 0) {
            writeConstantColumn(c, d, n);
            return;
        }
        int start = columnStart[c];
        PrimitiveType type = d.getPrimitiveType();
        byte[] page;
        int pageLength;
        Statistics<?> stats;
        Encoding definitions = Encoding.BIT_PACKED; // no definition levels in a required column
        switch (types.get(c)) {
            case INT32, INT64 -> {
                boolean int32 = types.get(c) == ColumnType.INT32;
                long[] v = int32 ? widened(ints, start, n) : widened(longs, start, n);
                range(v, n);
                long min = range[0];
                long max = range[1];
                stats = int32 ? minMax(type, le((int) min), le((int) max), 0) : minMax(type, le(min), le(max), 0);
                int width = int32 ? 4 : 8;
                if (dictionary.build(v, n, min, max)) {
                    writeDictionaryColumn(d, n, stats, width);
                    return;
                }
                page = plainPage(width * n);
                pageLength = width * n;
                if (int32) {
                    plain(ints, start, n, page);
                } else {
                    plain(v, 0, n, page);
                }
            }
            case FLOAT64 -> {
                page = plainPage(8 * n);
                pageLength = 8 * n;
                plain(doubles, start, n, page);
                stats = doubleStats(type, doubles, start, n);
            }
            case STRING -> {
                StringPage sp = stringPage(strings[slots[c]], n, type);
                page = sp.bytes();
                pageLength = page.length;
                stats = sp.stats();
                definitions = Encoding.RLE;
            }
            default -> throw new IllegalStateException();
        }
        writer.startColumn(d, n, CompressionCodecName.ZSTD);
        // The page is written out before this returns, so both buffers serve the next column.
        writer.writeDataPage(n, pageLength, compress(page, pageLength), stats, n, Encoding.BIT_PACKED,
                definitions, Encoding.PLAIN);
        writer.endColumn();
    }

    /** An int column of one value: a dictionary of that value and one run of index 0. */
    private void writeConstantColumn(int c, ColumnDescriptor d, int n) throws IOException {
        int v = constant[c];
        dictionary.constant(v, n);
        writeDictionaryColumn(d, n, minMax(d.getPrimitiveType(), le(v), le(v), 0), 4);
    }

    /** The least and greatest of {@code v[0..n)}, into {@link #range}. */
    private void range(long[] v, int n) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, v[i]);
            max = Math.max(max, v[i]);
        }
        range[0] = min;
        range[1] = max;
    }

    private static Statistics<?> doubleStats(PrimitiveType type, double[] values, int start, int n) {
        Statistics<?> s = Statistics.createStats(type);
        for (int i = start; i < start + n; i++) {
            s.updateStats(values[i]);
        }
        return s;
    }

    /**
     * A column from {@link #dictionary}: the distinct values PLAIN in a dictionary page, then a data
     * page of the bit width and the rows' indices in the RLE/bit-packed hybrid (Parquet v1 pages).
     */
    private void writeDictionaryColumn(ColumnDescriptor d, int n, Statistics<?> stats, int valueBytes) throws IOException {
        int size = dictionary.size;
        byte[] values = plainPage(valueBytes * size);
        for (int i = 0; i < size; i++) {
            if (valueBytes == 4) {
                INT_LE.set(values, 4 * i, (int) dictionary.values[i]);
            } else {
                LONG_LE.set(values, 8 * i, dictionary.values[i]);
            }
        }
        writer.startColumn(d, n, CompressionCodecName.ZSTD);
        writer.writeDictionaryPage(new DictionaryPage(compress(values, valueBytes * size), valueBytes * size, size,
                Encoding.PLAIN_DICTIONARY));
        int bitWidth = dictionary.bitWidth();
        if (size == 1) {
            indices.encodeRun(0, n, bitWidth);
        } else {
            indices.encode(dictionary.indices, n, bitWidth);
        }
        int length = 1 + indices.length();
        byte[] data = plainPage(length);
        data[0] = (byte) bitWidth;
        System.arraycopy(indices.bytes(), 0, data, 1, indices.length());
        writer.writeDataPage(n, length, compress(data, length), stats, n, Encoding.BIT_PACKED,
                Encoding.BIT_PACKED, Encoding.PLAIN_DICTIONARY);
        writer.endColumn();
    }

    /**
     * Values {@code [start, start + n)} of a column as longs from index 0, in a buffer reused column
     * after column: one loop serves both widths.
     */
    private long[] widened(int[] v, int start, int n) {
        long[] w = widenedBuffer(n);
        for (int i = 0; i < n; i++) {
            w[i] = v[start + i];
        }
        return w;
    }

    private long[] widened(long[] v, int start, int n) {
        long[] w = widenedBuffer(n);
        System.arraycopy(v, start, w, 0, n);
        return w;
    }

    private long[] widenedBuffer(int n) {
        if (widened.length < n) {
            widened = new long[n];
        }
        return widened;
    }

    /** {@link #CODEC} over the first {@code length} bytes; the result stays valid until the next call. */
    private BytesInput compress(byte[] page, int length) {
        int bound = (int) com.github.luben.zstd.Zstd.compressBound(length);
        if (packed.length < bound) {
            packed = new byte[bound];
        }
        int compressed = zstd.compressByteArray(packed, 0, packed.length, page, 0, length);
        return BytesInput.from(packed, 0, compressed);
    }

    /** The reused buffer for a column's PLAIN values (fresh memory is costly; a row group reuses it per column). */
    private byte[] plainPage(int length) {
        if (plain.length < length) {
            plain = new byte[length];
        }
        return plain;
    }

    private record StringPage(byte[] bytes, Statistics<?> stats) {
    }

    /** Definition levels (RLE, length-prefixed, as v1 pages carry them), then the non-null values, PLAIN. */
    private static StringPage stringPage(String[] v, int n, PrimitiveType type) throws IOException {
        RunLengthBitPackingHybridEncoder levels = new RunLengthBitPackingHybridEncoder(1, 1024, 1 << 20,
                HeapByteBufferAllocator.getInstance());
        Statistics<?> s = Statistics.createStats(type);
        List<byte[]> values = new ArrayList<>();
        int valueBytes = 0;
        for (int i = 0; i < n; i++) {
            if (v[i] == null) {
                levels.writeInt(0);
                s.incrementNumNulls();
            } else {
                levels.writeInt(1);
                byte[] utf8 = v[i].getBytes(StandardCharsets.UTF_8);
                s.updateStats(Binary.fromConstantByteArray(utf8));
                values.add(utf8);
                valueBytes += 4 + utf8.length;
            }
        }
        byte[] rle = levels.toBytes().toByteArray();
        ByteBuffer page = ByteBuffer.allocate(4 + rle.length + valueBytes).order(ByteOrder.LITTLE_ENDIAN);
        page.putInt(rle.length).put(rle);
        for (byte[] b : values) {
            page.putInt(b.length).put(b);
        }
        return new StringPage(page.array(), s);
    }

    /*
     * PLAIN pages through byte-array views rather than ByteBuffer.asIntBuffer() and friends: the
     * first view class loaded (ByteBufferAsIntBufferL, at the first header page) would invalidate
     * the import's compiled sample loops, which C2 compiled while IntBuffer had one subclass.
     */
    private static final java.lang.invoke.VarHandle INT_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle LONG_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final java.lang.invoke.VarHandle DOUBLE_LE =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    /** Values {@code [start, start + n)} of a column, PLAIN from the page's start. */
    private static void plain(int[] v, int start, int n, byte[] page) {
        for (int i = 0; i < n; i++) {
            INT_LE.set(page, 4 * i, v[start + i]);
        }
    }

    private static void plain(long[] v, int start, int n, byte[] page) {
        for (int i = 0; i < n; i++) {
            LONG_LE.set(page, 8 * i, v[start + i]);
        }
    }

    private static void plain(double[] v, int start, int n, byte[] page) {
        for (int i = 0; i < n; i++) {
            DOUBLE_LE.set(page, 8 * i, v[start + i]);
        }
    }

    private static Statistics<?> minMax(PrimitiveType type, byte[] min, byte[] max, long nulls) {
        return Statistics.getBuilderForReading(type).withMin(min).withMax(max).withNumNulls(nulls).build();
    }

    private static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    /** Finishes the file and makes it appear under its name. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            flushRowGroup();
            writer.end(Map.of());
        } catch (IOException | RuntimeException e) {
            abort();
            throw new IOException(path + ": cannot finish the Parquet file: " + e.getMessage(), e);
        }
        closed = true;
        zstd.close();
        releaseBlocks();
        target.commit();
    }

    /**
     * Gives up on the file (a cancelled or failed unit): nothing appears under its name. On an
     * object store the partial upload is removed.
     */
    public void abort() {
        if (closed) {
            return;
        }
        closed = true;
        zstd.close();
        releaseBlocks();
        target.abort();
    }
}
