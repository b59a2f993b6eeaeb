package org.fieldwork.io.parquet;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Row-group blocks ({@code int[]}, {@code long[]}, {@code double[]}) that closed table writers hand
 * on to the next ones in this JVM: a block is tens of MB, and a fresh one is memory the kernel
 * faults in and zeroes page by page, while a kept one is warm. A taken block holds whatever its last
 * writer left there; writers read back only what they wrote. At most {@link #KEPT_BYTES} wait here.
 */
final class RowGroupBlocks {
    static final long KEPT_BYTES = 128L << 20;
    /** Blocks shorter than this are cheap to make and not worth keeping. */
    static final int MIN_BYTES = 1 << 20;
    private static final ConcurrentLinkedDeque<Object> FREE = new ConcurrentLinkedDeque<>();
    private static final AtomicLong KEPT = new AtomicLong();

    private RowGroupBlocks() {
    }

    static int[] ints(int length) {
        int[] b = take(int[].class, length, 4);
        return b != null ? b : new int[length];
    }

    static long[] longs(int length) {
        long[] b = take(long[].class, length, 8);
        return b != null ? b : new long[length];
    }

    static double[] doubles(int length) {
        double[] b = take(double[].class, length, 8);
        return b != null ? b : new double[length];
    }

    /** Keeps {@code block} for a later writer, if it is worth keeping and there is room. */
    static void give(Object block) {
        long bytes = bytes(block);
        if (bytes < MIN_BYTES) {
            return;
        }
        if (KEPT.addAndGet(bytes) <= KEPT_BYTES) {
            FREE.push(block);
        } else {
            KEPT.addAndGet(-bytes);
        }
    }

    /** A kept block of the type holding {@code length} values, no more than twice that (null if none). */
    private static <T> T take(Class<T> type, int length, int valueBytes) {
        if ((long) length * valueBytes < MIN_BYTES) {
            return null;
        }
        for (Iterator<Object> it = FREE.iterator(); it.hasNext(); ) {
            Object b = it.next();
            if (type.isInstance(b)) {
                int n = java.lang.reflect.Array.getLength(b);
                if (n >= length && n / 2 <= length && FREE.removeFirstOccurrence(b)) {
                    KEPT.addAndGet(-bytes(b));
                    return type.cast(b);
                }
            }
        }
        return null;
    }

    /** Bytes kept now. */
    static long kept() {
        return KEPT.get();
    }

    /** Lets every kept block go (tests start from an empty pool). */
    static void clear() {
        for (Object b; (b = FREE.poll()) != null; ) {
            KEPT.addAndGet(-bytes(b));
        }
    }

    private static long bytes(Object block) {
        if (block instanceof int[] a) {
            return 4L * a.length;
        }
        if (block instanceof long[] a) {
            return 8L * a.length;
        }
        if (block instanceof double[] a) {
            return 8L * a.length;
        }
        return 0;
    }
}
