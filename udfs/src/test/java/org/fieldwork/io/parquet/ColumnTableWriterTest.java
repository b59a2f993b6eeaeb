package org.fieldwork.io.parquet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files from the column writer read back with parquet-mr's own record reader: every value, nulls, row groups, statistics. */
class ColumnTableWriterTest {

    @Test
    void anAbortedTableLeavesNoFileBehind(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("t.parquet");
        ColumnBatch b = new ColumnBatch(3).int32("i", new int[] {1, 2, 3});
        ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), file.toString(), b);
        for (int k = 0; k < 30_000; k++) {
            w.write(b);
        }
        w.abort();
        w.close(); // after abort: nothing more happens
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "no table and no temporary file");
        }
    }

    @Test
    void everyTypeReadsBackThroughParquetMr(@TempDir Path dir) throws Exception {
        int rows = ColumnTableWriter.ROW_GROUP_ROWS + 12_345; // two row groups, the second short
        Random r = new Random(4);
        int[] ints = new int[rows];
        long[] longs = new long[rows];
        double[] doubles = new double[rows];
        String[] strings = new String[rows];
        for (int i = 0; i < rows; i++) {
            ints[i] = r.nextInt();
            longs[i] = r.nextLong();
            doubles[i] = r.nextGaussian();
            strings[i] = i % 7 == 0 ? null : "s" + i + (i % 11 == 0 ? "é" : "");
        }
        Path file = dir.resolve("t.parquet");
        // Written in uneven batches, as tasks do.
        ColumnTableWriter w = null;
        int block = 1000;
        int[] bi = new int[block];
        long[] bl = new long[block];
        double[] bd = new double[block];
        String[] bs = new String[block];
        for (int first = 0; first < rows; first += block) {
            int n = Math.min(block, rows - first);
            System.arraycopy(ints, first, bi, 0, n);
            System.arraycopy(longs, first, bl, 0, n);
            System.arraycopy(doubles, first, bd, 0, n);
            System.arraycopy(strings, first, bs, 0, n);
            ColumnBatch b = new ColumnBatch(n).int32("i", bi).int64("l", bl).float64("d", bd).string("s", bs);
            if (w == null) {
                w = ColumnTableWriter.open(Storage.defaults(), file.toString(), b);
            }
            w.write(b);
        }
        assertFalse(Files.exists(file), "the file appears only when closed");
        w.close();

        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        assertEachRow(p, rows, (g, i) -> {
            assertEquals(ints[i], g.getInteger("i", 0), "row " + i);
            assertEquals(longs[i], g.getLong("l", 0), "row " + i);
            assertEquals(doubles[i], g.getDouble("d", 0), "row " + i);
            if (strings[i] == null) {
                assertEquals(0, g.getFieldRepetitionCount("s"), "row " + i);
            } else {
                assertEquals(strings[i], g.getString("s", 0), "row " + i);
            }
        });
        try (ParquetFileReader meta = ParquetFileReader.open(HadoopInputFile.fromPath(p, new Configuration()))) {
            assertEquals(2, meta.getRowGroups().size());
            BlockMetaData first = meta.getRowGroups().get(0);
            assertEquals(ColumnTableWriter.ROW_GROUP_ROWS, first.getRowCount());
            ColumnChunkMetaData i = first.getColumns().get(0);
            int min = Integer.MAX_VALUE;
            int max = Integer.MIN_VALUE;
            for (int k = 0; k < ColumnTableWriter.ROW_GROUP_ROWS; k++) {
                min = Math.min(min, ints[k]);
                max = Math.max(max, ints[k]);
            }
            assertEquals(min, i.getStatistics().genericGetMin());
            assertEquals(max, i.getStatistics().genericGetMax());
            long nulls = 0;
            for (int k = 0; k < ColumnTableWriter.ROW_GROUP_ROWS; k++) {
                nulls += strings[k] == null ? 1 : 0;
            }
            assertEquals(nulls, first.getColumns().get(3).getStatistics().getNumNulls());
        }
    }

    /**
     * Several columns of each type, interleaved: each keeps its own values across row groups, also
     * when the table outgrows the rows its writer was opened for.
     */
    @Test
    void columnsOfOneTypeKeepTheirOwnValues(@TempDir Path dir) throws Exception {
        int rows = ColumnTableWriter.ROW_GROUP_ROWS + 777;
        int columns = 3;
        int[][] ints = new int[columns][rows];
        long[][] longs = new long[columns][rows];
        double[][] doubles = new double[columns][rows];
        String[][] strings = new String[columns][rows];
        for (int c = 0; c < columns; c++) {
            for (int i = 0; i < rows; i++) {
                ints[c][i] = 1000 * c + i % 500;         // dictionary-encoded
                longs[c][i] = ((long) c << 40) + 3L * i;  // PLAIN
                doubles[c][i] = c + i / 1e6;
                strings[c][i] = i % 5 == c ? null : c + ":" + i;
            }
        }
        Path file = dir.resolve("t.parquet");
        int block = 300;
        try (ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), file.toString(), batch(ints, longs, doubles,
                strings, 0, block), 1000)) {
            for (int first = 0; first < rows; first += block) {
                w.write(batch(ints, longs, doubles, strings, first, Math.min(block, rows - first)));
            }
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        assertEachRow(p, rows, (g, i) -> {
            for (int c = 0; c < columns; c++) {
                assertEquals(ints[c][i], g.getInteger("i" + c, 0), "i" + c + " row " + i);
                assertEquals(longs[c][i], g.getLong("l" + c, 0), "l" + c + " row " + i);
                assertEquals(doubles[c][i], g.getDouble("d" + c, 0), "d" + c + " row " + i);
                if (strings[c][i] == null) {
                    assertEquals(0, g.getFieldRepetitionCount("s" + c), "s" + c + " row " + i);
                } else {
                    assertEquals(strings[c][i], g.getString("s" + c, 0), "s" + c + " row " + i);
                }
            }
        });
        try (ParquetFileReader meta = ParquetFileReader.open(HadoopInputFile.fromPath(p, new Configuration()))) {
            assertEquals(2, meta.getRowGroups().size());
            assertEquals(ColumnTableWriter.ROW_GROUP_ROWS, meta.getRowGroups().get(0).getRowCount());
        }
    }

    /**
     * A closed table hands its blocks on: the next table, opened for fewer rows, writes over what
     * the first left there and reads back only its own values. Writing to a closed table fails.
     */
    @Test
    void aTableAfterAnotherReusesItsBlocksAndKeepsItsOwnValues(@TempDir Path dir) throws Exception {
        int columns = 8;
        RowGroupBlocks.clear();
        long keptBefore = RowGroupBlocks.kept();
        int[][] first = new int[columns][40_000];
        for (int c = 0; c < columns; c++) {
            for (int i = 0; i < first[c].length; i++) {
                first[c][i] = -1 - c - i % 2;
            }
        }
        ColumnTableWriter a = ColumnTableWriter.open(Storage.defaults(), dir.resolve("a.parquet").toString(), ints(first), 40_000);
        a.write(ints(first));
        a.close();
        assertTrue(RowGroupBlocks.kept() >= keptBefore + 4L * columns * 40_000, "the first table's int block is kept");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> a.write(ints(first)));
        assertTrue(closed.getMessage().contains("a.parquet"), closed.getMessage());

        int rows = 35_000;
        int[][] second = new int[columns][rows];
        for (int c = 0; c < columns; c++) {
            for (int i = 0; i < rows; i++) {
                second[c][i] = 7 * c + i % 3;
            }
        }
        Path file = dir.resolve("b.parquet");
        long keptAfterFirst = RowGroupBlocks.kept();
        try (ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), file.toString(), ints(second), rows)) {
            for (int at = 0; at < rows; at += 4096) {
                int n = Math.min(4096, rows - at);
                int[][] part = new int[columns][];
                for (int c = 0; c < columns; c++) {
                    part[c] = java.util.Arrays.copyOfRange(second[c], at, at + n);
                }
                w.write(ints(part));
            }
            assertTrue(RowGroupBlocks.kept() < keptAfterFirst, "the second table took a kept block");
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        assertEachRow(p, rows, (g, i) -> {
            for (int c = 0; c < columns; c++) {
                assertEquals(second[c][i], g.getInteger("c" + c, 0), "c" + c + " row " + i);
            }
        });
    }

    /**
     * Int columns are held as one value until they differ (long columns are always stored): columns
     * that start to differ at their first row, within a batch, at a batch's first row, only in the
     * second row group or never, many at once (the block gains room for them while a batch is being
     * written), in a table opened for fewer rows than it gets, all read back through parquet-mr.
     */
    @Test
    void intColumnsHeldAsOneValueUntilTheyDifferReadBackAsWritten(@TempDir Path dir) throws Exception {
        int rows = ColumnTableWriter.ROW_GROUP_ROWS + 5000;
        int intColumns = 21;
        int longColumns = 6;
        java.util.SplittableRandom random = new java.util.SplittableRandom(17);
        int[][] ints = new int[intColumns][rows];
        long[][] longs = new long[longColumns][rows];
        for (int c = 0; c < intColumns + longColumns; c++) {
            int from = switch (c % 7) {
                case 0 -> 0;                                         // differs from the first rows
                case 1 -> Integer.MAX_VALUE;                         // never
                case 2 -> 3000;                                      // at a batch's first row
                case 3 -> ColumnTableWriter.ROW_GROUP_ROWS + 10;     // only in the second row group
                case 4 -> 1500;                                      // with columns 5 and 6, in the same batch
                default -> 1500 + c;
            };
            for (int i = 0; i < rows; i++) {
                long v = i < from ? 100 * c - 7 : random.nextLong(-1_000_000, 1_000_000);
                if (c < intColumns) {
                    ints[c][i] = (int) v;
                } else {
                    longs[c - intColumns][i] = v * 1_000_003L;
                }
            }
        }
        Path file = dir.resolve("t.parquet");
        ColumnBatch template = intsAndLongs(ints, longs, 0, 1);
        try (ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), file.toString(), template, 1000)) {
            int at = 0;
            int[] sizes = {3000, 1, 1499, 700, 2999};
            for (int k = 0; at < rows; k++) {
                int n = Math.min(sizes[k % sizes.length], rows - at);
                w.write(intsAndLongs(ints, longs, at, n));
                at += n;
            }
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        assertEachRow(p, rows, (g, i) -> {
            for (int c = 0; c < intColumns; c++) {
                assertEquals(ints[c][i], g.getInteger("i" + c, 0), "i" + c + " row " + i);
            }
            for (int c = 0; c < longColumns; c++) {
                assertEquals(longs[c][i], g.getLong("l" + c, 0), "l" + c + " row " + i);
            }
        });
        try (ParquetFileReader meta = ParquetFileReader.open(HadoopInputFile.fromPath(p, new Configuration()))) {
            assertEquals(2, meta.getRowGroups().size());
            // Column 1 never differs: one value, in the statistics of both row groups.
            for (var group : meta.getRowGroups()) {
                var stats = group.getColumns().get(1).getStatistics();
                assertEquals(93, ((Number) stats.genericGetMin()).intValue());
                assertEquals(93, ((Number) stats.genericGetMax()).intValue());
            }
        }
    }

    /** Reads {@code file} back through parquet-mr: exactly {@code rows} rows, each passed to {@code check}. */
    private static void assertEachRow(org.apache.hadoop.fs.Path file, int rows, java.util.function.ObjIntConsumer<Group> check)
            throws java.io.IOException {
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).build()) {
            for (int i = 0; i < rows; i++) {
                check.accept(reader.read(), i);
            }
            assertNull(reader.read());
        }
    }

    private static ColumnBatch intsAndLongs(int[][] ints, long[][] longs, int first, int n) {
        ColumnBatch b = new ColumnBatch(n);
        for (int c = 0; c < ints.length; c++) {
            b.int32("i" + c, java.util.Arrays.copyOfRange(ints[c], first, first + n));
        }
        for (int c = 0; c < longs.length; c++) {
            b.int64("l" + c, java.util.Arrays.copyOfRange(longs[c], first, first + n));
        }
        return b;
    }

    private static ColumnBatch ints(int[][] columns) {
        ColumnBatch b = new ColumnBatch(columns[0].length);
        for (int c = 0; c < columns.length; c++) {
            b.int32("c" + c, columns[c]);
        }
        return b;
    }

    /** Rows {@code [first, first + n)} of every column, as a batch of new arrays. */
    private static ColumnBatch batch(int[][] ints, long[][] longs, double[][] doubles, String[][] strings, int first, int n) {
        ColumnBatch b = new ColumnBatch(n);
        for (int c = 0; c < ints.length; c++) {
            b.int32("i" + c, java.util.Arrays.copyOfRange(ints[c], first, first + n))
                    .float64("d" + c, java.util.Arrays.copyOfRange(doubles[c], first, first + n))
                    .string("s" + c, java.util.Arrays.copyOfRange(strings[c], first, first + n))
                    .int64("l" + c, java.util.Arrays.copyOfRange(longs[c], first, first + n));
        }
        return b;
    }

    /**
     * Repeating integers are dictionary-encoded (a constant, a few values in a small range, a few
     * values spread wide, ids that repeat in runs), others stay PLAIN; all read back through
     * parquet-mr, and every chunk is compressed with the one codec.
     */
    @Test
    void repeatingIntegersAreDictionaryEncodedAndReadBack(@TempDir Path dir) throws Exception {
        int rows = ColumnTableWriter.ROW_GROUP_ROWS * 2 + 999;
        Random r = new Random(9);
        int[] constant = new int[rows];
        int[] few = new int[rows];
        int[] wide = new int[rows];
        long[] gather = new long[rows];
        int[] unique = new int[rows];
        int[] runs = new int[rows];
        int[] wideValues = {Integer.MIN_VALUE, -7, 1_000_000_007, Integer.MAX_VALUE};
        for (int i = 0; i < rows; i++) {
            constant[i] = 42;
            few[i] = 1000 + r.nextInt(12);
            wide[i] = wideValues[r.nextInt(wideValues.length)];
            gather[i] = i / 96 * 96;
            unique[i] = r.nextInt();
            runs[i] = i > 0 && r.nextInt(6) > 0 ? runs[i - 1] : -r.nextInt(300); // runs of any length, lone values
        }
        Path file = dir.resolve("h.parquet");
        ColumnBatch b = new ColumnBatch(rows).int32("constant", constant).int32("few", few).int32("wide", wide)
                .int64("gather", gather).int32("unique", unique).int32("runs", runs);
        try (ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), file.toString(), b)) {
            w.write(b);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file.toUri());
        assertEachRow(p, rows, (g, i) -> {
            assertEquals(constant[i], g.getInteger("constant", 0), "row " + i);
            assertEquals(few[i], g.getInteger("few", 0), "row " + i);
            assertEquals(wide[i], g.getInteger("wide", 0), "row " + i);
            assertEquals(gather[i], g.getLong("gather", 0), "row " + i);
            assertEquals(unique[i], g.getInteger("unique", 0), "row " + i);
            assertEquals(runs[i], g.getInteger("runs", 0), "row " + i);
        });
        try (ParquetFileReader meta = ParquetFileReader.open(HadoopInputFile.fromPath(p, new Configuration()))) {
            for (BlockMetaData block : meta.getRowGroups()) {
                for (ColumnChunkMetaData c : block.getColumns()) {
                    String name = c.getPath().toDotString();
                    assertEquals(org.apache.parquet.hadoop.metadata.CompressionCodecName.ZSTD, c.getCodec(), name);
                    boolean dictionary = c.getEncodings().contains(org.apache.parquet.column.Encoding.PLAIN_DICTIONARY);
                    assertEquals(!name.equals("unique"), dictionary, name + " " + c.getEncodings());
                }
            }
        }
    }
}
