package org.fieldwork.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.apache.hadoop.fs.FSDataInputStream;

/** Positioned reads from a file of known length; each task opens its own. */
public interface SeekableInput extends Closeable {

    /** Reads exactly {@code len} bytes at {@code position} or fails with an EOFException naming the file. */
    void readFully(long position, byte[] buffer, int offset, int len) throws IOException;

    long length();

    /** A name for error messages: the path or URI. */
    String name();

    /**
     * The bytes {@code [position, position + len)} as a read-only buffer (big-endian, position 0)
     * that is valid only until the next call on this input or its close, never after: a local file
     * reads them into an off-heap buffer it keeps, so the kernel's copy is the only one; null where
     * the input has no such view (objects in a store, ranges of more than a few MB), and the caller
     * then reads with {@link #readFully}.
     */
    default ByteBuffer view(long position, int len) throws IOException {
        return null;
    }

    static SeekableInput local(Path path) throws IOException {
        return new LocalInput(path);
    }

    static SeekableInput hadoop(FSDataInputStream in, long size, String name) {
        return new SeekableInput() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
                if (position + len > size) {
                    throw new EOFException(name + ": wanted " + len + " bytes at offset " + position
                            + " but the object ends at " + size);
                }
                in.readFully(position, buffer, offset, len);
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
                in.close();
            }
        };
    }
}
