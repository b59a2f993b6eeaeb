package org.fieldwork.omr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Builds {@link Preprocessor} steps from template.json entries. */
final class Preprocessors {
    private Preprocessors() {
    }

    static final List<String> NAMES = List.of("CropOnMarkers", "CropPage", "FeatureBasedAlignment", "GaussianBlur", "Levels",
            "MedianBlur");

    /** Builds a step from its template entry; {@code key} is the entry's key path for error messages. */
    static Preprocessor create(ConfigReader r, String key, JsonNode entry, Path templateDir, TuningConfig config) {
        r.checkKeys(entry, key, List.of("name", "options"), List.of("name"));
        String name = r.string(entry.get("name"), key + ".name");
        JsonNode options = entry.has("options") ? entry.get("options") : JsonNodeFactory.instance.objectNode();
        String optKey = key + ".options";
        if (!options.isObject()) {
            throw r.error(optKey, "must be an object");
        }
        switch (name) {
            case "CropPage":
                return new CropPage(r, optKey, options);
            case "CropOnMarkers":
                return new CropOnMarkers(r, optKey, options, templateDir, config);
            case "FeatureBasedAlignment":
                return new FeatureBasedAlignment(r, optKey, options, templateDir, config);
            case "GaussianBlur":
                return new GaussianBlur(r, optKey, options);
            case "MedianBlur":
                return new MedianBlur(r, optKey, options);
            case "Levels":
                return new Levels(r, optKey, options);
            default:
                throw r.error(key + ".name", "unknown pre-processor '" + name + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }

    /** Reads an image file a step refers to, relative to the template's folder. */
    static byte[] readReferencedImage(ConfigReader r, String key, Path templateDir, String relative) {
        Path p = templateDir.resolve(relative);
        if (!r.tree.isFile(p)) {
            throw r.error(key, "file not found: " + r.tree.name(p));
        }
        try {
            return r.tree.read(p);
        } catch (IOException e) {
            throw new OmrConfigException(r.file, key, "cannot read " + r.tree.name(p) + ": " + e.getMessage(), e);
        }
    }
}
