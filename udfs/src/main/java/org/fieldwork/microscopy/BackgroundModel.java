package org.fieldwork.microscopy;

/**
 * A smooth fluorescence background fitted to one frame's background pixels (outside the cell
 * mask), described by a few numbers per frame, so that frames never need to be kept: the
 * surface is evaluated again, row by row, whenever it is needed.
 */
public interface BackgroundModel {

    /**
     * The frame's background description, or null when the frame has too little background to
     * fit one ({@link #whyNot} says why).
     *
     * @param integerPixels the frame holds integer counts (8/16-bit camera)
     */
    double[] fit(float[] frame, byte[] mask, boolean integerPixels);

    /** Why the last {@link #fit} returned null. */
    String whyNot();

    /** Row y of the surface. */
    void surfaceRow(double[] fit, int y, double[] out);

    /** The mean of the surface over the frame. */
    double surfaceMean(double[] fit);
}
