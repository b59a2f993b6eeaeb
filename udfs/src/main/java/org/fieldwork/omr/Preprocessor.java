package org.fieldwork.omr;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One step of a template's {@code preProcessors} list, applied to the gray sheet at processing size.
 * Implementations are immutable plain data (marker and reference images are kept as bytes), so a
 * template serializes to Spark tasks and one instance serves many threads; all OpenCV objects live
 * only for the duration of {@link #apply}.
 */
public interface Preprocessor extends Serializable {
    /** The name used in template.json. */
    String name();

    /**
     * Returns the processed image. Throws {@link PreprocessorFailure} when the sheet lacks what the
     * step looks for (page edge, markers); that sheet goes to ErrorFiles.
     */
    Mat apply(Mat image, StageRecorder stages);

    /** Files this step reads that sit among the sheets and must not be processed as sheets. */
    default List<String> referencedFiles() {
        return List.of();
    }

    List<String> NAMES = List.of("CropOnMarkers", "CropPage", "FeatureBasedAlignment", "GaussianBlur", "Levels",
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
        if (!Files.isRegularFile(p)) {
            throw r.error(key, "file not found: " + p);
        }
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new OmrConfigException(r.file, key, "cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
