package org.fieldwork.em;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.RecordTableWriter;

/** {@code picks.parquet}: one row per picked particle, {@code movie, x_px, y_px, score}, in full-size micrograph pixels. */
public final class PicksTable {
    public static final String FILE = "picks.parquet";

    public record Row(String movie, double xPx, double yPx, double score) implements java.io.Serializable {
    }

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("movie")
            .required(PrimitiveTypeName.DOUBLE).named("x_px")
            .required(PrimitiveTypeName.DOUBLE).named("y_px")
            .required(PrimitiveTypeName.DOUBLE).named("score")
            .named("spark_schema");

    private PicksTable() {
    }

    public static void write(Storage storage, String path, List<Row> rows) throws IOException {
        List<Group> groups = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Group g = new SimpleGroup(SCHEMA);
            g.add("movie", r.movie());
            g.add("x_px", r.xPx());
            g.add("y_px", r.yPx());
            g.add("score", r.score());
            groups.add(g);
        }
        RecordTableWriter.write(storage, path, SCHEMA, groups);
    }

    public static List<Row> read(Storage storage, String path) throws IOException {
        return Tables.read(storage, path, "EM picks table", g -> new Row(g.getString("movie", 0), g.getDouble("x_px", 0),
                g.getDouble("y_px", 0), g.getDouble("score", 0)));
    }
}
