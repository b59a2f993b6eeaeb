package org.fieldwork.kernels;

/**
 * A kernel's body as one method of (work item, pass), so that it exists once: Aparapi's
 * {@code run()} calls it with the global id and pass id on OpenCL, and the Java path calls it in a
 * loop over the same ids ({@link KernelSession}), never touching Aparapi's runner. On OpenCL,
 * Aparapi moves the arrays a kernel reads to the device and those it writes back within each call,
 * while it keeps them pinned: a garbage collection cannot move an array the device still uses.
 * Each kernel is one class, its border rule included: Aparapi reads a kernel's superclasses from
 * the JVM's class path, which in a Spark executor lacks the application jar, so code inherited by
 * a kernel fails to build there (OpenCV comparisons check every kernel's borders).
 */
interface PixelKernel {

    /** Computes work item {@code i} of pass {@code pass}; items past the image do nothing. */
    void at(int i, int pass);

    /**
     * Work items {@code from} (inclusive) to {@code to} of one pass, in order: the Java path. Each
     * kernel writes this loop itself, so that its call to {@link #at} has one target and the JIT
     * inlines the body (one loop here, shared by every kernel, would call through a virtual call per item).
     */
    void atRange(int from, int to, int pass);
}
