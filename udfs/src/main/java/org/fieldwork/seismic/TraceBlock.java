package org.fieldwork.seismic;

import java.util.List;

/**
 * A reusable buffer for a contiguous run of traces: samples as one row-major float array
 * [trace][sample] and one int column per decoded header field. Allocate once per task and pass to
 * {@link SegyReader#read(long, int, TraceBlock)} repeatedly; it grows only when asked for more
 * traces than it has held before.
 */
public final class TraceBlock {
    private final int samplesPerTrace;
    private final List<HeaderField> fields;
    private int capacity;
    private float[] samples;
    private int[][] columns;
    byte[] raw = new byte[0];
    private long firstTrace;
    private int count;

    public TraceBlock(int capacity, int samplesPerTrace, List<HeaderField> fields) {
        this.samplesPerTrace = samplesPerTrace;
        this.fields = List.copyOf(fields);
        ensureCapacity(capacity);
    }

    /** A block that decodes all 91 standard trace header fields. */
    public static TraceBlock allFields(int capacity, int samplesPerTrace) {
        return new TraceBlock(capacity, samplesPerTrace, java.util.Arrays.stream(TraceField.values()).map(TraceField::asHeaderField).toList());
    }

    void ensureCapacity(int traces) {
        if (traces <= capacity && samples != null) {
            return;
        }
        capacity = Math.max(traces, capacity);
        samples = new float[Math.multiplyExact(capacity, samplesPerTrace)];
        columns = new int[fields.size()][capacity];
    }

    void filled(long firstTrace, int count) {
        this.firstTrace = firstTrace;
        this.count = count;
    }

    int[][] columns() {
        return columns;
    }

    public List<HeaderField> fields() {
        return fields;
    }

    public int samplesPerTrace() {
        return samplesPerTrace;
    }

    /** Index in the file of the first trace held. */
    public long firstTrace() {
        return firstTrace;
    }

    /** Number of traces held (the arrays may be longer). */
    public int count() {
        return count;
    }

    /** Samples, trace-major: sample j of trace t is at {@code t * samplesPerTrace() + j}. Valid up to count() traces. */
    public float[] samples() {
        return samples;
    }

    /** The column of one header field; valid up to count() entries. */
    public int[] column(HeaderField field) {
        int i = fields.indexOf(field);
        if (i < 0) {
            throw new IllegalArgumentException("field " + field.name() + " is not decoded by this block");
        }
        return columns[i];
    }

    /** The column of the {@code index}-th field of {@link #fields()}. */
    public int[] column(int index) {
        return columns[index];
    }

    public int[] column(TraceField field) {
        return column(field.asHeaderField());
    }
}
