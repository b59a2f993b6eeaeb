package org.fieldwork.kernels;

import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenCL device Aparapi would pick (GPU before accelerator before CPU), probed once per JVM.
 * Absent when there is no OpenCL ICD loader, no platform, or Aparapi's native part cannot load.
 */
public final class OpenClDevices {
    private static final Logger LOG = LoggerFactory.getLogger(OpenClDevices.class);

    private static volatile Probe probe;

    private OpenClDevices() {
    }

    private record Probe(OpenCLDevice device, String reason) {
    }

    /** Aparapi's best OpenCL device, if any. */
    public static Optional<OpenCLDevice> best() {
        return Optional.ofNullable(probe().device());
    }

    /** Why there is no OpenCL device (empty when there is one). */
    public static String unavailableReason() {
        Probe p = probe();
        return p.device() != null ? "" : p.reason();
    }

    /** The report label of an OpenCL device: {@code opencl:<device name>}. */
    public static String label(OpenCLDevice device) {
        return KernelReport.OPENCL_PREFIX + device.getName().trim();
    }

    private static Probe probe() {
        Probe p = probe;
        if (p == null) {
            synchronized (OpenClDevices.class) {
                p = probe;
                if (p == null) {
                    p = detect();
                    probe = p;
                }
            }
        }
        return p;
    }

    private static Probe detect() {
        try {
            Device d = KernelManager.instance().bestDevice();
            if (d instanceof OpenCLDevice) {
                OpenCLDevice cl = (OpenCLDevice) d;
                LOG.info("OpenCL device for kernels: {} ({}, platform {})", cl.getName(), cl.getType(),
                        cl.getOpenCLPlatform().getName());
                return new Probe(cl, "");
            }
            String reason = "Aparapi found no OpenCL device (best device is " + (d == null ? "none" : d.getShortDescription())
                    + "); install an OpenCL driver, e.g. Debian's pocl-opencl-icd and ocl-icd-libopencl1";
            LOG.info(reason);
            return new Probe(null, reason);
        } catch (Throwable t) {
            // UnsatisfiedLinkError when libOpenCL.so.1 or Aparapi's JNI library cannot load.
            String reason = "OpenCL is not usable: " + t;
            LOG.info(reason);
            return new Probe(null, reason);
        }
    }
}
