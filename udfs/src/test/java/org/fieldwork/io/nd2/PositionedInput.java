package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.file.Path;

import org.fieldwork.io.SeekableInput;

/**
 * A local file seen as an object store sees it: positioned reads only, no views, so the
 * reader takes its {@code readFully} path. Counts reads and closes for the tests.
 */
final class PositionedInput implements SeekableInput {
    private final SeekableInput local;
    int reads;
    boolean closed;

    PositionedInput(Path file) throws IOException {
        this.local = SeekableInput.local(file);
    }

    @Override
    public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
        reads++;
        local.readFully(position, buffer, offset, len);
    }

    @Override
    public long length() {
        return local.length();
    }

    @Override
    public String name() {
        return local.name();
    }

    @Override
    public void close() throws IOException {
        closed = true;
        local.close();
    }
}
