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

/**
 * {@code items.parquet} of an EM run: one row per movie in input order with its motion, CTF and
 * picking results (null where a step is off or failed), its status and error. Shifts are Parquet
 * LISTs laid out as Spark writes arrays.
 */
public final class EmItemsTable {
    public static final String FILE = "items.parquet";

    /**
     * One movie's row.
     *
     * @param shiftXPx per frame, relative to frame 0
     * @param defocusUUm underfocus positive, u >= v
     * @param status     "processed" or "failed"
     */
    public record Row(String movie, Integer frames, Integer width, Integer height, Double pixelSizeA, List<Double> shiftXPx,
            List<Double> shiftYPx, Double motionMeanPx, Double defocusUUm, Double defocusVUm, Double astigmatismAngleDeg,
            Double phaseShiftPi, Double ctfFitResolutionA, Integer particleCount, String status, String error)
            implements java.io.Serializable {

        public static Row failed(String movie, String error) {
            return new Row(movie, null, null, null, null, null, null, null, null, null, null, null, null, null, "failed",
                    error);
        }
    }

    static final MessageType SCHEMA = Types.buildMessage()
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("movie")
            .optional(PrimitiveTypeName.INT32).named("frames")
            .optional(PrimitiveTypeName.INT32).named("width")
            .optional(PrimitiveTypeName.INT32).named("height")
            .optional(PrimitiveTypeName.DOUBLE).named("pixel_size_a")
            .optionalList().optionalElement(PrimitiveTypeName.DOUBLE).named("shift_x_px")
            .optionalList().optionalElement(PrimitiveTypeName.DOUBLE).named("shift_y_px")
            .optional(PrimitiveTypeName.DOUBLE).named("motion_mean_px")
            .optional(PrimitiveTypeName.DOUBLE).named("defocus_u_um")
            .optional(PrimitiveTypeName.DOUBLE).named("defocus_v_um")
            .optional(PrimitiveTypeName.DOUBLE).named("astigmatism_angle_deg")
            .optional(PrimitiveTypeName.DOUBLE).named("phase_shift_pi")
            .optional(PrimitiveTypeName.DOUBLE).named("ctf_fit_resolution_a")
            .optional(PrimitiveTypeName.INT32).named("particle_count")
            .required(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("status")
            .optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named("error")
            .named("spark_schema");

    private EmItemsTable() {
    }

    public static void write(Storage storage, String path, List<Row> rows) throws IOException {
        List<Group> groups = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Group g = new SimpleGroup(SCHEMA);
            g.add("movie", r.movie());
            Tables.addInt(g, "frames", r.frames());
            Tables.addInt(g, "width", r.width());
            Tables.addInt(g, "height", r.height());
            Tables.addDouble(g, "pixel_size_a", r.pixelSizeA());
            Tables.addList(g, "shift_x_px", r.shiftXPx());
            Tables.addList(g, "shift_y_px", r.shiftYPx());
            Tables.addDouble(g, "motion_mean_px", r.motionMeanPx());
            Tables.addDouble(g, "defocus_u_um", r.defocusUUm());
            Tables.addDouble(g, "defocus_v_um", r.defocusVUm());
            Tables.addDouble(g, "astigmatism_angle_deg", r.astigmatismAngleDeg());
            Tables.addDouble(g, "phase_shift_pi", r.phaseShiftPi());
            Tables.addDouble(g, "ctf_fit_resolution_a", r.ctfFitResolutionA());
            Tables.addInt(g, "particle_count", r.particleCount());
            g.add("status", r.status());
            Tables.addString(g, "error", r.error());
            groups.add(g);
        }
        RecordTableWriter.write(storage, path, SCHEMA, groups);
    }

    /** Reads an items table back (tests, the demo's check, the export commands). */
    public static List<Row> read(Storage storage, String path) throws IOException {
        return Tables.read(storage, path, "EM items table", g -> new Row(g.getString("movie", 0),
                Tables.integer(g, "frames"), Tables.integer(g, "width"), Tables.integer(g, "height"),
                Tables.real(g, "pixel_size_a"), Tables.list(g, "shift_x_px"), Tables.list(g, "shift_y_px"),
                Tables.real(g, "motion_mean_px"), Tables.real(g, "defocus_u_um"), Tables.real(g, "defocus_v_um"),
                Tables.real(g, "astigmatism_angle_deg"), Tables.real(g, "phase_shift_pi"),
                Tables.real(g, "ctf_fit_resolution_a"), Tables.integer(g, "particle_count"), g.getString("status", 0),
                Tables.string(g, "error")));
    }
}
