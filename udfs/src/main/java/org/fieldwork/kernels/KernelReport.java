package org.fieldwork.kernels;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which device ran how many kernel calls: counts per device label ({@value #JAVA} for the kernel's
 * body run in Java, {@code opencl:<device name>} for OpenCL), per kernel and device, and how many
 * OpenCL attempts failed over to Java under {@link KernelDevice#AUTO}. Mergeable and serializable, so a job can
 * keep one in a Spark accumulator and print {@link #summary()} at the end.
 */
public final class KernelReport implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Device label of the Java path. */
    public static final String JAVA = "java";
    /** Prefix of OpenCL device labels. */
    public static final String OPENCL_PREFIX = "opencl:";

    private final TreeMap<String, Long> runsByDevice = new TreeMap<>();
    private final TreeMap<String, Long> runsByKernel = new TreeMap<>();
    private long openClFailovers;

    public KernelReport() {
    }

    /** Counts one run of {@code kernel} on {@code device}. */
    public synchronized void record(String kernel, String device) {
        runsByDevice.merge(device, 1L, Long::sum);
        runsByKernel.merge(kernel + " @ " + device, 1L, Long::sum);
    }

    synchronized void recordFailover() {
        openClFailovers++;
    }

    /** Adds another report's counts to this one (accumulator merge). */
    public synchronized void merge(KernelReport other) {
        KernelReport o = other.copy();
        o.runsByDevice.forEach((k, v) -> runsByDevice.merge(k, v, Long::sum));
        o.runsByKernel.forEach((k, v) -> runsByKernel.merge(k, v, Long::sum));
        openClFailovers += o.openClFailovers;
    }

    public synchronized KernelReport copy() {
        KernelReport c = new KernelReport();
        c.runsByDevice.putAll(runsByDevice);
        c.runsByKernel.putAll(runsByKernel);
        c.openClFailovers = openClFailovers;
        return c;
    }

    public synchronized void reset() {
        runsByDevice.clear();
        runsByKernel.clear();
        openClFailovers = 0;
    }

    public synchronized boolean isEmpty() {
        return runsByDevice.isEmpty() && openClFailovers == 0;
    }

    /** Runs per device label, sorted by label. */
    public synchronized Map<String, Long> runsByDevice() {
        return Collections.unmodifiableMap(new TreeMap<>(runsByDevice));
    }

    /** Runs per "kernel @ device", sorted. */
    public synchronized Map<String, Long> runsByKernel() {
        return Collections.unmodifiableMap(new TreeMap<>(runsByKernel));
    }

    public synchronized long runsOn(String device) {
        return runsByDevice.getOrDefault(device, 0L);
    }

    public synchronized long openClRuns() {
        return runsByDevice.entrySet().stream()
                .filter(e -> e.getKey().startsWith(OPENCL_PREFIX))
                .mapToLong(Map.Entry::getValue)
                .sum();
    }

    public synchronized long javaRuns() {
        return runsOn(JAVA);
    }

    public synchronized long totalRuns() {
        return runsByDevice.values().stream().mapToLong(Long::longValue).sum();
    }

    /** OpenCL runs that Aparapi could not complete on OpenCL and that Java redid (AUTO only). */
    public synchronized long openClFailovers() {
        return openClFailovers;
    }

    /** One line for a job summary, e.g. {@code kernel runs: 120 (opencl:pthread-cpu=118, java=2; 1 failover)}. */
    public synchronized String summary() {
        StringBuilder sb = new StringBuilder("kernel runs: ").append(totalRuns());
        if (!runsByDevice.isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (Map.Entry<String, Long> e : runsByDevice.entrySet()) {
                sb.append(first ? "" : ", ").append(e.getKey()).append('=').append(e.getValue());
                first = false;
            }
            if (openClFailovers > 0) {
                sb.append("; ").append(openClFailovers).append(" OpenCL failover(s) to java");
            }
            sb.append(')');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return summary();
    }
}
