package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.fieldwork.io.SeekableInput;

/**
 * The box index of a legacy (version 1) ND2 file: a JPEG 2000 box sequence that NIS-Elements
 * indexes with a box map at its end, so one read at open locates every box. The file ends with the
 * 32-byte signature {@code LABORATORY IMAGING ND BOX MAP 00} and a little-endian u64: the distance
 * from the end of the file back to the map. The map is a big-endian u32 entry count, then 16 bytes
 * per box: its JP2 type ({@code jp2c}, {@code xml }...), a four-letter tag that says what it holds
 * ({@code LUNK} codestreams, {@code VIMD} frame metadata...) and its offset as a little-endian u64.
 * Each box is {@code u32 length (big-endian, header included), type}, with length 1 meaning a u64
 * length follows; a box extends at most to the next box the map lists, which bounds each read.
 */
final class Nd2BoxIndex {
    static final String SIGNATURE = "LABORATORY IMAGING ND BOX MAP 00";
    static final int TRAILER = 40;
    static final int ENTRY = 16;
    /** Box spans read in one go when gathering several small boxes. */
    private static final long SPAN_LIMIT = 8L << 20;

    /**
     * One box of the map.
     *
     * @param extent bytes from its offset to the next box in the file (or to the map): the most the box
     *               can span
     */
    record Box(String type, String tag, long offset, long extent) {
        @Override
        public String toString() {
            return "box '" + type.trim() + "'" + (tag.isBlank() ? "" : " (" + tag.trim() + ")") + " at offset "
                    + offset;
        }
    }

    private final String file;
    private final long fileLength;
    private final List<Box> boxes;

    private Nd2BoxIndex(String file, long fileLength, List<Box> boxes) {
        this.file = file;
        this.fileLength = fileLength;
        this.boxes = boxes;
    }

