package org.fieldwork.omr;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an OMR run was asked to do.
 *
 * @param imageLevel stage images up to this level for every folder (null: each config's
 *                   outputs.show_image_level / save_image_level; 0: none)
 * @param saveImages write each sheet with its bubbles drawn to CheckedOMRs/
 * @param show       one sheet at a time, in order, with its stage images (OMRChecker's windows, as files)
 * @param workers    at most this many sheets at once (0: as many as Spark runs; 1: sequential)
 */
public record OmrSettings(String input, Integer imageLevel, boolean saveImages, boolean show, int workers)
        implements Serializable {

    /** OMRChecker's highest show_image_level. */
    public static final int MAX_IMAGE_LEVEL = 6;

    public OmrSettings {
        if (imageLevel != null && (imageLevel < 0 || imageLevel > MAX_IMAGE_LEVEL)) {
            throw new IllegalArgumentException("--image-level must be between 0 and " + MAX_IMAGE_LEVEL + ", got " + imageLevel);
        }
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must not be negative (0: one task per sheet), got " + workers);
        }
    }

    public static OmrSettings of(String input) {
        return new OmrSettings(input, null, false, false, 0);
    }

    /** What changes how a sheet is read and which images it leaves; the worker count does not. */
    public Map<String, String> readSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("imageLevel", imageLevel == null ? "config" : imageLevel.toString());
        m.put("saveImages", String.valueOf(saveImages));
        m.put("show", String.valueOf(show));
        return m;
    }
}
