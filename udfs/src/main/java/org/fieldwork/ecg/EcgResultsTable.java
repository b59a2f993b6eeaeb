package org.fieldwork.ecg;

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

/**
 * {@code results.parquet} of an ECG run: one row per image in input order, what each op found (null
 * where the op did not run or found nothing), and the error of an image that failed. The failures
 * list is a Parquet LIST laid out as Spark writes arrays.
 */
public final class EcgResultsTable {
    public static final String FILE = "results.parquet";

    /** One image's row; every field but {@code path} may be null. */
    public record Row(String path, Integer width, Integer height, Integer contentX, Integer contentY, Integer contentW,
            Integer contentH, String gridColor, Double gridFinePx, Double gridBoldPx, Integer gridLinesH,
            Integer gridLinesV, Double pxPerMm, Double blurScore, Double dpi, Double contrast, Boolean qualityPass,
            List<String> qualityFailures, String device, String error) implements java.io.Serializable {

        /** The row of an image that failed: its path and why. */
        public static Row failed(String path, String error) {
            return new Row(path, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, error);
        }
    }

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("path")
            .optional(PrimitiveTypeName.INT32).named("width")
            .optional(PrimitiveTypeName.INT32).named("height")
            .optional(PrimitiveTypeName.INT32).named("content_x")
            .optional(PrimitiveTypeName.INT32).named("content_y")
            .optional(PrimitiveTypeName.INT32).named("content_w")
            .optional(PrimitiveTypeName.INT32).named("content_h")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("grid_color")
            .optional(PrimitiveTypeName.DOUBLE).named("grid_fine_px")
            .optional(PrimitiveTypeName.DOUBLE).named("grid_bold_px")
            .optional(PrimitiveTypeName.INT32).named("grid_lines_h")
            .optional(PrimitiveTypeName.INT32).named("grid_lines_v")
            .optional(PrimitiveTypeName.DOUBLE).named("px_per_mm")
            .optional(PrimitiveTypeName.DOUBLE).named("blur_score")
            .optional(PrimitiveTypeName.DOUBLE).named("dpi")
            .optional(PrimitiveTypeName.DOUBLE).named("contrast")
            .optional(PrimitiveTypeName.BOOLEAN).named("quality_pass")
            .optionalList().optionalElement(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType())
                .named("quality_failures")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("device")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("error")
            .named("spark_schema");

    private EcgResultsTable() {
    }

    /** A result's row; NaN measures (a spacing not found) become null. */
    public static Row row(String path, EcgResult r) {
        ContentBox b = r.contentBox();
        Grid g = r.grid();
        QualityReport q = r.quality();
        return new Row(path, r.width(), r.height(), b == null ? null : b.x(), b == null ? null : b.y(),
                b == null ? null : b.width(), b == null ? null : b.height(),
                r.gridColour() == null ? null : r.gridColour().label(),
                g == null ? null : finite(g.fineSpacingPx()), g == null ? null : finite(g.boldSpacingPx()),
                g == null ? null : g.horizontalLines(), g == null ? null : g.verticalLines(),
                g == null ? null : finite(g.pxPerMm()), q == null ? null : finite(q.blurScore()),
                q == null ? null : finite(q.dpiEstimate()), q == null ? null : finite(q.contrastScore()),
                q == null ? null : q.passed(), q == null ? null : q.failures(), r.device(), null);
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /** Writes the rows as {@code path}, replacing what is there. */
    public static void write(Storage storage, String path, List<Row> rows) throws IOException {
        List<Group> groups = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Group g = new SimpleGroup(SCHEMA);
            g.add("path", r.path());
            addInt(g, "width", r.width());
            addInt(g, "height", r.height());
            addInt(g, "content_x", r.contentX());
            addInt(g, "content_y", r.contentY());
            addInt(g, "content_w", r.contentW());
            addInt(g, "content_h", r.contentH());
            addString(g, "grid_color", r.gridColor());
            addDouble(g, "grid_fine_px", r.gridFinePx());
            addDouble(g, "grid_bold_px", r.gridBoldPx());
            addInt(g, "grid_lines_h", r.gridLinesH());
            addInt(g, "grid_lines_v", r.gridLinesV());
            addDouble(g, "px_per_mm", r.pxPerMm());
            addDouble(g, "blur_score", r.blurScore());
            addDouble(g, "dpi", r.dpi());
            addDouble(g, "contrast", r.contrast());
            if (r.qualityPass() != null) {
                g.add("quality_pass", r.qualityPass());
            }
            if (r.qualityFailures() != null) {
                Group list = g.addGroup("quality_failures");
                for (String f : r.qualityFailures()) {
                    list.addGroup("list").add("element", f);
                }
            }
            addString(g, "device", r.device());
            addString(g, "error", r.error());
            groups.add(g);
        }
        RecordTableWriter.write(storage, path, SCHEMA, groups);
    }

    /** Reads a results table back (tests, the demo's check). */
    public static List<Row> read(Storage storage, String path) throws IOException {
        List<Row> out = new ArrayList<>();
        org.apache.hadoop.fs.Path p = Storage.isLocal(path) ? new org.apache.hadoop.fs.Path(Storage.localPath(path).toUri())
                : new org.apache.hadoop.fs.Path(path);
        try (org.apache.parquet.hadoop.ParquetReader<Group> reader = org.apache.parquet.hadoop.ParquetReader
                .builder(new org.apache.parquet.hadoop.example.GroupReadSupport(), p)
                .withConf(storage.hadoopConfiguration()).build()) {
            for (Group g; (g = reader.read()) != null; ) {
                List<String> failures = null;
                if (g.getFieldRepetitionCount("quality_failures") > 0) {
                    Group list = g.getGroup("quality_failures", 0);
                    failures = new ArrayList<>();
                    for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
                        failures.add(list.getGroup("list", i).getString("element", 0));
                    }
                }
                out.add(new Row(g.getString("path", 0), integer(g, "width"), integer(g, "height"), integer(g, "content_x"),
                        integer(g, "content_y"), integer(g, "content_w"), integer(g, "content_h"), string(g, "grid_color"),
                        real(g, "grid_fine_px"), real(g, "grid_bold_px"), integer(g, "grid_lines_h"),
                        integer(g, "grid_lines_v"), real(g, "px_per_mm"), real(g, "blur_score"), real(g, "dpi"),
                        real(g, "contrast"), g.getFieldRepetitionCount("quality_pass") > 0 ? g.getBoolean("quality_pass", 0)
                                : null, failures, string(g, "device"), string(g, "error")));
            }
        } catch (RuntimeException e) {
            throw new IOException(path + ": cannot read the ECG results table: " + e.getMessage(), e);
        }
        return out;
    }

    private static Integer integer(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getInteger(field, 0) : null;
    }

    private static Double real(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getDouble(field, 0) : null;
    }

    private static String string(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getString(field, 0) : null;
    }

    private static void addInt(Group g, String field, Integer v) {
        if (v != null) {
            g.add(field, v);
        }
    }

    private static void addDouble(Group g, String field, Double v) {
        if (v != null) {
            g.add(field, v);
        }
    }

    private static void addString(Group g, String field, String v) {
        if (v != null) {
            g.add(field, v);
        }
    }
}
