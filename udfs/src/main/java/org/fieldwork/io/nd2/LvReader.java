package org.fieldwork.io.nd2;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes the binary "LV" metadata of ND2 version 3 into an {@link Nd2Variant} tree. Each entry is a
 * type byte, a name length (UTF-16 units with the terminator), the UTF-16LE name and the value; a level
 * (type 11) holds its item count, its length from the entry's first byte to the end of its items, the
 * items, then one 8-byte offset per item, which we skip. Type 76 ('L') wraps zlib-compressed LV data.
 */
public final class LvReader {
    private static final int COMPRESSED = 76;
    private static final int MAX_DEPTH = 64;

    private final byte[] b;
    private final ByteBuffer le;
    private final String file;
    private final String chunk;

    private LvReader(byte[] b, String file, String chunk) {
        this.b = b;
        this.le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        this.file = file;
        this.chunk = chunk;
    }

    /**
     * The items of {@code data} as one unnamed level.
     *
     * @param file  the file's name, for messages
     * @param chunk the chunk's name, for messages
     */
    public static Nd2Variant read(byte[] data, String file, String chunk) throws Nd2FormatException {
        return new LvReader(data, file, chunk).parse();
    }

    private Nd2Variant parse() throws Nd2FormatException {
        List<Nd2Variant> items = new ArrayList<>();
        items(0, b.length, items, 0);
        return Nd2Variant.level("", items);
    }

    /** Decodes entries from {@code pos} to {@code end} into {@code out}; returns where it stopped. */
    private int items(int pos, int end, List<Nd2Variant> out, int depth) throws Nd2FormatException {
        if (depth > MAX_DEPTH) {
            throw corrupt(pos, "levels nested deeper than " + MAX_DEPTH);
        }
        int p = pos;
        while (p < end) {
            int start = p;
            need(p, 2, end);
            int type = b[p] & 0xff;
            int nameUnits = b[p + 1] & 0xff;
            p += 2;
            if (type == COMPRESSED) {
                return compressed(p, end, out, depth);
            }
            need(p, nameUnits * 2, end);
            String name = nameUnits == 0 ? "" : new String(b, p, (nameUnits - 1) * 2, StandardCharsets.UTF_16LE);
            p += nameUnits * 2;
            switch (type) {
                case 1 -> {
                    need(p, 1, end);
                    out.add(Nd2Variant.bool(name, b[p] != 0));
                    p += 1;
                }
                case 2 -> {
                    need(p, 4, end);
                    out.add(Nd2Variant.i32(name, i32(p)));
                    p += 4;
                }
                case 3 -> {
                    need(p, 4, end);
                    out.add(Nd2Variant.u32(name, i32(p)));
                    p += 4;
                }
                case 4 -> {
                    need(p, 8, end);
                    out.add(Nd2Variant.i64(name, i64(p)));
                    p += 8;
                }
                case 5 -> {
                    need(p, 8, end);
                    out.add(Nd2Variant.u64(name, i64(p)));
                    p += 8;
                }
                case 6 -> {
                    need(p, 8, end);
                    out.add(Nd2Variant.f64(name, Double.longBitsToDouble(i64(p))));
                    p += 8;
                }
                case 7 -> {
                    need(p, 8, end);
                    out.add(Nd2Variant.pointer(name, i64(p)));
                    p += 8;
                }
                case 8 -> {
                    int q = p;
                    while (q + 1 < end && (b[q] != 0 || b[q + 1] != 0)) {
                        q += 2;
                    }
                    if (q + 1 >= end) {
                        throw corrupt(start, "string '" + name + "' has no terminator");
                    }
                    out.add(Nd2Variant.string(name, new String(b, p, q - p, StandardCharsets.UTF_16LE)));
                    p = q + 2;
                }
                case 9 -> {
                    need(p, 8, end);
                    long n = i64(p);
                    p += 8;
                    if (n < 0 || n > end - p) {
                        throw corrupt(start, "byte array '" + name + "' of " + Long.toUnsignedString(n)
                                + " bytes runs past its level");
                    }
                    byte[] v = new byte[(int) n];
                    System.arraycopy(b, p, v, 0, (int) n);
                    out.add(Nd2Variant.bytes(name, v));
                    p += (int) n;
                }
                case 11 -> {
                    need(p, 12, end);
                    long count = i32(p) & 0xffffffffL;
                    long length = i64(p + 4);
                    p += 12;
                    long itemsEnd = start + length;
                    if (length < p - start || itemsEnd > end || itemsEnd + count * 8 > end) {
                        throw corrupt(start, "level '" + name + "' (" + count + " items, " + length
                                + " bytes) runs past its parent (which ends at byte " + end + ")");
                    }
                    List<Nd2Variant> children = new ArrayList<>();
                    items(p, (int) itemsEnd, children, depth + 1);
                    out.add(Nd2Variant.level(name, children));
                    p = (int) (itemsEnd + count * 8);
                }
                default -> throw corrupt(start, "unknown value type " + type + " for '" + name + "'");
            }
        }
        return p;
    }

    /**
     * A compressed block: 10 bytes we do not need, then zlib data to the end of the enclosing
     * level, whose entries join this level. Some writers count the 10 bytes from the type byte; the
     * zlib header tells which.
     */
    private int compressed(int p, int end, List<Nd2Variant> out, int depth) throws Nd2FormatException {
        int z = p + 10;
        if (!(z + 1 < end && zlibHeader(z)) && p + 8 + 1 < end && zlibHeader(p + 8)) {
            z = p + 8;
        }
        if (z >= end) {
            throw corrupt(p - 2, "compressed block is empty");
        }
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(b, z, end - z);
            ByteBuffer grow = ByteBuffer.allocate(Math.max(1024, (end - z) * 4));
            byte[] tmp = new byte[64 << 10];
            while (!inflater.finished()) {
                int n = inflater.inflate(tmp);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw corrupt(p - 2, "compressed block ends before its zlib stream does");
                }
                if (grow.remaining() < n) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(grow.capacity() * 2, grow.position() + n));
                    grow.flip();
                    bigger.put(grow);
                    grow = bigger;
                }
                grow.put(tmp, 0, n);
            }
            byte[] inflated = new byte[grow.position()];
            grow.flip();
            grow.get(inflated);
            new LvReader(inflated, file, chunk + " (compressed block)").items(0, inflated.length, out, depth + 1);
            return end;
        } catch (DataFormatException e) {
            throw new Nd2FormatException(file, "corrupt metadata in chunk " + chunk + ": compressed block at byte "
                    + (p - 2) + " is not zlib data (" + e.getMessage() + ")", e);
        } finally {
            inflater.end();
        }
    }

    private boolean zlibHeader(int i) {
        int cmf = b[i] & 0xff;
        int flg = b[i + 1] & 0xff;
        return (cmf & 0x0f) == 8 && ((cmf << 8) | flg) % 31 == 0;
    }

    private void need(int p, int n, int end) throws Nd2FormatException {
        if (n < 0 || p + n > end) {
            throw corrupt(p, "an entry runs past the end of its level (byte " + end + ")");
        }
    }

    private int i32(int p) {
        return le.getInt(p);
    }

    private long i64(int p) {
        return le.getLong(p);
    }

    private Nd2FormatException corrupt(int at, String what) {
        return new Nd2FormatException(file, "corrupt metadata in chunk " + chunk + " at byte " + at + ": " + what);
    }
}
