package org.fieldwork.io.zarr;

import java.nio.ByteBuffer;

/**
 * Chunk buffers, kept for the next producer in this JVM: off-heap, so the bulk copies from a file's
 * view and into the direct I/O buffer are plain memory copies, and reused, because every new buffer
 * is memory the kernel zeroes and faults in. At most {@link #KEPT_BYTES} wait here, or every one
 * given back where {@link org.fieldwork.io.OffHeap} carves buffers from blocks (a buffer dropped there
 * frees nothing while its block holds others, so the pool keeps the peak of what was in use); where
 * off-heap memory runs out, chunks are filled in heap buffers.
 */
public final class ChunkBuffers {
    static final long KEPT_BYTES = 256L << 20;
    private static final java.util.concurrent.ConcurrentHashMap<Integer, java.util.concurrent.ConcurrentLinkedDeque<ByteBuffer>> FREE =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.concurrent.atomic.AtomicLong KEPT = new java.util.concurrent.atomic.AtomicLong();

    private ChunkBuffers() {
    }

    /** A little-endian buffer of exactly {@code bytes} (the byte order of Zarr's {@code <} dtypes). */
    public static ByteBuffer take(int bytes) {
        ByteBuffer b = FREE.computeIfAbsent(bytes, k -> new java.util.concurrent.ConcurrentLinkedDeque<>()).poll();
        if (b != null) {
            KEPT.addAndGet(-bytes);
            return b;
        }
        try {
            b = org.fieldwork.io.OffHeap.allocate(bytes);
        } catch (OutOfMemoryError e) {
            b = ByteBuffer.allocate(bytes);
        }
        return b.order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    public static void give(ByteBuffer b) {
        if (!b.isDirect()) {
            return;
        }
        if (keeps(KEPT.addAndGet(b.capacity()), org.fieldwork.io.OffHeap.carving())) {
            FREE.get(b.capacity()).push(b.clear());
        } else {
            KEPT.addAndGet(-b.capacity());
        }
    }

    /** Whether a buffer given back is kept, {@code kept} bytes waiting with it. */
    static boolean keeps(long kept, boolean carving) {
        return kept <= KEPT_BYTES || carving;
    }
}

