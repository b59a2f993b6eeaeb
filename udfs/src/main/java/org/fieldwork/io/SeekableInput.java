package org.fieldwork.io;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.apache.hadoop.fs.FSDataInputStream;

/** Positioned reads from a file of known length; each task opens its own. */
public interface SeekableInput extends Closeable {

    /** Reads exactly {@code len} bytes at {@code position} or fails with an EOFException naming the file. */
    void readFully(long position, byte[] buffer, int offset, int len) throws IOException;

    long length();

    /** A name for error messages: the path or URI. */
    String name();

    static SeekableInput local(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        long size = channel.size();
        String name = path.toString();
        return new SeekableInput() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
                ByteBuffer bb = ByteBuffer.wrap(buffer, offset, len);
                long pos = position;
                while (bb.hasRemaining()) {
                    int n = channel.read(bb, pos);
                    if (n < 0) {
                        throw new EOFException(name + ": wanted " + len + " bytes at offset " + position
                                + " but the file ends at " + size);
                    }
                    pos += n;
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
                channel.close();
            }
        };
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
