package org.fieldwork.io.nd2;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import org.fieldwork.io.SeekableInput;

/**
 * The index of an ND2 file: the file's last 40 bytes are the map signature and the offset of the map
 * chunk, whose data lists every chunk as name (ending in '!'), u64 offset and u64 data size, up to
 * the signature again. Every chunk starts with a 16-byte header (u32 magic 0x0ABECEDA, u32 name
 * length, u64 data length), then its NUL-padded name, then its data. Chunks are checked when used:
 * the magic, the name the map gave, the size, and that the chunk ends before the next one begins.
 */
final class Nd2ChunkMap {
    static final int MAGIC = 0x0ABECEDA;
    static final int HEADER = 16;
    static final int TRAILER = 40;
    static final String MAP_SIGNATURE = "ND2 CHUNK MAP SIGNATURE 0000001!";
    static final String MAP_CHUNK = "ND2 FILEMAP SIGNATURE NAME 0001!";
    static final String FILE_SIGNATURE = "ND2 FILE SIGNATURE CHUNK NAME01!";
    private static final int MAX_MAP_BYTES = 256 << 20;
    private static final int MAX_NAME = 1024;
    /** Bytes read beyond a chunk's data on the first try, enough for the names NIS-Elements writes. */
    private static final int NAME_ALLOWANCE = 8192;

    /** One chunk as the map lists it: where its header starts and how many data bytes it holds. */
    record Entry(String name, long offset, long size) {
    }

    /** A chunk read into memory: its data lies at [dataStart, dataStart + dataLength) of a little-endian buffer. */
    record ChunkData(ByteBuffer buffer, int dataStart, int dataLength) {
    }

    private final String file;
    private final long fileLength;
    private final long mapOffset;
    private final Map<String, Entry> entries;
    /** Every chunk start (and the file's end), sorted: a chunk ends before the next start. */
    private final long[] starts;

    private Nd2ChunkMap(String file, long fileLength, long mapOffset, Map<String, Entry> entries) {
        this.file = file;
        this.fileLength = fileLength;
        this.mapOffset = mapOffset;
        this.entries = Collections.unmodifiableMap(entries);
        long[] s = new long[entries.size() + 2];
        int i = 0;
        for (Entry e : entries.values()) {
            s[i++] = e.offset();
        }
        s[i++] = mapOffset;
        s[i] = fileLength;
        Arrays.sort(s);
        starts = s;
    }

    /** Reads and checks the trailer, the map chunk and its entry list. */
    static Nd2ChunkMap read(SeekableInput in) throws IOException {
        String file = in.name();
        long length = in.length();
        if (length < TRAILER + HEADER) {
            throw new Nd2FormatException(file, "truncated: " + length + " bytes is too short for an ND2 file");
        }
        byte[] trailer = new byte[TRAILER];
        in.readFully(length - TRAILER, trailer, 0, TRAILER);
        if (!MAP_SIGNATURE.equals(new String(trailer, 0, 32, StandardCharsets.ISO_8859_1))) {
            throw new Nd2FormatException(file, "truncated or unfinished: the file does not end with the chunk map signature '"
                    + MAP_SIGNATURE + "' (file " + length + " bytes)");
        }
        long mapOffset = le(trailer).getLong(32);
        if (mapOffset < 0 || mapOffset + HEADER > length - TRAILER) {
            throw new Nd2FormatException(file, "truncated: chunk map points past the end of the file (offset "
                    + Long.toUnsignedString(mapOffset) + ", file " + length + " bytes)");
        }
        byte[] header = new byte[HEADER];
        in.readFully(mapOffset, header, 0, HEADER);
        ByteBuffer h = le(header);
        if (h.getInt(0) != MAGIC) {
            throw new Nd2FormatException(file, "corrupt chunk map: no chunk at offset " + mapOffset
                    + " where the trailer puts the map (found " + hex(header, 4) + ")");
        }
        long nameLen = h.getInt(4) & 0xffffffffL;
        long dataLen = h.getLong(8);
        if (nameLen < MAP_CHUNK.length() || nameLen > 1 << 16) {
            throw new Nd2FormatException(file, "corrupt chunk map: the map chunk at offset " + mapOffset
                    + " has a name of " + nameLen + " bytes");
        }
        if (dataLen < 0 || mapOffset + HEADER + nameLen + dataLen > length) {
            throw new Nd2FormatException(file, "truncated: the chunk map (offset " + mapOffset + ", "
                    + Long.toUnsignedString(dataLen) + " bytes) runs past the end of the file (" + length + " bytes)");
        }
        if (dataLen > MAX_MAP_BYTES) {
            throw new Nd2FormatException(file, "corrupt chunk map: " + dataLen + " bytes of entries (at most "
                    + MAX_MAP_BYTES + " expected)");
        }
        byte[] name = new byte[MAP_CHUNK.length()];
        in.readFully(mapOffset + HEADER, name, 0, name.length);
        String found = new String(name, StandardCharsets.ISO_8859_1);
        if (!MAP_CHUNK.equals(found)) {
            throw new Nd2FormatException(file, "corrupt chunk map: the chunk at offset " + mapOffset + " is '"
                    + chunkName(found) + "', not '" + MAP_CHUNK + "'");
        }
        byte[] data = new byte[(int) dataLen];
        in.readFully(mapOffset + HEADER + nameLen, data, 0, data.length);
        return new Nd2ChunkMap(file, length, mapOffset, parseEntries(file, data, length));
    }

