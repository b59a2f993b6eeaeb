package org.fieldwork.seismic;

import java.io.Serializable;

/**
 * One integer field of a trace header: a standard {@link TraceField} or a user mapping such as
 * {@code 189:4}. Values are signed two's-complement, as segyio reads trace headers.
 *
 * @param name     the segyio name, or {@code BYTE:WIDTH} for a user mapping
 * @param position 1-based byte position within the 240-byte trace header
 * @param width    1, 2 or 4 bytes
 */
public record HeaderField(String name, int position, int width) implements Serializable {

    public HeaderField {
        if (width != 1 && width != 2 && width != 4) {
            throw new IllegalArgumentException("trace header field " + name + ": width must be 1, 2 or 4 bytes, not " + width);
        }
        if (position < 1 || position + width - 1 > 240) {
            throw new IllegalArgumentException("trace header field " + name + ": bytes " + position + ".."
                    + (position + width - 1) + " lie outside the 240-byte trace header");
        }
    }

    /** A user mapping {@code BYTE:WIDTH} (for example {@code 189:4}). */
    public static HeaderField mapping(int position, int width) {
        return new HeaderField(position + ":" + width, position, width);
    }

    /** Reads this field from a trace header that starts at {@code headerStart} in {@code buf}. */
    public int read(byte[] buf, int headerStart, boolean bigEndian) {
        int at = headerStart + position - 1;
        return switch (width) {
            case 1 -> buf[at];
            case 2 -> Bytes.i16(buf, at, bigEndian);
            default -> Bytes.i32(buf, at, bigEndian);
        };
    }
}
