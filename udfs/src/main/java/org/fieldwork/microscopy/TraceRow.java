package org.fieldwork.microscopy;

/**
 * One cell in one frame: PyAMA's trace columns, with the cell's parent (0 for none) and the
 * intensity of each fluorescence channel.
 *
 * @param intensityTotal per fluorescence channel, the sum of the corrected fluorescence over the cell
 */
public record TraceRow(int cellId, int parentId, int frame, boolean good, double positionX, double positionY,
                       int area, double[] intensityTotal) {

    public double intensityMean(int channel) {
        return intensityTotal[channel] / area;
    }
}
