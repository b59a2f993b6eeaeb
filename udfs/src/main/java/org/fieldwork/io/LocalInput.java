package org.fieldwork.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file, read with positioned reads. A view is one read into a direct buffer that the input
 * keeps (and hands to the next input its thread opens), so the kernel copies the page cache's bytes
 * once and nothing else does. Mapping the file instead costs several times the CPU: every fresh
 * mapping faults its pages in (the README has the measurements). Ranges longer than
 * {@link #MAX_VIEW} have no view (callers read them in pieces), so an input holds little off-heap
 * memory, and none that waits for the collector.
 */
final class LocalInput implements SeekableInput {
    /** The smallest view buffer: most views are a few KB to a few MB, and regrowing is a fresh allocation. */
    static final int MIN_BUFFER = 1 << 20;
    /** The longest view: a SEG-Y reader's are a few MB; a movie frame is read in pieces instead. */
    static final int MAX_VIEW = 8 << 20;
    private static final ThreadLocal<ByteBuffer> SPARE = new ThreadLocal<>();

    private final FileChannel channel;
    private final long size;
    private final String name;
    private ByteBuffer buffer;

    LocalInput(Path path) throws IOException {
        channel = FileChannel.open(path, StandardOpenOption.READ);
        size = channel.size();
        name = path.toString();
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        read(ByteBuffer.wrap(buffer, offset, len), position);
    }

    @Override
    public ByteBuffer view(long position, int len) throws IOException {
        if (position < 0 || len < 0 || position + len > size) {
            throw eof(position, len);
        }
        if (len > MAX_VIEW) {
            return null;
        }
        ByteBuffer into = buffer(len).clear().limit(len);
        read(into, position);
        return into.flip().slice().asReadOnlyBuffer();
    }

    /** Fills {@code into} from {@code position}; a file that ends sooner than it did when opened changed under the reader. */
    private void read(ByteBuffer into, long position) throws IOException {
        int len = into.remaining();
        int n = FileReads.read(channel, position, into, len);
        if (n < len) {
            throw ended(position, len, position + n);
        }
    }

    private ByteBuffer buffer(int len) {
        if (buffer == null) {
            buffer = SPARE.get();
            SPARE.remove();
        }
        if (buffer == null || buffer.capacity() < len) {
            buffer = OffHeap.allocate(Math.min(MAX_VIEW, Math.max(len, MIN_BUFFER)));
        }
        return buffer;
    }

    /** The file ended at {@code at}, reading {@code len} bytes from {@code position}: past its end, or it shrank. */
    private EOFException ended(long position, int len, long at) {
        if (at < size) {
            return new EOFException(name + ": the file ends at byte " + at + " though it had " + size
                    + " bytes when it was opened: it changed (was truncated?) while it was read");
        }
        return eof(position, len);
    }

    private EOFException eof(long position, int len) {
        return new EOFException(name + ": wanted " + len + " bytes at offset " + position + " but the file ends at " + size);
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() throws IOException {
        ByteBuffer b = buffer;
        buffer = null;
        if (b != null) {
            ByteBuffer spare = SPARE.get();
            if (spare == null || spare.capacity() < b.capacity()) {
                SPARE.set(b);
            }
        }
        channel.close();
    }
}
