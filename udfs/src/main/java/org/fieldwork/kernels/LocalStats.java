package org.fieldwork.kernels;

/** Local mean and local variance over a box window (variance is null when not asked for). */
public record LocalStats(FloatImage mean, FloatImage variance) {
}
