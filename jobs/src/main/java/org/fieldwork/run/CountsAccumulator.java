package org.fieldwork.run;

import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.util.AccumulatorV2;

/** Adds up named counts across tasks, for the progress bar and the summary. */
public final class CountsAccumulator extends AccumulatorV2<Map<String, Long>, Map<String, Long>> {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, Long> counts = new TreeMap<>();

    @Override
    public boolean isZero() {
        return counts.isEmpty();
    }

    @Override
    public AccumulatorV2<Map<String, Long>, Map<String, Long>> copy() {
        CountsAccumulator c = new CountsAccumulator();
        c.counts.putAll(counts);
        return c;
    }

    @Override
    public void reset() {
        counts.clear();
    }

    @Override
    public void add(Map<String, Long> v) {
        if (v != null) {
            v.forEach((k, n) -> counts.merge(k, n, Long::sum));
        }
    }

    @Override
    public void merge(AccumulatorV2<Map<String, Long>, Map<String, Long>> other) {
        add(other.value());
    }

    @Override
    public Map<String, Long> value() {
        return new TreeMap<>(counts);
    }
}
