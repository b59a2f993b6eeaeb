/**
 * The kernel layer: per-pixel image kernels, each written once as an Aparapi kernel whose body runs
 * on OpenCL or, in a loop over the same work items, in Java ({@link org.fieldwork.kernels.PixelKernel}),
 * behind one device policy. No Spark types.
 *
 * <ul>
 *   <li>{@link org.fieldwork.kernels.KernelDevice}: {@code auto | opencl | java}, from a job option,
 *       the system property {@code fieldwork.kernels} or the environment variable
 *       {@code FIELDWORK_KERNELS}.</li>
 *   <li>{@link org.fieldwork.kernels.KernelSession}: one per partition; creates kernels on first use,
 *       reuses their buffers across units, disposes them on close; every call goes through one path
 *       that applies the policy and records the device that ran.</li>
 *   <li>{@link org.fieldwork.kernels.KernelReport}: runs per device label ({@code java} or
 *       {@code opencl:<device name>}), mergeable and serializable for a Spark accumulator.</li>
 * </ul>
 *
 * <p>Kernels: Gaussian blur of 8-bit images (bit-exact as OpenCV's 8-bit path; OMR's blurs run on it),
 * Gaussian blur / general separable float filter ({@link org.fieldwork.kernels.FilterTaps},
 * {@link org.fieldwork.kernels.GaussianKernel}), box mean and local variance, Sobel 3x3 (uint8 to
 * int16, float to float), BGR to gray, Laplacian (ksize 1 and 3, uint8 to int16), Canny (gradient
 * and non-maximum suppression as a kernel, the hysteresis flood in Java), borders
 * {@link org.fieldwork.kernels.Border#REFLECT_101} and
 * {@link org.fieldwork.kernels.Border#REPLICATE}. Each matches OpenCV 4.x: exactly for integer output
 * and the box mean, and for float filters exactly wherever OpenCV takes its AVX2+FMA path (otherwise
 * within a couple of ulps); see {@link org.fieldwork.kernels.FilterTaps} for the evaluation order.
 */
package org.fieldwork.kernels;
