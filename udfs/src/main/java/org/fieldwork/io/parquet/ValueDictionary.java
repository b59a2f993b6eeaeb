package org.fieldwork.io.parquet;

import java.util.Arrays;

/**
 * The distinct values of one column chunk, in order of first appearance, and each row's index into
 * them: what a dictionary-encoded Parquet column stores. Gives up (and the column is written PLAIN)
 * once the values are too many to pay: more than a quarter of the rows. Values within a small range
 * are looked up in a table indexed by value (SEG-Y header fields mostly are), others in a hash table;
 * both are kept and reused across columns, and only the slots a column used are cleared.
 */
final class ValueDictionary {
    /** Ranges up to this many values use the direct table. */
    private static final int DIRECT_RANGE = 1 << 16;

    /** The distinct values, {@link #size} of them. */
    long[] values = new long[16];
    int size;
    /** Each row's index into {@link #values} (not filled in for a one-value column). */
    int[] indices = new int[0];

    private final int[] direct = new int[DIRECT_RANGE];
    private long[] keys = new long[0];
    private int[] slots = new int[0];
    /** The hash slots taken, in order of the values: what clearing has to undo. */
    private int[] taken = new int[16];

    /** Builds the dictionary of a column whose values lie in [min, max]; false when it would not pay. */
    boolean build(long[] v, int n, long min, long max) {
        if (min == max) {
            return constant(min, n);
        }
        start(n);
        int limit = Math.max(1, n / 4);
        if (max - min >= 0 && max - min < DIRECT_RANGE) {
            try {
                for (int i = 0; i < n; i++) {
                    int at = (int) (v[i] - min);
                    int slot = direct[at];
                    if (slot == 0) {
                        if (size == limit) {
                            return false;
                        }
                        slot = add(v[i]);
                        direct[at] = slot;
                    }
                    indices[i] = slot - 1;
                }
                return true;
            } finally {
                for (int k = 0; k < size; k++) {
                    direct[(int) (values[k] - min)] = 0;
                }
            }
        }
        hashTable(limit);
        try {
            for (int i = 0; i < n; i++) {
                int slot = lookup(v[i], limit);
                if (slot < 0) {
                    return false;
                }
                indices[i] = slot;
            }
            return true;
        } finally {
            clearHash();
        }
    }

    /**
     * A column of one value (most SEG-Y header fields are all zero): one entry. Every index is 0 by
     * definition, so {@link #indices} is left as it is: a one-value column is written as a single run.
     */
    boolean constant(long value, int n) {
        start(n);
        add(value);
        return true;
    }

    /** Bits per index: at least one (a run of zeros for a one-value column). */
    int bitWidth() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
    }

    private void start(int n) {
        size = 0;
        if (indices.length < n) {
            indices = new int[n];
        }
    }

    /** Appends a new distinct value; its slot (index + 1). */
    private int add(long value) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size] = value;
        return ++size;
    }

    private void hashTable(int limit) {
        int capacity = Integer.highestOneBit(Math.max(16, limit * 2)) * 2;
        if (keys.length < capacity) {
            keys = new long[capacity];
            slots = new int[capacity];
        }
    }

    /** The value's index, adding it; -1 once more than {@code limit} values are distinct. */
    private int lookup(long value, int limit) {
        int mask = Integer.highestOneBit(Math.max(16, limit * 2)) * 2 - 1;
        int h = (int) (value ^ (value >>> 32)) * 0x9E3779B9;
        for (int p = h & mask; ; p = (p + 1) & mask) {
            if (slots[p] == 0) {
                if (size == limit) {
                    return -1;
                }
                keys[p] = value;
                slots[p] = add(value);
                if (taken.length < size) {
                    taken = Arrays.copyOf(taken, size * 2);
                }
                taken[size - 1] = p;
                return slots[p] - 1;
            }
            if (keys[p] == value) {
                return slots[p] - 1;
            }
        }
    }

    private void clearHash() {
        for (int k = 0; k < size; k++) {
            slots[taken[k]] = 0;
        }
    }
}
