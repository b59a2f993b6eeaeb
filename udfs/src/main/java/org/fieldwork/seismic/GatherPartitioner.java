package org.fieldwork.seismic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans gather-aligned segments of a SEG-Y file from the keys of a few traces: each even split
 * {@code i * n / N} moves to the nearest gather start found within a bounded probe distance, so
 * planning reads O(N x probe) trace headers, never the whole file.
 */
public final class GatherPartitioner {
    private static final Logger LOG = LoggerFactory.getLogger(GatherPartitioner.class);

    private final int segments;
    private final EnsembleKey key;
    private final int maxProbe;
    private final long smallFileBytes;
    private final int batch;

    /**
     * @param segments       wanted number of segments N (an upper bound: empty ones are dropped)
     * @param key            ensemble key, or null for an even split
     * @param maxProbe       farthest distance, in traces, to look for a gather start from each even split
     * @param smallFileBytes files smaller than this become one segment
     */
    public GatherPartitioner(int segments, EnsembleKey key, int maxProbe, long smallFileBytes) {
        if (segments < 1) {
            throw new IllegalArgumentException("segments must be >= 1, not " + segments);
        }
        if (maxProbe < 0) {
            throw new IllegalArgumentException("max probe must be >= 0, not " + maxProbe);
        }
        this.segments = segments;
        this.key = key;
        this.maxProbe = maxProbe;
        this.smallFileBytes = smallFileBytes;
        // Probe outward in small batches: most gathers are short, so the first batch usually settles it.
        this.batch = Math.max(1, Math.min(maxProbe, 32));
    }

    public GatherPlan plan(SegyReader reader) throws IOException {
        SegyLayout layout = reader.layout();
        long n = layout.traceCount();
        Probe probe = new Probe(reader);
        List<String> warnings = new ArrayList<>();
        TreeSet<Long> bounds = new TreeSet<>();
        bounds.add(0L);
        bounds.add(n);
        boolean aligned = key != null;
        if (layout.fileSize() >= smallFileBytes) {
            for (int i = 1; i < segments; i++) {
                long raw = Math.multiplyExact(i, n) / segments;
                if (key == null) {
                    bounds.add(raw);
                    continue;
                }
                long start = nearestGatherStart(probe, raw, n);
                if (start < 0) {
                    aligned = false;
                    String w = reader.name() + ": no " + key.name() + " gather start within " + maxProbe + " traces of trace " + raw
                            + " (boundary " + i + " of " + segments + "); splitting there evenly, which cuts a gather";
                    LOG.warn(w);
                    warnings.add(w);
                    bounds.add(raw);
                } else {
                    bounds.add(start);
                }
            }
        }
        List<GatherSegment> out = new ArrayList<>();
        Long previous = null;
        for (long b : bounds) {
            if (previous != null && b > previous) {
                Long firstKey = null;
                Long lastKey = null;
                if (key != null) {
                    firstKey = probe.key(previous);
                    lastKey = probe.key(b - 1);
                }
                out.add(new GatherSegment(out.size(), previous, b - previous, firstKey, lastKey));
            }
            previous = b;
        }
        return new GatherPlan(out, key, aligned, warnings, probe.headersRead);
    }

    /**
     * The gather start nearest to {@code raw} (the earlier one on a tie) within {@code maxProbe}
     * traces, or -1. Trace 0 and the end of the file count as gather starts. The probed window grows
     * by one batch per side per round, and a start at distance d is accepted only once every trace
     * within d of raw (and the one before) has been read.
     */
    private long nearestGatherStart(Probe probe, long raw, long n) throws IOException {
        int checked = -1; // distances 0..checked are known to hold no gather start
        for (int radius = Math.min(batch, maxProbe); ; radius = Math.min(radius + batch, maxProbe)) {
            probe.load(Math.max(0, raw - radius - 1), Math.min(n, raw + radius + 1));
            for (int d = checked + 1; d <= radius; d++) {
                if (probe.isGatherStart(raw - d, n)) {
                    return raw - d;
                }
                if (probe.isGatherStart(raw + d, n)) {
                    return raw + d;
                }
                checked = d;
            }
            if (radius >= maxProbe) {
                return -1;
            }
        }
    }

    /** The keys read so far around the current split: a window [lo, hi) that only grows outward. */
    private final class Probe {
        private final SegyReader reader;
        private long lo;
        private long hi;
        private long[] keys = new long[64];
        private long headersRead;

        Probe(SegyReader reader) {
            this.reader = reader;
        }

        /** Makes keys of [from, to) available, reading only what the current window lacks. */
        void load(long from, long to) throws IOException {
            if (to <= from) {
                return;
            }
            if (hi <= lo || from > hi || to < lo) {
                // A new split: start a fresh window.
                lo = from;
                hi = from;
            }
            long newLo = Math.min(lo, from);
            long newHi = Math.max(hi, to);
            int size = Math.toIntExact(newHi - newLo);
            long[] grown = keys.length >= size && newLo == lo ? keys : new long[Math.max(size, keys.length)];
            if (grown != keys || newLo != lo) {
                System.arraycopy(keys, 0, grown, (int) (lo - newLo), (int) (hi - lo));
            }
            keys = grown;
            if (newLo < lo) {
                read(newLo, (int) (lo - newLo), 0);
            }
            if (newHi > hi) {
                read(hi, (int) (newHi - hi), (int) (hi - newLo));
            }
            lo = newLo;
            hi = newHi;
        }

        private void read(long first, int count, int at) throws IOException {
            reader.readKeys(first, count, key.field(), keys, at);
            headersRead += count;
        }

        boolean isGatherStart(long t, long n) {
            if (t <= 0 || t >= n) {
                return t == 0 || t == n;
            }
            return keys[(int) (t - lo)] != keys[(int) (t - 1 - lo)];
        }

        /** The key of one trace, from the window when it is there. */
        long key(long t) throws IOException {
            if (t >= lo && t < hi) {
                return keys[(int) (t - lo)];
            }
            long[] one = new long[1];
            reader.readKeys(t, 1, key.field(), one, 0);
            headersRead++;
            return one[0];
        }
    }
}
