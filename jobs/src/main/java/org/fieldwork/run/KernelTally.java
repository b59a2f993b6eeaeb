package org.fieldwork.run;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts kernel launches per device that really ran ("java", or the OpenCL device name), so a
 * summary can say "ran on PoCL cpu" rather than assume it.
 */
public final class KernelTally implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> runs = new TreeMap<>();

    public synchronized void add(String device, long count) {
        runs.merge(device, count, Long::sum);
    }

    public synchronized void addAll(Map<String, Long> other) {
        if (other != null) {
            other.forEach(this::add);
        }
    }

    public synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(runs);
    }

    public synchronized boolean isEmpty() {
        return runs.isEmpty();
    }
}
