package org.fieldwork.io.parquet;

/**
 * A dictionary-encoded column's row indices in Parquet's RLE / bit-packing hybrid: runs of eight or
 * more equal indices as one repeated value, everything between them bit-packed in groups of eight.
 * Ours rather than parquet-mr's encoder, which takes a call per value: this one scans the array and
 * packs eight values at a time (bench/parquet times the whole writer against parquet-mr's).
 */
final class HybridIndices {
    /** A repeat this long becomes a run of its own; shorter ones are packed with their neighbours. */
    private static final int MIN_RUN = 8;

    private byte[] out = new byte[64];
    private int length;

    /** Encodes {@code v[0, n)}, each below {@code 1 << bitWidth}; the bytes are {@link #bytes()}, {@link #length()} long. */
    void encode(int[] v, int n, int bitWidth) {
        length = 0;
        int pending = 0; // first index not yet written, the start of the values to bit-pack
        int i = 0;
        while (i < n) {
            int value = v[i];
            int end = i + 1;
            while (end < n && v[end] == value) {
                end++;
            }
            int run = end - i;
            if (run >= MIN_RUN) {
                // Packed groups hold eight values: the run lends the packed values what completes their last group.
                int lend = (8 - (i - pending) % 8) % 8;
                if (run - lend >= MIN_RUN) {
                    packed(v, pending, i + lend, bitWidth);
                    repeated(value, run - lend, bitWidth);
                    pending = end;
                }
            }
            i = end;
        }
        packed(v, pending, n, bitWidth);
    }

    /** {@code n} copies of one index: a single run. */
    void encodeRun(int index, int n, int bitWidth) {
        length = 0;
        repeated(index, n, bitWidth);
    }

    byte[] bytes() {
        return out;
    }

    int length() {
        return length;
    }

    /** {@code count} copies of {@code value}: the header (count << 1), then the value in whole bytes, little-endian. */
    private void repeated(int value, int count, int bitWidth) {
        varint((long) count << 1);
        int bytes = (bitWidth + 7) / 8;
        ensure(bytes);
        for (int b = 0; b < bytes; b++) {
            out[length++] = (byte) (value >>> (8 * b));
        }
    }

    /** {@code v[from, to)} in groups of eight (the last padded with zeros), each value's bits lowest first. */
    private void packed(int[] v, int from, int to, int bitWidth) {
        if (from >= to) {
            return;
        }
        int groups = (to - from + 7) / 8;
        varint(((long) groups << 1) | 1);
        ensure(groups * bitWidth);
        long bits = 0;
        int held = 0;
        for (int i = from, end = from + groups * 8; i < end; i++) {
            bits |= (long) (i < to ? v[i] : 0) << held;
            held += bitWidth;
            while (held >= 8) {
                out[length++] = (byte) bits;
                bits >>>= 8;
                held -= 8;
            }
        }
        // Eight values of any width end on a byte boundary, so nothing is left in bits.
    }

    private void varint(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            out[length++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out[length++] = (byte) value;
    }

    private void ensure(int more) {
        if (length + more > out.length) {
            out = java.util.Arrays.copyOf(out, Math.max(out.length * 2, length + more));
        }
    }
}
