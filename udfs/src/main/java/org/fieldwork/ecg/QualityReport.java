package org.fieldwork.ecg;

import java.util.List;

/**
 * The quality gates' scores, pass flags and, for each failed gate, a reason that starts with the
 * gate's name ("blur: ...", "resolution: ...", "contrast: ...", "grid: ...").
 *
 * @param blurScore variance of the Laplacian of the gray image
 * @param dpiEstimate width in pixels over an A4 page's 210 mm, in dots per inch
 * @param contrastScore standard deviation of the 256 gray-histogram bin counts
 * @param gridLines grid lines found (horizontal plus vertical)
 */
public record QualityReport(double blurScore, double dpiEstimate, double contrastScore, int gridLines,
        boolean sharp, boolean enoughResolution, boolean enoughContrast, boolean gridFound, List<String> failures) {

    public QualityReport {
        failures = List.copyOf(failures);
    }

    /** True when every gate passed. */
    public boolean passed() {
        return sharp && enoughResolution && enoughContrast && gridFound;
    }
}
