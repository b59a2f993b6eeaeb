package org.fieldwork.omr;

import java.io.Serializable;

/**
 * An intermediate image of the pipeline for inspection, as PNG bytes. Levels follow OMRChecker's
 * show_image_level: 1 the decoded input, 2 the resized input and each pre-processor's output,
 * 3 the page at template size, 4 the sheet with the bubble reading drawn on it.
 */
public record StageImage(int level, String name, byte[] png) implements Serializable {
}
