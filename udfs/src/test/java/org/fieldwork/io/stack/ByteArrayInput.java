package org.fieldwork.io.stack;

import java.io.EOFException;
import java.io.IOException;

import org.fieldwork.io.SeekableInput;

/** A file held in memory with no mapped view, as an object in a store is read: positioned reads only. */
final class ByteArrayInput implements SeekableInput {
    private final byte[] bytes;
    private final String name;
    private boolean closed;
    private int reads;

    ByteArrayInput(String name, byte[] bytes) {
        this.name = name;
        this.bytes = bytes;
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        if (closed) {
            throw new IOException(name + ": closed");
        }
        if (position < 0 || position + len > bytes.length) {
            throw new EOFException(name + ": wanted " + len + " bytes at offset " + position + " but the object ends at "
                    + bytes.length);
        }
        reads++;
        System.arraycopy(bytes, (int) position, buffer, offset, len);
    }

    @Override
    public long length() {
        return bytes.length;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }

    int reads() {
        return reads;
    }
}
