package org.fieldwork.kernels;

import java.util.Locale;

/**
 * Where kernels run: the one device policy every kernel follows.
 *
 * <ul>
 *   <li>{@link #AUTO}: OpenCL when a device is present and the kernel compiles for it, otherwise the
 *       kernel's body in Java; the report says which ran.</li>
 *   <li>{@link #OPENCL}: OpenCL must really run. No device, a kernel Aparapi cannot translate or a
 *       run that Aparapi moved to its Java thread pool is an error, never a silent fallback.</li>
 *   <li>{@link #JAVA}: always the kernel's body in Java.</li>
 * </ul>
 */
public enum KernelDevice {
    AUTO, OPENCL, JAVA;

    /** System property that selects the policy (tests, local runs). */
    public static final String PROPERTY = "fieldwork.kernels";
    /** Environment variable read when the property is not set. */
    public static final String ENV = "FIELDWORK_KERNELS";

    /** Parses {@code auto|opencl|java} (case-insensitive); anything else names the accepted values. */
    public static KernelDevice parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("kernel device is empty; expected one of auto, opencl, java");
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "opencl":
            case "cl":
                return OPENCL;
            case "java":
                return JAVA;
            default:
                throw new IllegalArgumentException(
                        "unknown kernel device '" + text + "'; expected one of auto, opencl, java");
        }
    }

    /** The policy from {@value #PROPERTY}, else {@value #ENV}, else {@link #AUTO}. */
    public static KernelDevice fromEnvironment() {
        String prop = System.getProperty(PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return parse(prop);
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return parse(env);
        }
        return AUTO;
    }

    /** Lower-case name as accepted by {@link #parse}, for job options and summaries. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
