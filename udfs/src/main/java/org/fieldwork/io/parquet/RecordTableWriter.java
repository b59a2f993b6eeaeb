package org.fieldwork.io.parquet;

import java.io.IOException;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.fieldwork.io.Storage;

/**
 * Writes a small table of nested records (maps, optional fields) through parquet-mr's record
 * writer, without Spark: a run's summary tables, thousands of rows, where {@link ColumnTableWriter}'s
 * flat columns do not fit. Same codec, same atomic appearance.
 */
public final class RecordTableWriter {
    private RecordTableWriter() {
    }

    /** Writes {@code rows} (each built on {@code schema}) as the Parquet file {@code path}, replacing any. */
    public static void write(Storage storage, String path, MessageType schema, Iterable<Group> rows) throws IOException {
        ParquetTarget target = ParquetTarget.open(storage, path);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(target.file())
                .withType(schema)
                .withConf(storage.hadoopConfiguration())
                .withCompressionCodec(CompressionCodecName.fromConf(ColumnTableWriter.CODEC))
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .build()) {
            for (Group row : rows) {
                writer.write(row);
            }
        } catch (IOException | RuntimeException e) {
            target.abort();
            throw new IOException(path + ": cannot write the Parquet file: " + e.getMessage(), e);
        }
        target.commit();
    }
}
