package org.fieldwork.ecg;

import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * A synthetic ECG print and its ground truth. {@code image} is 8-bit BGR; the panel geometry is that
 * of the unrotated page (rotation, blur and JPEG are applied to the finished page).
 */
public record RenderedEcg(Mat image, double pxPerMm, List<Panel> panels) {

    /**
     * One drawn panel: sample {@code i} of {@code valuesMv} (record sample {@code firstSample + i})
     * is drawn at column {@code xStartPx + i * px per sample}, 0 mV on row {@code baselineRowPx}.
     */
    public record Panel(EcgLayout.Panel place, int firstSample, double xStartPx, double xEndPx,
            double baselineRowPx, double[] valuesMv) {
    }
}
