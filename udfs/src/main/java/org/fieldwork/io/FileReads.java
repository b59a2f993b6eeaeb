package org.fieldwork.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Positioned reads of a local file into a buffer: the one loop every local read goes through. */
final class FileReads {
    /**
     * Bytes one read into a heap buffer asks for: the JDK reads them through a temporary native
     * buffer as large as the request, and a fresh one the size of the file costs a page fault per
     * 4 KB page. Direct buffers are read into whole.
     */
    static final int HEAP_SLICE = 256 << 10;

    private FileReads() {
    }

    /**
     * Reads up to {@code len} bytes of {@code ch} from {@code position} into {@code dst} from its
     * position (advanced past them; its limit left as it was), stopping early where the file ends.
     * Returns the bytes read.
     */
    static int read(FileChannel ch, long position, ByteBuffer dst, int len) throws IOException {
        int start = dst.position();
        int end = dst.limit();
        int slice = dst.isDirect() ? len : HEAP_SLICE;
        try {
            while (dst.position() - start < len) {
                dst.limit(Math.min(start + len, dst.position() + slice));
                if (ch.read(dst, position + dst.position() - start) < 0) {
                    break;
                }
            }
        } finally {
            dst.limit(end);
        }
        return dst.position() - start;
    }
}
