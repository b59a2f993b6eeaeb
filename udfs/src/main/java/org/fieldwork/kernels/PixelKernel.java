package org.fieldwork.kernels;

/**
 * A kernel's body as one method of (work item, pass), so that it exists once: Aparapi's
 * {@code run()} calls it with the global id and pass id on OpenCL, and the Java path calls it in a
 * loop over the same ids ({@link KernelSession}). Host-side copies ({@code prepare}, results) and
 * device transfers ({@link #toDevice()}, {@link #fromDevice()}) stay apart, so the Java path never
 * touches Aparapi's runner.
 */
interface PixelKernel {

    /** Computes work item {@code i} of pass {@code pass}; items past the image do nothing. */
    void at(int i, int pass);

    /** Explicit transfers of the inputs to the device (OpenCL only). */
    void toDevice();

    /** Explicit transfers of the results back (OpenCL only). */
    void fromDevice();
}
