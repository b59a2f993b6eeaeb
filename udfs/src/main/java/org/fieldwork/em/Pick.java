package org.fieldwork.em;

/**
 * One picked particle: its centre in full-resolution pixels of the micrograph (origin at the centre
 * of the top-left pixel, x to the right, y down: pixel (x, y) is element {@code y * width + x}), and
 * its figure of merit, the picker's response in standard deviations above the mean background response.
 */
public record Pick(double xPx, double yPx, double score) {
}
