package org.fieldwork.microscopy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.RecordTableWriter;

/**
 * Traces in long form, one row per cell, channel and frame: what each field of view writes next to
 * its CSVs, and what the merge concatenates into the run's {@code traces.parquet}.
 */
public final class TraceTable {
    public static final String FILE = "traces.parquet";

    /** One row; parentId null where the method does not track lineages. */
    public record Row(String file, int fov, int cellId, String channel, int frame, Double timeS, boolean good,
                      double positionX, double positionY, int area, double intensityTotal, double intensityMean,
                      Integer parentId) {
    }

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("file")
            .required(PrimitiveTypeName.INT32).named("fov")
            .required(PrimitiveTypeName.INT32).named("cell_id")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("channel")
            .required(PrimitiveTypeName.INT32).named("frame")
            .optional(PrimitiveTypeName.DOUBLE).named("time_s")
            .required(PrimitiveTypeName.BOOLEAN).named("good")
            .required(PrimitiveTypeName.DOUBLE).named("position_x")
            .required(PrimitiveTypeName.DOUBLE).named("position_y")
            .required(PrimitiveTypeName.INT32).named("area")
            .required(PrimitiveTypeName.DOUBLE).named("intensity_total")
            .required(PrimitiveTypeName.DOUBLE).named("intensity_mean")
            .optional(PrimitiveTypeName.INT32).named("parent_id")
            .named("traces");

    private TraceTable() {
    }

    /**
     * The long-form rows of one field of view: per cell, per channel, per frame.
     *
     * @param frameTimes seconds of each frame from the first; empty when unknown
     * @param lineages   whether parent ids are meaningful (fieldwork method); null otherwise
     */
    public static List<Row> rows(String file, int fov, List<String> channels, List<TraceRow> traces, double[] frameTimes,
            boolean lineages) {
        List<Row> out = new ArrayList<>(traces.size() * channels.size());
        for (TraceRow r : traces) {
            for (int c = 0; c < channels.size(); c++) {
                Double time = r.frame() < frameTimes.length ? frameTimes[r.frame()] : null;
                Integer parent = lineages ? Integer.valueOf(r.parentId()) : null;
                out.add(new Row(file, fov, r.cellId(), channels.get(c), r.frame(), time, r.good(), r.positionX(),
                        r.positionY(), r.area(), r.intensityTotal()[c], r.intensityMean(c), parent));
            }
        }
        return out;
    }

    public static void write(Storage storage, String path, List<Row> rows) throws IOException {
        SimpleGroupFactory f = new SimpleGroupFactory(SCHEMA);
        RecordTableWriter.write(storage, path, SCHEMA, () -> rows.stream().map(r -> {
            Group g = f.newGroup()
                    .append("file", r.file())
                    .append("fov", r.fov())
                    .append("cell_id", r.cellId())
                    .append("channel", r.channel())
                    .append("frame", r.frame());
            if (r.timeS() != null) {
                g.append("time_s", r.timeS());
            }
            g.append("good", r.good())
                    .append("position_x", r.positionX())
                    .append("position_y", r.positionY())
                    .append("area", r.area())
                    .append("intensity_total", r.intensityTotal())
                    .append("intensity_mean", r.intensityMean());
            if (r.parentId() != null) {
                g.append("parent_id", r.parentId());
            }
            return g;
        }).iterator());
    }

    public static List<Row> read(Storage storage, String path) throws IOException {
        List<Row> out = new ArrayList<>();
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), Storage.isLocal(path)
                ? new org.apache.hadoop.fs.Path(Storage.localPath(path).toUri()) : new org.apache.hadoop.fs.Path(path))
                .withConf(storage.hadoopConfiguration()).build()) {
            for (Group g; (g = reader.read()) != null; ) {
                out.add(new Row(g.getString("file", 0), g.getInteger("fov", 0), g.getInteger("cell_id", 0),
                        g.getString("channel", 0), g.getInteger("frame", 0),
                        g.getFieldRepetitionCount("time_s") > 0 ? g.getDouble("time_s", 0) : null,
                        g.getBoolean("good", 0), g.getDouble("position_x", 0), g.getDouble("position_y", 0),
                        g.getInteger("area", 0), g.getDouble("intensity_total", 0), g.getDouble("intensity_mean", 0),
                        g.getFieldRepetitionCount("parent_id") > 0 ? g.getInteger("parent_id", 0) : null));
            }
        } catch (RuntimeException e) {
            throw new IOException(path + ": cannot read the traces table: " + e.getMessage(), e);
        }
        return out;
    }
}