    private static Map<String, Entry> parseEntries(String file, byte[] data, long fileLength) throws Nd2FormatException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        ByteBuffer b = le(data);
        int p = 0;
        while (true) {
            if (p >= data.length) {
                throw new Nd2FormatException(file, "corrupt chunk map: the entry list ends without the signature '"
                        + MAP_SIGNATURE + "' (after " + entries.size() + " entries)");
            }
            int q = p;
            while (q < data.length && q - p < MAX_NAME && data[q] != '!') {
                int c = data[q] & 0xff;
                if (c < 0x20 || c > 0x7e) {
                    throw new Nd2FormatException(file, "corrupt chunk map: entry " + entries.size() + " at byte " + p
                            + " is not a chunk name (byte 0x" + Integer.toHexString(c) + " at byte " + q + ")");
                }
                q++;
            }
            if (q >= data.length || data[q] != '!') {
                throw new Nd2FormatException(file, "corrupt chunk map: entry " + entries.size() + " at byte " + p
                        + " has no name ending in '!'");
            }
            String name = new String(data, p, q + 1 - p, StandardCharsets.ISO_8859_1);
            p = q + 1;
            if (name.equals(MAP_SIGNATURE)) {
                return entries;
            }
            if (p + 16 > data.length) {
                throw new Nd2FormatException(file, "corrupt chunk map: entry " + name + " is cut short");
            }
            long offset = b.getLong(p);
            long size = b.getLong(p + 8);
            p += 16;
            if (offset < 0 || size < 0) {
                throw new Nd2FormatException(file, "corrupt chunk map: entry " + name + " has offset "
                        + Long.toUnsignedString(offset) + " and size " + Long.toUnsignedString(size)
                        + " (file " + fileLength + " bytes)");
            }
            entries.put(name, new Entry(name, offset, size));
        }
    }

    Entry entry(String name) {
        return entries.get(name);
    }

    Collection<Entry> entries() {
        return entries.values();
    }

    long mapOffset() {
        return mapOffset;
    }

    long fileLength() {
        return fileLength;
    }

    /** Where the room of a chunk starting at {@code offset} ends: the next chunk's start, or the file's end. */
    long roomEnd(long offset) {
        int i = Arrays.binarySearch(starts, offset);
        int next = i >= 0 ? i + 1 : -i - 1;
        while (next < starts.length && starts[next] <= offset) {
            next++;
        }
        return next < starts.length ? starts[next] : fileLength;
    }

    /**
     * Reads one chunk whole (header, name and data, in one read where the map's neighbours allow)
     * and checks it. A local input hands its view; others read into {@code scratch}.
     */
    ChunkData read(SeekableInput in, Entry e, IntFunction<byte[]> scratch) throws IOException {
        if (e.offset() >= fileLength) {
            throw new Nd2FormatException(file, "truncated: chunk " + e.name() + " is at offset " + e.offset()
                    + ", past the end of the file (" + fileLength + " bytes)");
        }
        long room = roomEnd(e.offset()) - e.offset();
        long span = e.size() < room - HEADER - NAME_ALLOWANCE ? HEADER + NAME_ALLOWANCE + e.size() : room;
        if (span < HEADER) {
            throw new Nd2FormatException(file, "chunk " + e.name() + " at offset " + e.offset() + " has only " + room
                    + " bytes before the next chunk, less than its header");
        }
        if (span > Integer.MAX_VALUE - 64) {
            throw new Nd2FormatException(file, "chunk " + e.name() + " at offset " + e.offset() + " spans " + span
                    + " bytes, too many to read at once");
        }
        ByteBuffer buf = bytes(in, e.offset(), span, scratch, e);
        if (buf.getInt(0) != MAGIC) {
            byte[] found = new byte[4];
            buf.get(0, found);
            throw new Nd2FormatException(file, "corrupt chunk " + e.name() + ": no chunk magic at offset " + e.offset()
                    + " where the chunk map puts it (found " + hex(found, 4) + ")");
        }
        long nameLen = buf.getInt(4) & 0xffffffffL;
        long dataLen = buf.getLong(8);
        if (dataLen != e.size()) {
            throw new Nd2FormatException(file, "corrupt chunk " + e.name() + " at offset " + e.offset()
                    + ": its header says " + Long.toUnsignedString(dataLen) + " data bytes, the chunk map says " + e.size());
        }
        long total = HEADER + nameLen + dataLen;
        if (total > room) {
            long end = e.offset() + room;
            String where = end == fileLength ? "the file ends at " + fileLength + " bytes (truncated)"
                    : "the next chunk starts at offset " + end;
            throw new Nd2FormatException(file, "chunk " + e.name() + " is cut: it needs " + total + " bytes from offset "
                    + e.offset() + " but " + where);
        }
        if (total > Integer.MAX_VALUE - 64) {
            throw new Nd2FormatException(file, "chunk " + e.name() + " of " + total + " bytes is too large to read");
        }
        if (total > span) {
            buf = bytes(in, e.offset(), total, scratch, e);
        }
        checkName(buf, (int) nameLen, e);
        return new ChunkData(buf, (int) (HEADER + nameLen), (int) dataLen);
    }

    /** The data of a chunk as a new array (for metadata chunks). */
    byte[] readData(SeekableInput in, Entry e) throws IOException {
        ChunkData c = read(in, e, byte[]::new);
        byte[] out = new byte[c.dataLength()];
        c.buffer().get(c.dataStart(), out);
        return out;
    }

    private ByteBuffer bytes(SeekableInput in, long offset, long len, IntFunction<byte[]> scratch, Entry e) throws IOException {
        ByteBuffer v = in.view(offset, (int) len);
        if (v != null) {
            return v.order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] b = scratch.apply((int) len);
        try {
            in.readFully(offset, b, 0, (int) len);
        } catch (EOFException ex) {
            throw new Nd2FormatException(file, "truncated: chunk " + e.name() + " (offset " + offset + ", " + len
                    + " bytes) runs past the end of the file (" + fileLength + " bytes)", ex);
        }
        return ByteBuffer.wrap(b, 0, (int) len).order(ByteOrder.LITTLE_ENDIAN);
    }

    private void checkName(ByteBuffer buf, int nameLen, Entry e) throws Nd2FormatException {
        String want = e.name();
        boolean same = nameLen >= want.length();
        for (int i = 0; same && i < want.length(); i++) {
            same = buf.get(HEADER + i) == (byte) want.charAt(i);
        }
        if (same && nameLen > want.length()) {
            same = buf.get(HEADER + want.length()) == 0;
        }
        if (!same) {
            int n = Math.min(nameLen, 64);
            byte[] got = new byte[n];
            buf.get(HEADER, got);
            throw new Nd2FormatException(file, "corrupt chunk map: entry " + want + " points at offset " + e.offset()
                    + ", where the chunk is named '" + chunkName(new String(got, StandardCharsets.ISO_8859_1)) + "'");
        }
    }

    /** The map chunk's data for the given entries: each entry, then the signature and the map's own offset. */
    static byte[] encode(List<Entry> entries, long mapOffset) {
        int size = MAP_SIGNATURE.length() + 8;
        for (Entry e : entries) {
            size += e.name().length() + 16;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            b.put(e.name().getBytes(StandardCharsets.ISO_8859_1));
            b.putLong(e.offset());
            b.putLong(e.size());
        }
        b.put(MAP_SIGNATURE.getBytes(StandardCharsets.ISO_8859_1));
        b.putLong(mapOffset);
        return b.array();
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String hex(byte[] b, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, b.length); i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02X", b[i] & 0xff));
        }
        return sb.toString();
    }

    /** A name field for messages: up to its '!' (or first NUL), other control bytes shown as '.'. */
    private static String chunkName(String field) {
        int bang = field.indexOf('!');
        String s = bang >= 0 ? field.substring(0, bang + 1) : field;
        int nul = s.indexOf('\0');
        s = nul >= 0 ? s.substring(0, nul) : s;
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return sb.toString();
    }
}
