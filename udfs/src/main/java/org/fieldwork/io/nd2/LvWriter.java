package org.fieldwork.io.nd2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Encodes an {@link Nd2Variant} tree as ND2 version 3 "LV" metadata, the inverse of {@link LvReader}.
 * Like NIS-Elements, each level ends with the offsets of its items from the level's first byte,
 * listed in the order of the item names.
 */
public final class LvWriter {
    private byte[] buf = new byte[4096];
    private int size;

    private LvWriter() {
    }

    /** The items of {@code root} (an unnamed level), one after another. */
    public static byte[] write(Nd2Variant root) {
        LvWriter w = new LvWriter();
        for (Nd2Variant item : root.children()) {
            w.entry(item);
        }
        return Arrays.copyOf(w.buf, w.size);
    }

    private void entry(Nd2Variant v) {
        int start = size;
        put(v.kind().lvCode);
        if (v.name().isEmpty()) {
            put(0);   // list items: no name, not even a terminator
        } else {
            byte[] name = v.name().getBytes(StandardCharsets.UTF_16LE);
            int units = name.length / 2 + 1;
            if (units > 255) {
                throw new IllegalArgumentException("LV names hold at most 254 characters: " + v.name());
            }
            put(units);
            bytes(name);
            put(0);
            put(0);
        }
        Object value = v.value();
        switch (v.kind()) {
            case BOOL -> put(((Boolean) value) ? 1 : 0);
            case INT32, UINT32 -> le(4, (Long) value);
            case INT64, UINT64, POINTER -> le(8, (Long) value);
            case DOUBLE -> le(8, Double.doubleToRawLongBits((Double) value));
            case STRING -> {
                bytes(((String) value).getBytes(StandardCharsets.UTF_16LE));
                put(0);
                put(0);
            }
            case BYTES -> {
                byte[] bytes = (byte[]) value;
                le(8, bytes.length);
                bytes(bytes);
            }
            case LEVEL -> level(v, start);
            default -> throw new IllegalStateException("unexpected kind " + v.kind());
        }
    }

    private void level(Nd2Variant v, int start) {
        List<Nd2Variant> items = v.children();
        le(4, items.size());
        int lengthAt = size;
        le(8, 0);
        List<long[]> offsets = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Nd2Variant item : items) {
            offsets.add(new long[] {size - start, names.size()});
            names.add(item.name());
            entry(item);
        }
        long length = size - start;
        offsets.sort(Comparator.comparing((long[] o) -> names.get((int) o[1])));
        for (long[] o : offsets) {
            le(8, o[0]);
        }
        patch(lengthAt, length);
    }

    private void put(int v) {
        if (size == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[size++] = (byte) v;
    }

    private void bytes(byte[] b) {
        if (size + b.length > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + b.length));
        }
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    private void le(int bytes, long v) {
        for (int i = 0; i < bytes; i++) {
            put((int) (v >>> (8 * i)));
        }
    }

    /** Writes an 8-byte little-endian value over bytes already written. */
    private void patch(int at, long v) {
        for (int i = 0; i < 8; i++) {
            buf[at + i] = (byte) (v >>> (8 * i));
        }
    }
}
