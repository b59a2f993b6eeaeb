package org.fieldwork.ecg;

import java.util.Map;

/**
 * What {@link EcgAnalysis} found on one image; a part is null when its op did not run.
 *
 * @param device    where the kernels ran ("java" or the OpenCL device), null when no kernel ran
 * @param images    PNG-encoded pictures by name ("edges", "crop", "trace", "grid") when asked for
 */
public record EcgResult(String name, int width, int height, ContentBox contentBox, ColorSeparation.Method colorMethod,
        GridColour gridColour, Grid grid, QualityReport quality, DigitizedEcg digitized, String device,
        Map<String, byte[]> images) {

    public EcgResult {
        images = Map.copyOf(images);
    }
}
