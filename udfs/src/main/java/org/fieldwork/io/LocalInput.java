package org.fieldwork.io;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A local file, read through a window mapped into memory: the bytes of the page cache are decoded
 * where they lie, with no copy into the JDK's buffer and none into ours (a read() pays both, which
 * costs as much CPU as the decoding). Where the file cannot be mapped (special files,
 * address space), or the JDK offers no way to unmap, it is read with positioned reads.
 */
final class LocalInput implements SeekableInput {
    /** Mapped at once: remaps are rare, and a window goes as soon as the reader moves past it. */
    static final long WINDOW = 64L << 20;

    private final FileChannel channel;
    private final long windowBytes;
    private final long size;
    private final String name;
    private boolean mappable = Unmapper.AVAILABLE;
    private MappedByteBuffer window;
    private long windowStart;
    private long windowEnd;

    LocalInput(Path path) throws IOException {
        this(path, WINDOW);
    }

    LocalInput(Path path, long windowBytes) throws IOException {
        this.windowBytes = windowBytes;
        channel = FileChannel.open(path, StandardOpenOption.READ);
        size = channel.size();
        name = path.toString();
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buffer, offset, len);
        long pos = position;
        while (bb.hasRemaining()) {
            int n = channel.read(bb, pos);
            if (n < 0) {
                throw eof(position, len);
            }
            pos += n;
        }
    }

    @Override
    public ByteBuffer view(long position, int len) throws IOException {
        if (position < 0 || len < 0 || position + len > size) {
            throw eof(position, len);
        }
        if (!mappable) {
            return null;
        }
        if (window == null || position < windowStart || position + len > windowEnd) {
            unmapWindow();
            long end = Math.min(size, Math.max(position + len, position + windowBytes));
            try {
                window = channel.map(FileChannel.MapMode.READ_ONLY, position, end - position);
            } catch (IOException | UnsupportedOperationException e) {
                mappable = false;   // read from now on; a real I/O error shows up in the reads too
                return null;
            }
            windowStart = position;
            windowEnd = end;
        }
        return window.slice((int) (position - windowStart), len);
    }

    private EOFException eof(long position, int len) {
        return new EOFException(name + ": wanted " + len + " bytes at offset " + position + " but the file ends at " + size);
    }

    private void unmapWindow() {
        if (window != null) {
            Unmapper.unmap(window);
            window = null;
        }
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
        unmapWindow();
        channel.close();
    }

    /**
     * Unmaps at once instead of at some later garbage collection, so a long task does not keep
     * gigabytes of old windows mapped. Only through sun.misc.Unsafe in Java 17.
     */
    private static final class Unmapper {
        private static final java.lang.invoke.MethodHandle INVOKE_CLEANER = find();
        static final boolean AVAILABLE = INVOKE_CLEANER != null;

        private static java.lang.invoke.MethodHandle find() {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                java.lang.reflect.Field f = unsafeClass.getDeclaredField("theUnsafe");
                f.setAccessible(true);
                Object unsafe = f.get(null);
                return java.lang.invoke.MethodHandles.lookup()
                        .findVirtual(unsafeClass, "invokeCleaner", java.lang.invoke.MethodType.methodType(void.class, ByteBuffer.class))
                        .bindTo(unsafe);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        static void unmap(MappedByteBuffer buffer) {
            try {
                INVOKE_CLEANER.invokeExact((ByteBuffer) buffer);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot unmap a file window: " + e, e);
            }
        }
    }
}
