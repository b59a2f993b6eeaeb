package org.fieldwork.ecg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.RecordTableWriter;

/**
 * {@code signals.parquet}: one row per digitized lead ({@code path, lead, sample_rate_hz, values}),
 * values in millivolts as a Parquet LIST of doubles laid out as Spark writes arrays.
 */
public final class SignalsTable {
    public static final String FILE = "signals.parquet";

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("path")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("lead")
            .required(PrimitiveTypeName.DOUBLE).named("sample_rate_hz")
            .requiredList().optionalElement(PrimitiveTypeName.DOUBLE).named("values")
            .named("spark_schema");

    private SignalsTable() {
    }

    public static void write(Storage storage, String path, List<DigitizedEcg.SignalRow> rows) throws IOException {
        List<Group> groups = new ArrayList<>(rows.size());
        for (DigitizedEcg.SignalRow r : rows) {
            Group g = new SimpleGroup(SCHEMA);
            g.add("path", r.path());
            g.add("lead", r.lead());
            g.add("sample_rate_hz", r.sampleRateHz());
            Group list = g.addGroup("values");
            for (double v : r.values()) {
                list.addGroup("list").add("element", v);
            }
            groups.add(g);
        }
        RecordTableWriter.write(storage, path, SCHEMA, groups);
    }

    public static List<DigitizedEcg.SignalRow> read(Storage storage, String path) throws IOException {
        List<DigitizedEcg.SignalRow> out = new ArrayList<>();
        org.apache.hadoop.fs.Path p = Storage.isLocal(path) ? new org.apache.hadoop.fs.Path(Storage.localPath(path).toUri())
                : new org.apache.hadoop.fs.Path(path);
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), p)
                .withConf(storage.hadoopConfiguration()).build()) {
            for (Group g; (g = reader.read()) != null; ) {
                Group list = g.getGroup("values", 0);
                int n = list.getFieldRepetitionCount("list");
                double[] values = new double[n];
                for (int i = 0; i < n; i++) {
                    values[i] = list.getGroup("list", i).getDouble("element", 0);
                }
                out.add(new DigitizedEcg.SignalRow(g.getString("path", 0), g.getString("lead", 0),
                        g.getDouble("sample_rate_hz", 0), values));
            }
        } catch (RuntimeException e) {
            throw new IOException(path + ": cannot read the signals table: " + e.getMessage(), e);
        }
        return out;
    }
}
