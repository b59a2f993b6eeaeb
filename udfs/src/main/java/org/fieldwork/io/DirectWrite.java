package org.fieldwork.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes a large new local file around the page cache (O_DIRECT). Buffered writes of fresh files
 * cost the kernel 3-4 ms of CPU per MB on the machines we measured (every page is allocated,
 * zeroed and accounted), four times what the disk itself needs, and an import has only its cores
 * to spend; bulk outputs such as Zarr chunks are not read back by the job either, so keeping them
 * out of the cache leaves it to the input. Where the file system refuses direct I/O (tmpfs, some
 * network file systems) the caller writes buffered, and later files in that folder go buffered
 * straight away.
 */
final class DirectWrite {
    /** Smaller files are not worth it: one page-cache copy is cheap next to opening the file. */
    static final int MIN_BYTES = 1 << 20;
    /** Direct I/O wants buffer address, file offset and length aligned to the logical block size. */
    private static final int ALIGN = 4096;

    /** Folders whose file system refused direct I/O (bounded: past the bound a refusal costs one failed open). */
    private static final java.util.Set<Path> REFUSED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_REFUSED = 4096;
    /** One aligned buffer per thread, grown to the largest file it wrote. */
    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

    private DirectWrite() {
    }

    /**
     * Writes {@code data[0..length)} as the new file {@code file}; returns false, with no file left
     * behind, when direct I/O is not possible here, and the caller then writes it buffered.
     */
    static boolean write(Path file, byte[] data, int length) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        if (length < MIN_BYTES || REFUSED.contains(folder)) {
            return false;
        }
        int padded = (length + ALIGN - 1) & -ALIGN;
        ByteBuffer buf = buffer(padded);
        buf.put(data, 0, length);
        while (buf.position() < padded) {
            buf.put((byte) 0);
        }
        buf.flip();
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            refuse(folder);    // EINVAL: this file system does not do direct I/O
            return false;
        }
        boolean written = false;
        try (ch) {
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            // The last block went out padded; cut the file back to its length.
            ch.truncate(length);
            written = true;
        } catch (IOException e) {
            // An alignment the file system wants larger than ours. A real failure (a full disk)
            // fails the caller's buffered write too, and is reported from there.
            refuse(folder);
        } finally {
            if (!written) {
                Files.deleteIfExists(file);
            }
        }
        return written;
    }

    private static void refuse(Path folder) {
        if (REFUSED.size() < MAX_REFUSED) {
            REFUSED.add(folder);
        }
    }

    private static ByteBuffer buffer(int capacity) {
        ByteBuffer b = BUFFER.get();
        if (b == null || b.capacity() < capacity) {
            int size = Math.max(capacity, b == null ? 0 : b.capacity() * 2);
            b = ByteBuffer.allocateDirect(size + ALIGN).alignedSlice(ALIGN);
            BUFFER.set(b);
        }
        b.clear();
        return b;
    }
}
