package org.fieldwork.run;

import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named counts a job keeps per unit and the run adds up: which device ran the kernels ("kernels on
 * opencl:..."), cells found, frames dropped. Printed with the summary, stored in each unit's record.
 */
public final class Counts implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> counts = new TreeMap<>();

    public synchronized void add(String name, long n) {
        counts.merge(name, n, Long::sum);
    }

    public synchronized void addAll(Map<String, Long> other) {
        if (other != null) {
            other.forEach(this::add);
        }
    }

    public synchronized Map<String, Long> snapshot() {
        return new TreeMap<>(counts);
    }
}
