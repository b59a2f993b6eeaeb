package org.fieldwork.seismic;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;

/**
 * Reads a SEG-Y file: the layout once at open, then contiguous blocks of traces, decoded from the
 * local file's view (one read into the input's buffer) or from one positioned read into the block's
 * reused buffer.
 * Not thread-safe; each task opens its own.
 *
 * <pre>{@code
 * try (SegyReader r = SegyReader.open(storage, "s3a://bucket/survey.sgy")) {
 *     SegyLayout layout = r.layout();
 *     TraceBlock block = TraceBlock.allFields(1000, layout.samplesPerTrace());
 *     for (long t = 0; t < layout.traceCount(); t += 1000) {
 *         r.read(t, (int) Math.min(1000, layout.traceCount() - t), block);
 *         float[] samples = block.samples();            // [count x ns], row-major
 *         int[] cdp = block.column(TraceField.CDP);
 *     }
 * }
 * }</pre>
 */
public final class SegyReader implements Closeable {
    static final int TEXT_BYTES = 3200;
    static final int HEAD_BYTES = 3600;
    private static final Charset EBCDIC = Charset.forName("IBM037");
    private static final String END_TEXT = "((SEG:ENDTEXT))";
    /** Longest contiguous read when probing keys; beyond it read each header's key alone. */
    private static final int MAX_KEY_SPAN = 1 << 20;

    private final SeekableInput input;
    private final SegyLayout layout;
    private byte[] keyBuffer = new byte[0];

    private SegyReader(SeekableInput input, SegyLayout layout) {
        this.input = input;
        this.layout = layout;
    }

    /** Opens a local path or {@code s3a://} URI. */
    public static SegyReader open(Storage storage, String path) throws IOException {
        return open(storage.openInput(path));
    }

