package org.fieldwork.microscopy;

/**
 * What a synthetic cell really is in one frame, computed from its true mask (the pixels
 * {@link SyntheticTimeLapse#labels} gives the cell's id).
 *
 * @param frame          frame index t
 * @param id             cell id, 1.. in order of appearance; also its value in the label image
 * @param parentId       id of the cell this one divided from, or -1 for a cell placed as it is
 * @param area           true mask area in pixels (inside the frame)
 * @param centroidX      mean column of the mask
 * @param centroidY      mean row of the mask
 * @param intensityMean  the cell's fluorescence level s_c: corrected fluorescence per pixel
 * @param intensityTotal s_c times area: the ideal corrected fluorescence summed over the mask
 * @param touchesBorder  whether the mask has a pixel in the first or last row or column
 */
public record SyntheticCellTruth(int frame, int id, int parentId, int area, double centroidX, double centroidY,
                                 double intensityMean, double intensityTotal, boolean touchesBorder) {
}
