package org.fieldwork.microscopy;

import java.util.List;
import java.util.Map;

/**
 * What a processed FOV reports for the merge and experiment.json.
 *
 * @param invalidFrames per fluorescence channel, frames whose background could not be estimated
 * @param seconds       time per step
 * @param pictures      the trace plot(s) and the outline overlays of the first and last frame
 */
public record FovFacts(String file, int fov, int frames, int cells, int goodCells, Map<String, List<String>> invalidFrames,
                       Map<String, Double> seconds, String tracesTable, List<String> pictures) implements java.io.Serializable {
}
