package org.fieldwork.kernels;

/** OpenCL was required ({@link KernelDevice#OPENCL}) but a kernel could not run on it. */
public class KernelUnavailableException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public KernelUnavailableException(String message) {
        super(message);
    }

    public KernelUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
