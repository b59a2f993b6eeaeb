package org.fieldwork.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.sun.nio.file.ExtendedOpenOption;

/**
 * Writes a large new local file around the page cache (O_DIRECT), for bulk outputs such as Zarr
 * chunks that the job does not read back. Buffered writes of fresh files cost the kernel CPU for
 * every page (allocated, zeroed and accounted), several times what the disk itself needs, and an
 * import has only its cores to spend; keeping bulk output out of the cache also leaves it to the
 * input (the README has the measurements). Where the file system refuses direct I/O (tmpfs on
 * older kernels, some network file systems) the caller writes buffered, and later files in that
 * folder go buffered straight away.
 */
final class DirectWrite {
    /** Smaller files are not worth it: one page-cache copy is cheap next to opening the file. */
    static final int MIN_BYTES = 1 << 20;
    /** Direct I/O wants buffer address, file offset and length aligned to the logical block size. */
    private static final int ALIGN = 4096;
    /** Written through a bounded buffer, so a thread holds at most this much off-heap memory. */
    private static final int PIECE = 8 << 20;

    /** Folders whose file system refused direct I/O (bounded: past the bound a refusal costs one failed open). */
    private static final java.util.Set<Path> REFUSED = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private static final int MAX_REFUSED = 4096;
    private static final ThreadLocal<ByteBuffer> BUFFER = new ThreadLocal<>();

    private DirectWrite() {
    }

    /**
     * Writes {@code data[0..length)} as the new file {@code file}; returns false, with no file left
     * behind, when direct I/O is not possible here, and the caller then writes it buffered.
     */
    static boolean write(Path file, byte[] data, int length) throws IOException {
        return write(file, ByteBuffer.wrap(data, 0, length));
    }

    /** {@link #write(Path, ByteBuffer[])} for the buffer's remaining bytes (its position and limit are left as they were). */
    static boolean write(Path file, ByteBuffer data) throws IOException {
        return write(file, new ByteBuffer[] {data});
    }

    /**
     * Writes the remaining bytes of {@code pieces}, one after another (left as they were), as the new
     * file {@code file}, like {@link #write(Path, byte[], int)}. The bytes always go through this
     * thread's aligned buffer, the only copy they get, even from a direct buffer that is aligned
     * already: writing from the caller's buffer itself was slower in the SEG-Y benchmark (README).
     */
    static boolean write(Path file, ByteBuffer[] pieces) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        ByteBuffer[] data = new ByteBuffer[pieces.length];
        long total = 0;
        for (int i = 0; i < data.length; i++) {
            data[i] = pieces[i].duplicate();
            total += data[i].remaining();
        }
        if (total > Integer.MAX_VALUE) {
            return false;
        }
        int length = (int) total;
        if (length < MIN_BYTES || REFUSED.contains(folder)) {
            return false;
        }
        ByteBuffer buf = buffer(length & -ALIGN);
        if (buf == null) {
            return false;
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // Some kernels create the file before refusing O_DIRECT; CREATE_NEW means it is ours.
            Files.deleteIfExists(file);
            if (isRefusal(e)) {
                refuse(folder);
            }
            return false;
        }
        boolean written = false;
        int direct = length & -ALIGN;
        try (ch) {
            int next = 0; // the first piece with bytes left
            for (int at = 0; at < direct; ) {
                int n = Math.min(PIECE, direct - at);
                buf.clear();
                for (int want = n; want > 0; ) {
                    ByteBuffer p = data[next];
                    int k = Math.min(want, p.remaining());
                    buf.put(buf.position(), p, p.position(), k);
                    buf.position(buf.position() + k);
                    p.position(p.position() + k);
                    want -= k;
                    if (!p.hasRemaining()) {
                        next++;
                    }
                }
                buf.flip();
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                at += n;
            }
            if (direct < length) {
                // The last partial block goes through the page cache: padding it and truncating the
                // file instead makes the file system read that block back from the disk.
                try (FileChannel tail = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    tail.position(direct);
                    for (long left = length - direct; left > 0; ) {
                        left -= tail.write(data, next, data.length - next);
                    }
                }
            }
            written = true;
        } catch (IOException e) {
            // An alignment the file system wants larger than ours is a refusal; anything else (a full
            // disk) fails the caller's buffered write too and is reported from there.
            if (isRefusal(e)) {
                refuse(folder);
            }
        } finally {
            if (!written) {
                Files.deleteIfExists(file);
            }
        }
        return written;
    }

    /** EINVAL from the open, or the JDK's own check that offsets and lengths fit the block size. */
    private static boolean isRefusal(Exception e) {
        String m = String.valueOf(e.getMessage());
        return e instanceof UnsupportedOperationException || m.contains("Invalid argument") || m.contains("block size")
                || m.contains("not aligned");
    }

    /** From now on files in {@code folder} are written buffered (also used by tests). */
    static void refuse(Path folder) {
        if (REFUSED.size() < MAX_REFUSED) {
            REFUSED.add(folder.toAbsolutePath());
        }
    }

    /**
     * This thread's aligned buffer, at least {@code bytes} long up to {@link #PIECE}, or null when no
     * off-heap memory is left (then write buffered). Sized to the writes it has seen, not to PIECE:
     * fresh memory costs a page fault per page, and every writer thread has one.
     */
    private static ByteBuffer buffer(int bytes) {
        int want = Math.min(PIECE, bytes);
        ByteBuffer b = BUFFER.get();
        if (b == null || b.capacity() < want) {
            try {
                b = OffHeap.allocate(want, ALIGN);
            } catch (OutOfMemoryError e) {
                return null;
            }
            BUFFER.set(b);
        }
        return b;
    }
}
