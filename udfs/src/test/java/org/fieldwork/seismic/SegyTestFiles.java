package org.fieldwork.seismic;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.util.Arrays;

/** Writes the bytes of small SEG-Y files for tests: EBCDIC text, a binary header, traces. */
final class SegyTestFiles {
    private SegyTestFiles() {
    }

    /** Textual and binary header (3600 bytes) of a revision-1 file with no extended headers. */
    static byte[] fileHeader(int ns, int formatCode, int intervalMicros, ByteOrder order) {
        byte[] head = new byte[3600];
        StringBuilder text = new StringBuilder();
        for (int line = 1; line <= 40; line++) {
            String l = String.format("C%2d FIELDWORK SYNTHETIC TEST FILE | LINE %d", line, line);
            text.append(l).append(" ".repeat(80 - l.length()));
        }
        System.arraycopy(text.toString().getBytes(Charset.forName("IBM037")), 0, head, 0, 3200);
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        b.putShort(3216, (short) intervalMicros);
        b.putShort(3220, (short) ns);
        b.putShort(3224, (short) formatCode);
        b.putShort(3254, (short) 1);
        head[3500] = 1; // revision 1.0
        b.putShort(3502, (short) 1); // fixed-length traces
        return head;
    }

    /** Writes the standard fields that matter for gathers into a 240-byte header at {@code at}. */
    static void traceHeader(ByteBuffer b, int at, int sequence, int fieldRecord, int cdp, int ns, int intervalMicros) {
        b.putInt(at, sequence);            // TRACE_SEQUENCE_LINE
        b.putInt(at + 4, sequence);        // TRACE_SEQUENCE_FILE
        b.putInt(at + 8, fieldRecord);     // FieldRecord
        b.putInt(at + 12, sequence);       // TraceNumber
        b.putInt(at + 20, cdp);            // CDP
        b.putShort(at + 114, (short) ns);  // TRACE_SAMPLE_COUNT
        b.putShort(at + 116, (short) intervalMicros);
        b.putInt(at + 188, fieldRecord * 10); // INLINE_3D
    }

    /** A whole IBM-float file whose samples are the given bit patterns, ns per trace. */
    static byte[] ibmFile(int[] ibmWords, int ns, ByteOrder order) {
        int traces = ibmWords.length / ns;
        int traceSize = 240 + 4 * ns;
        byte[] out = Arrays.copyOf(fileHeader(ns, 1, 2000, order), 3600 + traces * traceSize);
        ByteBuffer b = ByteBuffer.wrap(out).order(order);
        for (int t = 0; t < traces; t++) {
            int at = 3600 + t * traceSize;
            traceHeader(b, at, t + 1, 1 + t / 10, 100 + t, ns, 2000);
            for (int i = 0; i < ns; i++) {
                b.putInt(at + 240 + 4 * i, ibmWords[t * ns + i]);
            }
        }
        return out;
    }
}