    /** Reads the trailer and the box map: two reads, no box is touched. */
    static Nd2BoxIndex read(SeekableInput in) throws IOException {
        String file = in.name();
        long length = in.length();
        if (length < TRAILER + 4) {
            throw new Nd2FormatException(file, "truncated: " + length + " bytes is too short for a legacy ND2 file");
        }
        byte[] tail = new byte[TRAILER];
        in.readFully(length - TRAILER, tail, 0, TRAILER);
        if (!SIGNATURE.equals(new String(tail, 0, 32, StandardCharsets.ISO_8859_1))) {
            throw new Nd2FormatException(file, "truncated or unfinished: the file starts like JPEG 2000 but does"
                    + " not end with the legacy ND2 box map signature '" + SIGNATURE + "' (a legacy ND2 file that"
                    + " was cut short or never finished, or a plain JPEG 2000 image)");
        }
        long distance = ByteBuffer.wrap(tail, 32, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (distance < TRAILER + 4 || distance > length) {
            throw new Nd2FormatException(file, "corrupt box map: the trailer puts the map " + distance
                    + " bytes before the end of a " + length + "-byte file");
        }
        long mapOffset = length - distance;
        long mapBytes = distance - TRAILER;
        if (mapBytes > Integer.MAX_VALUE) {
            throw new Nd2FormatException(file, "corrupt box map: " + mapBytes + " bytes at offset " + mapOffset);
        }
        byte[] map = new byte[(int) mapBytes];
        in.readFully(mapOffset, map, 0, map.length);
        ByteBuffer b = ByteBuffer.wrap(map);
        long count = b.getInt(0) & 0xffffffffL;
        if (4 + count * ENTRY > map.length) {
            throw new Nd2FormatException(file, "corrupt box map at offset " + mapOffset + ": it lists " + count
                    + " boxes but holds room for " + (map.length - 4) / ENTRY);
        }
        List<Box> entries = new ArrayList<>((int) count);
        for (int i = 0; i < count; i++) {
            int p = 4 + i * ENTRY;
            String type = new String(map, p, 4, StandardCharsets.ISO_8859_1);
            String tag = new String(map, p + 4, 4, StandardCharsets.ISO_8859_1).replace('\0', ' ');
            long offset = ByteBuffer.wrap(map, p + 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (offset < 0 || offset + 8 > mapOffset) {
                throw new Nd2FormatException(file, "corrupt box map: entry " + i + " ('" + type.trim()
                        + "') points at offset " + offset + ", outside the boxes (they end at the map, offset "
                        + mapOffset + ")");
            }
            entries.add(new Box(type, tag, offset, 0));
        }
        return new Nd2BoxIndex(file, length, withExtents(entries, mapOffset));
    }

    /** The same boxes, each with the room up to the next box (in file order) or to the map. */
    private static List<Box> withExtents(List<Box> entries, long mapOffset) {
        long[] starts = entries.stream().mapToLong(Box::offset).sorted().toArray();
        List<Box> out = new ArrayList<>(entries.size());
        for (Box e : entries) {
            int i = Arrays.binarySearch(starts, e.offset());
            while (i + 1 < starts.length && starts[i + 1] == e.offset()) {
                i++;
            }
            long end = i + 1 < starts.length ? starts[i + 1] : mapOffset;
            out.add(new Box(e.type(), e.tag(), e.offset(), end - e.offset()));
        }
        return Collections.unmodifiableList(out);
    }

    List<Box> boxes() {
        return boxes;
    }

    /** Boxes of a JP2 type ("jp2c", "jp2h"...), in map order. */
    List<Box> ofType(String type) {
        return boxes.stream().filter(b -> b.type().equals(type)).toList();
    }

    /** Boxes with a tag ("VIMD", "TINF"...), in map order. */
    List<Box> tagged(String tag) {
        return boxes.stream().filter(b -> b.tag().equals(tag)).toList();
    }

    /** The first box with one of the tags, or null. */
    Box firstTagged(String... tags) {
        for (String t : tags) {
            for (Box b : boxes) {
                if (b.tag().equals(t)) {
                    return b;
                }
            }
        }
        return null;
    }

    long fileLength() {
        return fileLength;
    }

    /** A box's contents (its payload, without the header), checking the header against the map. */
    byte[] payload(SeekableInput in, Box box) throws IOException {
        if (box.extent() > Integer.MAX_VALUE) {
            throw new Nd2FormatException(file, box + " spans " + box.extent() + " bytes, too many to read");
        }
        byte[] bytes = new byte[(int) box.extent()];
        in.readFully(box.offset(), bytes, 0, bytes.length);
        return payload(bytes, 0, box);
    }

    /**
     * The payloads of several boxes, read as one span where they lie close together (the metadata
     * boxes of a file usually do), else one by one.
     */
    List<byte[]> payloads(SeekableInput in, List<Box> wanted) throws IOException {
        if (wanted.isEmpty()) {
            return List.of();
        }
        long start = wanted.stream().mapToLong(Box::offset).min().getAsLong();
        long end = wanted.stream().mapToLong(b -> b.offset() + b.extent()).max().getAsLong();
        List<byte[]> out = new ArrayList<>(wanted.size());
        if (end - start > SPAN_LIMIT) {
            for (Box b : wanted) {
                out.add(payload(in, b));
            }
            return out;
        }
        byte[] span = new byte[(int) (end - start)];
        in.readFully(start, span, 0, span.length);
        for (Box b : wanted) {
            out.add(payload(span, (int) (b.offset() - start), b));
        }
        return out;
    }

    /** The payload of {@code box}, whose bytes start at {@code at} in {@code bytes} and run to its extent. */
    private byte[] payload(byte[] bytes, int at, Box box) throws Nd2FormatException {
        long room = box.extent();
        if (room < 8) {
            throw new Nd2FormatException(file, box + " has only " + room + " bytes before the next box");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes, at, (int) room).order(ByteOrder.BIG_ENDIAN);
        long length = b.getInt(at) & 0xffffffffL;
        String type = new String(bytes, at + 4, 4, StandardCharsets.ISO_8859_1);
        if (!type.equals(box.type())) {
            throw new Nd2FormatException(file, "corrupt " + box + ": the box map says '" + box.type().trim()
                    + "' but the box there is '" + printable(type) + "'");
        }
        int header = 8;
        if (length == 1) {
            if (room < 16) {
                throw new Nd2FormatException(file, box + " has only " + room + " bytes before the next box");
            }
            length = b.getLong(at + 8);
            header = 16;
        } else if (length == 0) {
            length = room;
        }
        if (length < header) {
            throw new Nd2FormatException(file, "corrupt " + box + ": it claims " + length
                    + " bytes, less than its header");
        }
        if (length > room) {
            String where = box.offset() + length > fileLength ? "past the end of the file (truncated)"
                    : "into the next box, " + room + " bytes on";
            throw new Nd2FormatException(file, "corrupt " + box + ": its " + length + " bytes run " + where);
        }
        return Arrays.copyOfRange(bytes, at + header, at + (int) length);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
