package org.fieldwork.em;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The session state files WarpCore writes into its processing folder, {@code processed_items.json}
 * and {@code failed_items.json}: arrays of one object per movie with PascalCase keys and explicit
 * nulls. Astigmatism is given as a vector: AstigX = cos(2 angle) * delta, AstigY = sin(2 angle) *
 * delta, with delta = defocus u - v in µm (Warp's DefocusDelta).
 */
public final class ProcessedItems {
    public static final String PROCESSED = "processed_items.json";
    public static final String FAILED = "failed_items.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** WarpCore's ProcessingStatus codes. */
    public enum Status {
        PROCESSED(1), OUTDATED(2), UNPROCESSED(3), FILTERED_OUT(4), LEAVE_OUT(5);

        public final int code;

        Status(int code) {
            this.code = code;
        }
    }

    /** One movie's entry. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonPropertyOrder({"Path", "ProcessingStatus", "Defocus", "Phase", "Resolution", "AstigX", "AstigY", "Motion", "Junk",
            "Particles"})
    public record Item(@JsonProperty("Path") String path, @JsonProperty("ProcessingStatus") int processingStatus,
            @JsonProperty("Defocus") Double defocus, @JsonProperty("Phase") Double phase,
            @JsonProperty("Resolution") Double resolution, @JsonProperty("AstigX") Double astigX,
            @JsonProperty("AstigY") Double astigY, @JsonProperty("Motion") Double motion, @JsonProperty("Junk") Double junk,
            @JsonProperty("Particles") Integer particles) {

        /**
         * A movie's entry from its results: defocus the mean of u and v (µm, 4 decimals), phase in
         * units of pi. Nulls where a step did not run; Junk is null (no junk classifier).
         */
        public static Item of(String fileName, Status status, Double defocusUUm, Double defocusVUm, Double angleDeg,
                Double phaseShiftPi, Double resolutionA, Double motionPx, Integer particles) {
            Double defocus = null;
            Double ax = null;
            Double ay = null;
            if (defocusUUm != null && defocusVUm != null) {
                defocus = round((defocusUUm + defocusVUm) / 2, 4);
                double delta = defocusUUm - defocusVUm;
                double a = Math.toRadians(angleDeg == null ? 0 : angleDeg);
                ax = round(Math.cos(2 * a) * delta, 4);
                ay = round(Math.sin(2 * a) * delta, 4);
            }
            return new Item(fileName, status.code, defocus, phaseShiftPi, resolutionA == null ? null : round(resolutionA, 2),
                    ax, ay, motionPx == null ? null : round(motionPx, 3), null, particles);
        }
    }

    private ProcessedItems() {
    }

    public static byte[] json(List<Item> items) {
        try {
            return JSON.writeValueAsBytes(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double round(double v, int decimals) {
        return Double.isFinite(v) ? BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue() : v;
    }
}
