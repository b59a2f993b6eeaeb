package org.fieldwork.seismic;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import org.fieldwork.io.SeekableInput;

/**
 * A real {@link SeekableInput} over a SEG-Y file that exists only as a rule: huge (millions of
 * traces) yet costless. Every byte is generated on demand from the gather layout: FieldRecord is the
 * gather number, CDP the gather number times 7, TRACE_SEQUENCE_FILE the trace number; samples are 0.
 * It counts the bytes it serves, so a test can check how little the partitioner reads.
 */
final class GeneratedSegyInput implements SeekableInput {
    private final byte[] head;
    private final long[] gatherStarts;
    private final long traceCount;
    private final int ns;
    private final int traceSize;
    long bytesServed;
    long reads;

    /** @param gatherStarts first trace of each gather, ascending, starting with 0 */
    GeneratedSegyInput(long[] gatherStarts, long traceCount, int ns) {
        this.gatherStarts = gatherStarts.clone();
        this.traceCount = traceCount;
        this.ns = ns;
        this.traceSize = 240 + 4 * ns;
        this.head = SegyTestFiles.fileHeader(ns, 5, 4000, ByteOrder.BIG_ENDIAN);
    }

    /** Gather sizes drawn from [minSize, maxSize] until {@code traces} are covered. */
    static long[] randomGathers(long traces, int minSize, int maxSize, long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        long[] starts = new long[16];
        int n = 0;
        for (long t = 0; t < traces; t += r.nextInt(minSize, maxSize + 1)) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, n * 2);
            }
            starts[n++] = t;
        }
        return Arrays.copyOf(starts, n);
    }

    int gatherOf(long trace) {
        int i = Arrays.binarySearch(gatherStarts, trace);
        return i >= 0 ? i : -i - 2;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        if (position < 0 || position + len > length()) {
            throw new EOFException(name() + ": wanted " + len + " bytes at " + position + ", length " + length());
        }
        reads++;
        bytesServed += len;
        byte[] header = new byte[240];
        ByteBuffer hb = ByteBuffer.wrap(header);
        long cachedTrace = -1;
        for (int i = 0; i < len; i++) {
            long pos = position + i;
            byte b;
            if (pos < 3600) {
                b = head[(int) pos];
            } else {
                long trace = (pos - 3600) / traceSize;
                int within = (int) ((pos - 3600) % traceSize);
                if (within >= 240) {
                    b = 0;
                } else {
                    if (trace != cachedTrace) {
                        Arrays.fill(header, (byte) 0);
                        int gather = gatherOf(trace);
                        SegyTestFiles.traceHeader(hb, 0, (int) (trace + 1), gather, gather * 7, ns, 4000);
                        cachedTrace = trace;
                    }
                    b = header[within];
                }
            }
            buffer[offset + i] = b;
        }
    }

    @Override
    public long length() {
        return 3600 + traceCount * traceSize;
    }

    @Override
    public String name() {
        return "generated://" + traceCount + "-traces.sgy";
    }

    @Override
    public void close() {
    }
}
