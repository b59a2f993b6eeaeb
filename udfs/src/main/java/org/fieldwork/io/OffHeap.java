package org.fieldwork.io;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Off-heap memory for bulk data: chunk buffers, direct-I/O staging, read buffers. Fresh memory costs
 * a page fault per page when first touched, several microseconds each on a VM. Where the kernel backs
 * this process's memory with 2 MB pages (transparent huge pages: for all memory, or for memory that
 * asks and glibc's malloc is told to ask, as {@code submit/fieldwork} does), buffers are carved from
 * blocks aligned to 2 MB, each 2 MB of a block one fault. A buffer allocated on its own is aligned to
 * 4 KB only, so the 4 KB pages at its ends, half of a 4 MB buffer, fault one by one. Elsewhere every
 * buffer is allocated on its own, since a block would only add memory to fault in.
 * <p>
 * Memory handed out is not taken back here: the pools that keep buffers (chunk buffers, each thread's
 * read and write buffers) reuse it, and a block is freed once none of its buffers is reachable.
 */
public final class OffHeap {
    static final int HUGE_PAGE = 2 << 20;
    /** A block's usable bytes; a request for more than half of it gets memory of its own. */
    static final int BLOCK = 32 << 20;
    private static final Blocks BLOCKS = hugePages(thpMode(), System.getenv("GLIBC_TUNABLES")) ? new Blocks() : null;

    private OffHeap() {
    }

    /** Zeroed off-heap memory of {@code bytes} (big-endian, like any new buffer); OutOfMemoryError when there is none. */
    public static ByteBuffer allocate(int bytes) {
        return allocate(bytes, 64);
    }

    /** As {@link #allocate(int)}, starting at an address that is a multiple of {@code align}, a power of two up to 2 MB. */
    public static ByteBuffer allocate(int bytes, int align) {
        ByteBuffer b = BLOCKS == null ? null : BLOCKS.carve(bytes, align);
        return b != null ? b : alone(bytes, align);
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

        /** A zeroed buffer from the current block, or a new one; null when it is too large for a block or none can be had. */
        synchronized ByteBuffer carve(int bytes, int align) {
            if (bytes > BLOCK / 2) {
                return null;
            }
            int at = block == null ? -1 : (used + align - 1) & -align;
            if (at < 0 || at + bytes > block.capacity()) {
                try {
                    block = ByteBuffer.allocateDirect(BLOCK + HUGE_PAGE).alignedSlice(HUGE_PAGE).limit(BLOCK).slice();
                } catch (OutOfMemoryError e) {
                    block = null; // the request alone may still fit in what is left
                    return null;
                }
                at = 0;
            }
            used = at + bytes;
            return block.slice(at, bytes);
        }
    }

    /**
     * Whether malloc'd memory comes in 2 MB pages: the kernel's mode is {@code [always]}, or
     * {@code [madvise]} with glibc told to ask ({@code glibc.malloc.hugetlb=1}, or 2 for reserved pages).
     */
    static boolean hugePages(String thpMode, String glibcTunables) {
        if (thpMode.contains("[always]")) {
            return true;
        }
        return thpMode.contains("[madvise]") && glibcTunables != null
                && glibcTunables.matches("(.*:)?glibc\\.malloc\\.hugetlb=[12](:.*)?");
    }

    private static String thpMode() {
        try {
            return Files.readString(Path.of("/sys/kernel/mm/transparent_hugepage/enabled"));
        } catch (java.io.IOException | RuntimeException e) {
            return ""; // not Linux, or no transparent huge pages
        }
    }
}
