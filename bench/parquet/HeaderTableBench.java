import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.ColumnBatch;
import org.fieldwork.io.parquet.ColumnTableWriter;
import org.fieldwork.seismic.SampleFormat;
import org.fieldwork.seismic.SegyReader;
import org.fieldwork.seismic.SyntheticSegy;
import org.fieldwork.seismic.TraceBlock;

/**
 * SEG-Y header tables (every trace header field of a synthetic survey, one int column each) written
 * by Fieldwork's column writer (dictionary-encoded where values repeat, zstd) and by parquet-mr's
 * column writers with the same encodings (dictionary on, zstd); then once through parquet-mr's
 * record API, and, for the size of the format before, PLAIN + Snappy. Prints rows per second, file
 * sizes and the ratio.
 *   HeaderTableBench TRACES WORK-FOLDER
 */
public final class HeaderTableBench {
    public static void main(String[] args) throws Exception {
        int traces = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Files.createDirectories(work);
        Path sgy = work.resolve("headers.sgy");
        new SyntheticSegy(traces, 10, 48, 96, SampleFormat.IBM_FLOAT32, 5).write(sgy);
        List<String> names = new ArrayList<>();
        List<int[]> columns = new ArrayList<>();
        try (SegyReader r = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(traces, 10);
            r.read(0, traces, block);
            for (int f = 0; f < block.fields().size(); f++) {
                names.add(block.fields().get(f).name());
                columns.add(Arrays.copyOf(block.column(f), traces));
            }
        }
        ColumnBatch batch = new ColumnBatch(traces);
        for (int c = 0; c < names.size(); c++) {
            batch.int32(names.get(c), columns.get(c));
        }
        Types.MessageTypeBuilder b = Types.buildMessage();
        names.forEach(n -> b.required(PrimitiveTypeName.INT32).named(n));
        MessageType schema = b.named("headers");

        int rounds = 5;
        double[] ours = new double[rounds];
        double[] theirs = new double[rounds];
        long oursBytes = 0;
        long theirsBytes = 0;
        for (int round = 0; round < rounds; round++) {
            Path a = work.resolve("ours.parquet");
            long t0 = System.nanoTime();
            try (ColumnTableWriter w = ColumnTableWriter.open(Storage.defaults(), a.toString(), batch)) {
                for (int first = 0; first < traces; first += 128) {
                    w.write(slice(batch, names, columns, first, Math.min(128, traces - first)));
                }
            }
            ours[round] = (System.nanoTime() - t0) / 1e9;
            oursBytes = Files.size(a);
            Path m = work.resolve("parquet-mr.parquet");
            t0 = System.nanoTime();
            theirsBytes = parquetMrColumns(m, schema, columns, traces);
            theirs[round] = (System.nanoTime() - t0) / 1e9;
        }
        long before = parquetMr(work.resolve("plain-snappy.parquet"), schema, columns, traces, false, CompressionCodecName.SNAPPY);
        Arrays.sort(ours);
        Arrays.sort(theirs);
        double o = ours[rounds / 2];
        double t = theirs[rounds / 2];
        long t1 = System.nanoTime();
        parquetMr(work.resolve("records.parquet"), schema, columns, traces, true, CompressionCodecName.ZSTD);
        double records = (System.nanoTime() - t1) / 1e9;
        System.out.printf("header table, %d traces x %d int columns: fieldwork %.2f s (%.0f rows/s, %.2f MB), parquet-mr"
                + " column writers %.2f s (%.0f rows/s, %.2f MB), ratio %.1f (parquet-mr's time over ours, medians of %d);"
                + " parquet-mr record API %.2f s; PLAIN + Snappy, the format before: %.2f MB%n",
                traces, names.size(), o, traces / o, oursBytes / 1e6, t, traces / t, theirsBytes / 1e6, t / o, rounds,
                records, before / 1e6);
    }

    /** The rows a segment's 128-trace block gives the writer, as the importer hands them over. */
    private static ColumnBatch slice(ColumnBatch all, List<String> names, List<int[]> columns, int first, int n) {
        ColumnBatch b = new ColumnBatch(n);
        for (int c = 0; c < names.size(); c++) {
            b.int32(names.get(c), Arrays.copyOfRange(columns.get(c), first, first + n));
        }
        return b;
    }

    /**
     * parquet-mr's fastest path: its column writers (ColumnWriteStore, one ColumnWriter per column)
     * and page store straight into its file writer, row groups of 64Ki rows as ours.
     */
    private static long parquetMrColumns(Path file, MessageType schema, List<int[]> columns, int traces) throws Exception {
        Files.deleteIfExists(file);
        Configuration conf = new Configuration();
        org.apache.parquet.hadoop.ParquetFileWriter fw = new org.apache.parquet.hadoop.ParquetFileWriter(
                org.apache.parquet.hadoop.util.HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), conf),
                schema, ParquetFileWriter.Mode.OVERWRITE, 128L << 20, 0);
        fw.start();
        org.apache.parquet.hadoop.CodecFactory codecs = new org.apache.parquet.hadoop.CodecFactory(conf, 1 << 20);
        ParquetProperties props = ParquetProperties.builder().withDictionaryEncoding(true)
                .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0).build();
        List<org.apache.parquet.column.ColumnDescriptor> descriptors = schema.getColumns();
        int group = 1 << 16;
        for (int first = 0; first < traces; first += group) {
            int n = Math.min(group, traces - first);
            org.apache.parquet.hadoop.ColumnChunkPageWriteStore pages = new org.apache.parquet.hadoop.ColumnChunkPageWriteStore(
                    codecs.getCompressor(CompressionCodecName.ZSTD), schema,
                    org.apache.parquet.bytes.HeapByteBufferAllocator.getInstance(), Integer.MAX_VALUE);
            org.apache.parquet.column.impl.ColumnWriteStoreV1 store = new org.apache.parquet.column.impl.ColumnWriteStoreV1(
                    schema, pages, props);
            org.apache.parquet.column.ColumnWriter[] writers = new org.apache.parquet.column.ColumnWriter[descriptors.size()];
            for (int c = 0; c < writers.length; c++) {
                writers[c] = store.getColumnWriter(descriptors.get(c));
            }
            for (int i = first; i < first + n; i++) {
                for (int c = 0; c < writers.length; c++) {
                    writers[c].write(columns.get(c)[i], 0, 0);
                }
                store.endRecord();
            }
            fw.startBlock(n);
            store.flush();
            pages.flushToFileWriter(fw);
            fw.endBlock();
            store.close();
        }
        fw.end(java.util.Map.of());
        codecs.release();
        return Files.size(file);
    }

    private static long parquetMr(Path file, MessageType schema, List<int[]> columns, int traces, boolean dictionary,
            CompressionCodecName codec) throws Exception {
        Files.deleteIfExists(file);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new org.apache.hadoop.fs.Path(file.toUri()))
                .withType(schema).withConf(new Configuration()).withCompressionCodec(codec)
                .withDictionaryEncoding(dictionary).withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            for (int i = 0; i < traces; i++) {
                Group g = groups.newGroup();
                for (int c = 0; c < columns.size(); c++) {
                    g.add(c, columns.get(c)[i]);
                }
                w.write(g);
            }
        }
        return Files.size(file);
    }
}
