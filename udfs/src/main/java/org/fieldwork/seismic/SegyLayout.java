package org.fieldwork.seismic;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a SEG-Y file is, from its first bytes and its size alone: enough to locate any trace. Plain
 * values only, so it serializes to tasks and to JSON (the importer writes it next to the data).
 *
 * @param path                the file as opened (local path or URI)
 * @param fileSize            bytes
 * @param bigEndian           byte order of every binary field and sample
 * @param formatCode          binary header byte 3225
 * @param sampleFormat        the decoded format
 * @param samplesPerTrace     ns, from the binary header (never from trace headers)
 * @param sampleInterval      microseconds, binary header byte 3217
 * @param traceCount          number of traces
 * @param firstTraceOffset    byte offset of trace 0
 * @param traceSize           bytes per trace, headers included
 * @param extraTraceHeaders   extra 240-byte trace headers per trace (revision 2)
 * @param revisionMajor       SEG-Y revision, major
 * @param revisionMinor       SEG-Y revision, minor
 * @param fixedLengthTraces   binary header fixed-length flag (byte 3503) is set
 * @param textHeader          the 3200-byte textual header decoded (EBCDIC or ASCII)
 * @param textHeaderEncoding  {@code EBCDIC} or {@code ASCII}
 * @param extendedTextHeaders the extended textual header stanzas, in file order
 * @param binaryHeader        every {@link BinaryHeaderField} by name
 */
public record SegyLayout(
        String path,
        long fileSize,
        boolean bigEndian,
        int formatCode,
        SampleFormat sampleFormat,
        int samplesPerTrace,
        int sampleInterval,
        long traceCount,
        long firstTraceOffset,
        int traceSize,
        int extraTraceHeaders,
        int revisionMajor,
        int revisionMinor,
        boolean fixedLengthTraces,
        String textHeader,
        String textHeaderEncoding,
        List<String> extendedTextHeaders,
        Map<String, Number> binaryHeader) implements Serializable {

    public SegyLayout {
        extendedTextHeaders = List.copyOf(extendedTextHeaders);
        binaryHeader = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(binaryHeader));
    }

    public String byteOrder() {
        return bigEndian ? "big" : "little";
    }

    /** Bytes of header before the samples of each trace. */
    public int traceHeaderBytes() {
        return 240 * (1 + extraTraceHeaders);
    }

    /** Byte offset of trace {@code index}. */
    public long traceOffset(long index) {
        return firstTraceOffset + index * traceSize;
    }
}
