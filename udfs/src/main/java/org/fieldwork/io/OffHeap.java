package org.fieldwork.io;

import java.nio.ByteBuffer;

/**
 * Off-heap memory for the bulk buffers a JVM keeps and reuses: chunk buffers (pooled), each thread's
 * direct-I/O staging, read and scratch buffers. Fresh memory costs a page fault per page when first
 * touched, several microseconds each on a VM. Where malloc'd memory comes in 2 MB pages (transparent
 * huge pages) and the JVM runs one command, {@code submit/fieldwork} sets
 * {@code -Dfieldwork.offheap.blocks=true} and buffers are carved from blocks aligned to 2 MB: each
 * 2 MB of a block is one fault (and each block 512 more for the 4 KB pages it is cut from). A buffer
 * allocated on its own is aligned to 4 KB only, so the 4 KB pages at its ends, half of a 4 MB buffer,
 * fault one by one. Elsewhere, and in long-lived JVMs (notebooks, executors), every buffer is
 * allocated on its own: a block is freed only once none of its buffers is reachable.
 */
public final class OffHeap {
    static final int HUGE_PAGE = 2 << 20;
    /** A block's usable bytes; a request for more than half of it gets memory of its own. */
    static final int BLOCK = 32 << 20;
    private static final Blocks BLOCKS = Boolean.getBoolean("fieldwork.offheap.blocks") ? new Blocks() : null;

    private OffHeap() {
    }

    /** Zeroed off-heap memory of {@code bytes} (big-endian, like any new buffer); OutOfMemoryError when there is none. */
    public static ByteBuffer allocate(int bytes) {
        return allocate(bytes, 64);
    }

    /** As {@link #allocate(int)}, starting at an address that is a multiple of {@code align}, a power of two up to 2 MB. */
    public static ByteBuffer allocate(int bytes, int align) {
        if (bytes < 0 || align <= 0 || align > HUGE_PAGE || Integer.bitCount(align) != 1 || bytes > Integer.MAX_VALUE - align) {
            throw new IllegalArgumentException("off-heap buffer of " + bytes + " bytes aligned to " + align);
        }
        ByteBuffer b = BLOCKS == null ? null : BLOCKS.carve(bytes, align);
        return b != null ? b : alone(bytes, align);
    }

    /**
     * Whether buffers come from blocks: memory given up is then not freed (its block may hold others
     * still in use), so a pool keeps what it is given back.
     */
    public static boolean carving() {
        return BLOCKS != null;
    }

    static ByteBuffer alone(int bytes, int align) {
        ByteBuffer b = ByteBuffer.allocateDirect(bytes + align - 1);
        int offset = b.alignmentOffset(0, align);
        return b.slice(offset == 0 ? 0 : align - offset, bytes);
    }

    /** Buffers cut one after another from 2 MB-aligned blocks. */
    static final class Blocks {
        private ByteBuffer block;
        private int used;
        /** Set when a block could not be had: near the direct-memory limit, buffers are allocated alone from then on. */
        boolean failed;

        /** A zeroed buffer from the current block, or from a new one; null when it is too large for a block or none can be had. */
        synchronized ByteBuffer carve(int bytes, int align) {
            if (bytes > BLOCK / 2 || failed) {
                return null;
            }
            int at = block == null ? -1 : (used + align - 1) & -align;
            if (at < 0 || at + bytes > block.capacity()) {
                try {
                    block = ByteBuffer.allocateDirect(BLOCK + HUGE_PAGE).alignedSlice(HUGE_PAGE).limit(BLOCK).slice();
                } catch (OutOfMemoryError e) {
                    block = null;
                    failed = true; // the request alone may still fit in what is left
                    return null;
                }
                at = 0;
            }
            ByteBuffer b = block.slice(at, bytes);
            used = at + bytes;
            return b;
        }
    }
}
