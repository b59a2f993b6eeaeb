package org.fieldwork.io.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;

/**
 * Writes one Parquet file from {@link ColumnBatch}es inside a task (no Spark, no shuffle). Local
 * files appear atomically (temporary name, then rename); on object stores the upload is the commit.
 */
public final class ColumnTableWriter implements AutoCloseable {
    private final ParquetWriter<Integer> writer;
    private final BatchWriteSupport support;
    private final Path localTarget;
    private final Path localTemp;

    private ColumnTableWriter(ParquetWriter<Integer> writer, BatchWriteSupport support, Path localTarget, Path localTemp) {
        this.writer = writer;
        this.support = support;
        this.localTarget = localTarget;
        this.localTemp = localTemp;
    }

    /** Opens a writer whose schema is the names and types of {@code template} (rows not written). */
    public static ColumnTableWriter open(Storage storage, String path, ColumnBatch template) throws IOException {
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
        BatchWriteSupport support = new BatchWriteSupport(schema);
        OutputFile file;
        Path target = null;
        Path temp = null;
        if (Storage.isLocal(path)) {
            target = Storage.localPath(path);
            Files.createDirectories(target.toAbsolutePath().getParent());
            temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
            file = new LocalFile(temp);
        } else {
            Configuration conf = storage.hadoopConfiguration();
            file = HadoopOutputFile.fromPath(new org.apache.hadoop.fs.Path(path), conf);
        }
        ParquetWriter<Integer> writer = new Builder(file, support)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .build();
        return new ColumnTableWriter(writer, support, target, temp);
    }

    public void write(ColumnBatch batch) throws IOException {
        support.batch = batch;
        for (int r = 0; r < batch.rows(); r++) {
            writer.write(r);
        }
    }

    @Override
    public void close() throws IOException {
        writer.close();
        if (localTemp != null) {
            Files.move(localTemp, localTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
        private final BatchWriteSupport support;

        Builder(OutputFile file, BatchWriteSupport support) {
            super(file);
            this.support = support;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
            return support;
        }
    }

    /** Writes row r of the current batch, column by column. */
    private static final class BatchWriteSupport extends WriteSupport<Integer> {
        private final MessageType schema;
        private RecordConsumer consumer;
        ColumnBatch batch;

        BatchWriteSupport(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, new HashMap<>());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.consumer = recordConsumer;
        }

        @Override
        public void write(Integer row) {
            int r = row;
            consumer.startMessage();
            List<Type> fields = schema.getFields();
            for (int i = 0; i < fields.size(); i++) {
                Object col = batch.column(i);
                if (col instanceof String[] s && s[r] == null) {
                    continue;
                }
                consumer.startField(fields.get(i).getName(), i);
                switch (batch.types().get(i)) {
                    case INT32 -> consumer.addInteger(((int[]) col)[r]);
                    case INT64 -> consumer.addLong(((long[]) col)[r]);
                    case FLOAT64 -> consumer.addDouble(((double[]) col)[r]);
                    case STRING -> consumer.addBinary(Binary.fromString(((String[]) col)[r]));
                    default -> throw new IllegalStateException();
                }
                consumer.endField(fields.get(i).getName(), i);
            }
            consumer.endMessage();
        }
    }

    /** Parquet output straight to a local file, so no Hadoop .crc side files appear. */
    private static final class LocalFile implements OutputFile {
        private final Path path;

        LocalFile(Path path) {
            this.path = path;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return stream(Files.newOutputStream(path));
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        private static PositionOutputStream stream(OutputStream raw) {
            OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16);
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }
}
