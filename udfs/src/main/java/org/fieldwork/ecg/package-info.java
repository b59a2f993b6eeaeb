/**
 * ECG paper images: the content box and crop, trace/grid colour separation, grid spacing (pixels
 * per millimetre) and the quality gates, following the reference rules in {@code specs/ecg.md}.
 * Pure Java over OpenCV ({@code org.bytedeco:opencv}); no Spark types. Per-pixel operations that
 * the kernel layer will supply (grayscale, Laplacian, Canny) go through {@link
 * org.fieldwork.ecg.KernelStandIns} so that switching to the kernels is one change per operation.
 */
package org.fieldwork.ecg;
