package org.fieldwork.omr;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroup;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.fieldwork.io.Storage;
import org.fieldwork.io.parquet.RecordTableWriter;

/**
 * {@code results.parquet}: one row per sheet of a run, in input order, for SQL over a whole exam:
 * where the sheet went (the CSV it is listed in), its score, each question's answer and the
 * confidence of its reading. Maps are Parquet MAPs as Spark writes them, so Spark, pandas and
 * DuckDB read them as maps.
 */
public final class ResultsTable {
    public static final String FILE = "results.parquet";

    /** One sheet's row. {@code score}, {@code error} and {@code minConfidence} may be null. */
    public record Row(String folder, String fileId, String inputPath, int sheetIndex, String destination, Double score,
            boolean multiMarked, String error, Map<String, String> answers, Map<String, Double> confidence,
            Double minConfidence) {
    }

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("folder")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("file_id")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("input_path")
            .required(PrimitiveTypeName.INT32).named("sheet_index")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("destination")
            .optional(PrimitiveTypeName.DOUBLE).named("score")
            .required(PrimitiveTypeName.BOOLEAN).named("multi_marked")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("error")
            .requiredMap().key(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                .optionalValue(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("answers")
            .requiredMap().key(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                .optionalValue(PrimitiveTypeName.DOUBLE).named("confidence")
            .optional(PrimitiveTypeName.DOUBLE).named("min_confidence")
            .named("spark_schema");

    private ResultsTable() {
    }

    /** Writes the rows as {@code path}, replacing the file (or an older version's folder) there. */
    public static void write(Storage storage, String path, List<Row> rows) throws IOException {
        List<Group> groups = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Group g = new SimpleGroup(SCHEMA);
            g.add("folder", r.folder());
            g.add("file_id", r.fileId());
            g.add("input_path", r.inputPath());
            g.add("sheet_index", r.sheetIndex());
            g.add("destination", r.destination());
            if (r.score() != null) {
                g.add("score", r.score());
            }
            g.add("multi_marked", r.multiMarked());
            if (r.error() != null) {
                g.add("error", r.error());
            }
            map(g.addGroup("answers"), r.answers(), (kv, v) -> kv.add("value", v));
            map(g.addGroup("confidence"), r.confidence(), (kv, v) -> kv.add("value", v));
            if (r.minConfidence() != null) {
                g.add("min_confidence", r.minConfidence());
            }
            groups.add(g);
        }
        RecordTableWriter.write(storage, path, SCHEMA, groups);
    }

    /** A MAP's entries as Spark lays them out: repeated key_value groups, a null value left out. */
    private static <V> void map(Group map, Map<String, V> entries, java.util.function.BiConsumer<Group, V> addValue) {
        entries.forEach((k, v) -> {
            Group kv = map.addGroup("key_value");
            kv.add("key", k);
            if (v != null) {
                addValue.accept(kv, v);
            }
        });
    }
}
