package org.fieldwork.omr;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OMRChecker's {@code config.json}: the file is deep-merged onto the defaults below, so a user
 * writes only what differs. Keys that the defaults do not have are configuration errors.
 */
public final class TuningConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Global threshold when no jump is found, for white and black page backgrounds. */
    static final double PAGE_THRESHOLD_WHITE = 200;
    static final double PAGE_THRESHOLD_BLACK = 100;

    private static final String DEFAULTS = "{"
            + "\"dimensions\":{\"display_height\":2480,\"display_width\":1640,"
            + "\"processing_height\":820,\"processing_width\":666},"
            + "\"threshold_params\":{\"GAMMA_LOW\":0.7,\"MIN_GAP\":30,\"MIN_JUMP\":25,"
            + "\"CONFIDENT_SURPLUS\":5,\"JUMP_DELTA\":30,\"PAGE_TYPE_FOR_THRESHOLD\":\"white\"},"
            + "\"alignment_params\":{\"auto_align\":false,\"match_col\":5,\"max_steps\":20,"
            + "\"stride\":1,\"thickness\":3},"
            + "\"outputs\":{\"show_image_level\":0,\"save_image_level\":0,\"save_detections\":true,"
            + "\"filter_out_multimarked_files\":false}}";

    public final String source;
    public final int displayWidth;
    public final int displayHeight;
    public final int processingWidth;
    public final int processingHeight;
    public final double gammaLow;
    public final double minGap;
    public final double minJump;
    public final double confidentSurplus;
    public final double jumpDelta;
    /** "white" or "black". */
    public final String pageTypeForThreshold;
    public final boolean autoAlign;
    public final int matchCol;
    public final int maxSteps;
    public final int stride;
    public final int thickness;
    public final int showImageLevel;
    public final int saveImageLevel;
    public final boolean saveDetections;
    public final boolean filterOutMultimarkedFiles;

    private TuningConfig(String source, JsonNode merged, ConfigReader r) {
        this.source = source;
        JsonNode d = merged.get("dimensions");
        displayWidth = positive(r, d, "dimensions.display_width");
        displayHeight = positive(r, d, "dimensions.display_height");
        processingWidth = positive(r, d, "dimensions.processing_width");
        processingHeight = positive(r, d, "dimensions.processing_height");
        JsonNode t = merged.get("threshold_params");
        gammaLow = r.number(t.get("GAMMA_LOW"), "threshold_params.GAMMA_LOW");
        minGap = r.number(t.get("MIN_GAP"), "threshold_params.MIN_GAP");
        minJump = r.number(t.get("MIN_JUMP"), "threshold_params.MIN_JUMP");
        confidentSurplus = r.number(t.get("CONFIDENT_SURPLUS"), "threshold_params.CONFIDENT_SURPLUS");
        jumpDelta = r.number(t.get("JUMP_DELTA"), "threshold_params.JUMP_DELTA");
        pageTypeForThreshold = r.string(t.get("PAGE_TYPE_FOR_THRESHOLD"), "threshold_params.PAGE_TYPE_FOR_THRESHOLD");
        if (!pageTypeForThreshold.equals("white") && !pageTypeForThreshold.equals("black")) {
            throw r.error("threshold_params.PAGE_TYPE_FOR_THRESHOLD", "must be \"white\" or \"black\"");
        }
        JsonNode a = merged.get("alignment_params");
        autoAlign = r.bool(a, "alignment_params", "auto_align", false);
        matchCol = r.integer(a.get("match_col"), "alignment_params.match_col");
        maxSteps = r.integer(a.get("max_steps"), "alignment_params.max_steps");
        stride = r.integer(a.get("stride"), "alignment_params.stride");
        thickness = r.integer(a.get("thickness"), "alignment_params.thickness");
        JsonNode o = merged.get("outputs");
        showImageLevel = r.integer(o.get("show_image_level"), "outputs.show_image_level");
        saveImageLevel = r.integer(o.get("save_image_level"), "outputs.save_image_level");
        saveDetections = r.bool(o, "outputs", "save_detections", true);
        filterOutMultimarkedFiles = r.bool(o, "outputs", "filter_out_multimarked_files", false);
    }

    private static int positive(ConfigReader r, JsonNode d, String key) {
        int v = r.integer(d.get(key.substring(key.indexOf('.') + 1)), key);
        if (v <= 0) {
            throw r.error(key, "must be positive");
        }
        return v;
    }

    private static ObjectNode defaultsJson() {
        try {
            return (ObjectNode) new ObjectMapper().readTree(DEFAULTS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The built-in defaults (no config.json anywhere up the folder tree). */
    public static TuningConfig defaults() {
        return new TuningConfig("defaults", defaultsJson(), new ConfigReader("config defaults", null));
    }

    /** Reads a {@code config.json} and deep-merges it onto the defaults. */
    public static TuningConfig load(Path configJson) {
        return load(InputTree.local(configJson.getParent()), configJson);
    }

    /** As {@link #load(Path)}, reading from {@code tree}. */
    public static TuningConfig load(InputTree tree, Path configJson) {
        ConfigReader r = ConfigReader.of(tree, configJson);
        ObjectNode user = r.readObject(configJson);
        ObjectNode merged = defaultsJson();
        mergeInto(r, merged, user, "");
        return new TuningConfig(r.file, merged, r);
    }

    private static void mergeInto(ConfigReader r, ObjectNode base, JsonNode user, String path) {
        for (Iterator<String> it = user.fieldNames(); it.hasNext();) {
            String k = it.next();
            String key = ConfigReader.join(path, k);
            JsonNode def = base.get(k);
            JsonNode val = user.get(k);
            if (def == null) {
                List<String> allowed = new ArrayList<>();
                base.fieldNames().forEachRemaining(allowed::add);
                throw r.error(key, "unknown key (allowed: " + String.join(", ", allowed) + ")");
            }
            if (def.isObject()) {
                if (!val.isObject()) {
                    throw r.error(key, "must be an object");
                }
                mergeInto(r, (ObjectNode) def, val, key);
            } else {
                if (def.isNumber() && !val.isNumber() || def.isBoolean() && !val.isBoolean()
                        || def.isTextual() && !val.isTextual()) {
                    throw r.error(key, "must be a " + (def.isNumber() ? "number" : def.isBoolean() ? "boolean" : "string"));
                }
                base.set(k, val);
            }
        }
    }

    /** The global threshold used when a sorted value list has no jump larger than MIN_JUMP. */
    double defaultPageThreshold() {
        return "white".equals(pageTypeForThreshold) ? PAGE_THRESHOLD_WHITE : PAGE_THRESHOLD_BLACK;
    }
}