    /** Takes ownership of {@code input}: closes it on failure and on {@link #close()}. */
    public static SegyReader open(SeekableInput input) throws IOException {
        try {
            return new SegyReader(input, describe(input));
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    public SegyLayout layout() {
        return layout;
    }

    public String name() {
        return input.name();
    }

    /** Reads the layout of a SEG-Y file from its first headers and its size. */
    public static SegyLayout describe(SeekableInput in) throws IOException {
        String name = in.name();
        long size = in.length();
        if (size < HEAD_BYTES) {
            throw new SegyFormatException(name, "only " + size + " bytes; a SEG-Y file has at least 3600 (textual and binary headers)");
        }
        byte[] head = new byte[HEAD_BYTES];
        in.readFully(0, head, 0, HEAD_BYTES);

        boolean bigEndian = detectBigEndian(name, head);
        int formatCode = Bytes.i16(head, 3224, bigEndian);
        SampleFormat format = SampleFormat.fromCode(formatCode);
        if (format == null) {
            throw new SegyFormatException(name, "sample format code " + formatCode + " (binary header byte 3225) is not supported"
                    + (formatCode == 4 ? " (4-byte fixed point with gain is obsolete)" : "")
                    + "; supported codes are 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 15, 16");
        }

        // Revision 1 is often written as the 16-bit integer 1, i.e. major byte 0 and minor byte 1.
        int major = head[3500] & 0xff;
        int minor = head[3501] & 0xff;
        int revision = major != 0 ? major : minor;

        int ns = Bytes.u16(head, 3220, bigEndian);
        int nsExtended = Bytes.i32(head, 3268, bigEndian);
        if (nsExtended > 0 && (ns == 0 || revision >= 2)) {
            ns = nsExtended;
        }
        if (ns <= 0) {
            throw new SegyFormatException(name, "binary header gives no samples per trace (byte 3221 is 0 and byte 3269 is " + nsExtended + ")");
        }

        int extendedCount = Bytes.i16(head, 3504, bigEndian);
        if (extendedCount < -1) {
            throw new SegyFormatException(name, "invalid number of extended textual headers " + extendedCount + " (binary header byte 3505)");
        }
        int extraHeaders = revision >= 2 ? Bytes.i16(head, 3506, bigEndian) : 0;
        if (extraHeaders < 0) {
            throw new SegyFormatException(name, "invalid number of extra trace headers " + extraHeaders + " (binary header byte 3507)");
        }

        List<String> extended = readExtendedText(in, name, extendedCount);
        long firstTrace = HEAD_BYTES + (long) TEXT_BYTES * extended.size();
        long declaredFirst = revision >= 2 ? Bytes.i64(head, 3520, bigEndian) : 0;
        if (declaredFirst != 0) {
            if (declaredFirst < HEAD_BYTES || declaredFirst > size) {
                throw new SegyFormatException(name, "first trace offset " + Long.toUnsignedString(declaredFirst)
                        + " (binary header byte 3521) lies outside the file of " + size + " bytes");
            }
            firstTrace = declaredFirst;
        }

        long traceSizeLong = 240L * (1 + extraHeaders) + (long) ns * format.bytesPerSample();
        if (traceSizeLong > Integer.MAX_VALUE / 2) {
            throw new SegyFormatException(name, "trace size " + traceSizeLong + " bytes is implausible (ns " + ns + ")");
        }
        int traceSize = (int) traceSizeLong;
        long dataBytes = size - firstTrace;
        boolean fixedFlag = Bytes.i16(head, 3502, bigEndian) != 0;
        if (dataBytes < 0 || dataBytes % traceSize != 0) {
            long whole = Math.max(0, dataBytes) / traceSize;
            throw new SegyFormatException(name, "file size " + size + " does not hold whole traces: expected "
                    + (firstTrace + (whole + 1) * traceSize) + " bytes for " + (whole + 1) + " traces (or "
                    + (firstTrace + whole * traceSize) + " for " + whole + "), actual " + size + "; first trace at " + firstTrace
                    + ", " + traceSize + " bytes per trace = " + (240 * (1 + extraHeaders)) + " header + " + ns + " samples x "
                    + format.bytesPerSample() + " bytes; the file is truncated"
                    + (fixedFlag ? "" : " or its traces differ in length, which this reader does not support"));
        }
        long traceCount = dataBytes / traceSize;
        if (traceCount == 0) {
            throw new SegyFormatException(name, "contains no traces (file size " + size + " = first trace offset)");
        }

        Map<String, Number> binary = new LinkedHashMap<>();
        for (BinaryHeaderField f : BinaryHeaderField.values()) {
            binary.put(f.name(), f.read(head, bigEndian));
        }
        boolean ascii = head[0] == 'C';
        String text = decodeText(head, 0, ascii);
        return new SegyLayout(name, size, bigEndian, formatCode, format, ns, Bytes.i16(head, 3216, bigEndian), traceCount,
                firstTrace, traceSize, extraHeaders, major, minor, fixedFlag, text, ascii ? "ASCII" : "EBCDIC", extended, binary);
    }

    /**
     * Big-endian unless the byte-order constant (3297) says little, or the format code is valid only
     * byte-swapped.
     */
    private static boolean detectBigEndian(String name, byte[] head) throws SegyFormatException {
        int constant = Bytes.i32(head, 3296, true);
        if (constant == 0x01020304) {
            return true;
        }
        if (constant == 0x04030201) {
            return false;
        }
        int be = Bytes.i16(head, 3224, true);
        int le = Bytes.i16(head, 3224, false);
        if (SampleFormat.fromCode(be) != null || be == 4) {
            return true;
        }
        if (SampleFormat.fromCode(le) != null || le == 4) {
            return false;
        }
        throw new SegyFormatException(name, "sample format code (binary header byte 3225) is " + be
                + " read big-endian and " + le + " read little-endian; neither is a SEG-Y format code");
    }

    private static List<String> readExtendedText(SeekableInput in, String name, int count) throws IOException {
        List<String> stanzas = new ArrayList<>();
        byte[] buf = new byte[TEXT_BYTES];
        long size = in.length();
        if (count >= 0) {
            if (HEAD_BYTES + (long) TEXT_BYTES * count > size) {
                throw new SegyFormatException(name, count + " extended textual headers (byte 3505) do not fit in " + size + " bytes");
            }
            for (int i = 0; i < count; i++) {
                in.readFully(HEAD_BYTES + (long) TEXT_BYTES * i, buf, 0, TEXT_BYTES);
                stanzas.add(decodeText(buf, 0, looksAscii(buf)));
            }
            return stanzas;
        }
        // -1: stanzas continue up to and including the one holding ((SEG: EndText)).
        for (long at = HEAD_BYTES; ; at += TEXT_BYTES) {
            if (at + TEXT_BYTES > size) {
                throw new SegyFormatException(name, "extended textual headers (count -1 at byte 3505) never end with ((SEG: EndText))");
            }
            in.readFully(at, buf, 0, TEXT_BYTES);
            String s = decodeText(buf, 0, looksAscii(buf));
            stanzas.add(s);
            if (s.replaceAll("\\s", "").toUpperCase(Locale.ROOT).contains(END_TEXT)) {
                return stanzas;
            }
        }
    }

    /**
     * Extended stanzas have no 'C' to go by: ASCII when they open with '(' or 'C', or when ASCII
     * blanks (0x20) outnumber EBCDIC blanks (0x40).
     */
    private static boolean looksAscii(byte[] b) {
        if (b[0] == '(' || b[0] == 'C') {
            return true;
        }
        int asciiBlank = 0;
        int ebcdicBlank = 0;
        for (byte x : b) {
            asciiBlank += x == 0x20 ? 1 : 0;
            ebcdicBlank += x == 0x40 ? 1 : 0;
        }
        return asciiBlank > ebcdicBlank;
    }

    /**
     * IBM037, except that EBCDIC 0x6A reads as '|' rather than the broken bar: segyio and the tools
     * built on it write '|' as 0x6A, and segyio reads 0x6A back as '|'.
     */
    static String decodeText(byte[] b, int offset, boolean ascii) {
        if (ascii) {
            return new String(b, offset, TEXT_BYTES, StandardCharsets.ISO_8859_1);
        }
        return new String(b, offset, TEXT_BYTES, EBCDIC).replace('\u00a6', '|');
    }

    /**
     * Reads traces {@code [first, first + count)} into {@code block}: the block's header columns and
     * samples, decoded from the file's bytes in one pass.
     */
    public void read(long first, int count, TraceBlock block) throws IOException {
        int ns = layout.samplesPerTrace();
        int traceSize = layout.traceSize();
        int headerBytes = layout.traceHeaderBytes();
        boolean be = layout.bigEndian();
        SampleFormat format = layout.sampleFormat();
        float[] samples = block.samples();
        byte[] raw = rawBytes(readHeaders(first, count, block), block);
        for (int t = 0; t < count; t++) {
            format.decode(raw, t * traceSize + headerBytes, be, samples, t * ns, ns);
        }
        block.filled(first, count);
    }

    /**
     * Like {@link #read}, but the samples go to {@code dst} as float32 bits, trace after trace, from
     * byte {@code dstOffset} on (absolute: the buffer's position does not matter, and its byte
     * order is the output's: little-endian for Zarr's {@code <f4}), instead of to
     * {@code block.samples()}, which is left undefined. IBM and IEEE floats go from the file's bytes
     * (a local file's view) to {@code dst} in bulk copies of a few KB, with no loop over bytes.
     */
    public void readEncoded(long first, int count, TraceBlock block, ByteBuffer dst, int dstOffset) throws IOException {
        int ns = layout.samplesPerTrace();
        if (dstOffset < 0 || dstOffset % 4 != 0 || (long) dstOffset + 4L * ns * count > dst.capacity()) {
            throw new IllegalArgumentException("destination of " + dst.capacity() + " bytes cannot take " + count
                    + " traces of " + ns + " float32 samples at offset " + dstOffset);
        }
        int traceSize = layout.traceSize();
        int headerBytes = layout.traceHeaderBytes();
        SampleFormat format = layout.sampleFormat();
        IntBuffer out = dst.duplicate().clear().position(dstOffset).slice().order(dst.order()).asIntBuffer();
        ByteBuffer traces = readHeaders(first, count, block);
        if (format.wordToWord()) {
            // Whole traces of 4-byte samples: every trace and its samples start on a word.
            IntBuffer words = traces.order(ByteOrder.nativeOrder()).asIntBuffer();
            boolean swap = layout.bigEndian() != (ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
            for (int t = 0; t < count; t++) {
                format.decodeWords(words, swap, (t * traceSize + headerBytes) / 4, out, t * ns, ns);
            }
        } else {
            byte[] raw = rawBytes(traces, block);
            float[] scratch = block.samples();
            FloatBuffer floats = dst.duplicate().clear().position(dstOffset).slice().order(dst.order()).asFloatBuffer();
            for (int t = 0; t < count; t++) {
                format.decode(raw, t * traceSize + headerBytes, layout.bigEndian(), scratch, 0, ns);
                floats.put(t * ns, scratch, 0, ns);
            }
        }
        block.filled(first, count);
    }

    /**
     * Sizes {@code block} for reads of up to {@code traces} traces, so that reading into it never
     * allocates (a first allocation in the middle of a hot loop has the JIT recompile it).
     */
    public void reserve(TraceBlock block, int traces) {
        block.ensureCapacity(traces);
        int bytes = Math.multiplyExact(traces, layout.traceSize());
        if (block.raw.length < bytes) {
            block.raw = new byte[bytes];
        }
    }

    /**
     * The traces' bytes (a view valid until the next read) with the block's header columns decoded:
     * a local file's view, of which only the headers are copied (for decoding), or else one
     * positioned read into the block's buffer.
     */
    private ByteBuffer readHeaders(long first, int count, TraceBlock block) throws IOException {
        checkRange(first, count);
        if (block.samplesPerTrace() != layout.samplesPerTrace()) {
            throw new IllegalArgumentException("block holds " + block.samplesPerTrace() + " samples per trace, the file has "
                    + layout.samplesPerTrace());
        }
        reserve(block, count);
        int traceSize = layout.traceSize();
        int headerBytes = layout.traceHeaderBytes();
        int bytes = count * traceSize;
        byte[] raw = block.raw;
        ByteBuffer traces = input.view(layout.traceOffset(first), bytes);
        if (traces != null) {
            for (int t = 0, at = 0; t < count; t++, at += traceSize) {
                traces.get(at, raw, at, headerBytes);
            }
        } else {
            input.readFully(layout.traceOffset(first), raw, 0, bytes);
            traces = ByteBuffer.wrap(raw, 0, bytes).slice();
        }

        boolean be = layout.bigEndian();
        List<HeaderField> fields = block.fields();
        int[][] columns = block.columns();
        for (int c = 0; c < columns.length; c++) {
            HeaderField f = fields.get(c);
            int[] col = columns[c];
            for (int t = 0, at = 0; t < count; t++, at += traceSize) {
                col[t] = f.read(raw, at, be);
            }
        }
        return traces;
    }

    /** The block's buffer holding all of {@code traces}: copied in where they are a view. */
    private static byte[] rawBytes(ByteBuffer traces, TraceBlock block) {
        if (!traces.hasArray()) {
            traces.get(0, block.raw, 0, traces.capacity());
        }
        return block.raw;
    }

    /**
     * Reads only {@code field} of traces {@code [first, first + count)} into {@code out[outOffset..]}:
     * one read spanning them when that is small, else one small read per trace.
     */
    public void readKeys(long first, int count, HeaderField field, long[] out, int outOffset) throws IOException {
        checkRange(first, count);
        if (count == 0) {
            return;
        }
        int traceSize = layout.traceSize();
        boolean be = layout.bigEndian();
        // The span runs from the key of the first trace to the end of the key of the last one.
        long span = (long) (count - 1) * traceSize + field.width();
        long start = layout.traceOffset(first) + field.position() - 1;
        if (span <= MAX_KEY_SPAN) {
            int len = (int) span;
            if (keyBuffer.length < len + 240) {
                keyBuffer = new byte[len + 240];
            }
            // Read so that trace t's header would start at t * traceSize in the buffer.
            int base = field.position() - 1;
            input.readFully(start, keyBuffer, base, len);
            for (int t = 0; t < count; t++) {
                out[outOffset + t] = field.read(keyBuffer, t * traceSize, be);
            }
        } else {
            byte[] one = new byte[240];
            for (int t = 0; t < count; t++) {
                input.readFully(start + (long) t * traceSize, one, field.position() - 1, field.width());
                out[outOffset + t] = field.read(one, 0, be);
            }
        }
    }

    private void checkRange(long first, int count) {
        if (first < 0 || count < 0 || first + count > layout.traceCount()) {
            throw new IndexOutOfBoundsException(input.name() + ": traces [" + first + ", " + (first + count) + ") outside [0, "
                    + layout.traceCount() + ")");
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
