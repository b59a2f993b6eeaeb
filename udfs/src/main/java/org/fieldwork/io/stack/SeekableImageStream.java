package org.fieldwork.io.stack;

import java.io.IOException;
import java.util.Objects;

import javax.imageio.stream.ImageInputStreamImpl;

import org.fieldwork.io.SeekableInput;

/**
 * An {@link javax.imageio.stream.ImageInputStream} over a {@link SeekableInput}, so ImageIO's
 * readers decode local files and objects in a store alike. Small reads (directory entries, tag
 * values) come from a window of the file held in memory, filled with 4 KiB after a jump (a
 * directory between two pages costs no more) and growing while reads go on in order; reads of a
 * whole window or more (strips, tiles) go straight into the caller's array. Closing it leaves the
 * input open: the input belongs to whoever opened it.
 */
final class SeekableImageStream extends ImageInputStreamImpl {
    private static final int WINDOW = 64 << 10;
    private static final int FIRST_FILL = 4 << 10;

    private final SeekableInput input;
    private final long length;
    private final byte[] window = new byte[WINDOW];
    private long windowStart;
    private int windowLength;
    private int nextFill = FIRST_FILL;

    SeekableImageStream(SeekableInput input) {
        this.input = input;
        this.length = input.length();
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (streamPos >= length) {
            return -1;
        }
        fill(streamPos, 1);
        return window[(int) (streamPos++ - windowStart)] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        checkClosed();
        Objects.checkFromIndexSize(off, len, b.length);
        bitOffset = 0;
        if (len == 0) {
            return 0;
        }
        if (streamPos >= length) {
            return -1;
        }
        int n = (int) Math.min(len, length - streamPos);
        if (n >= WINDOW) {
            input.readFully(streamPos, b, off, n);
        } else {
            int done = 0;
            while (done < n) {
                fill(streamPos + done, n - done);
                int at = (int) (streamPos + done - windowStart);
                int k = Math.min(n - done, windowLength - at);
                System.arraycopy(window, at, b, off + done, k);
                done += k;
            }
        }
        streamPos += n;
        return n;
    }

    /** Makes the window hold the byte at {@code position}, which lies inside the file, and up to {@code wanted} bytes from it. */
    private void fill(long position, int wanted) throws IOException {
        if (position >= windowStart && position < windowStart + windowLength) {
            return;
        }
        boolean inOrder = position == windowStart + windowLength;
        nextFill = inOrder ? Math.min(2 * nextFill, WINDOW) : FIRST_FILL;
        windowStart = position;
        windowLength = (int) Math.min(Math.max(nextFill, Math.min(wanted, WINDOW)), length - position);
        try {
            input.readFully(position, window, 0, windowLength);
        } catch (IOException e) {
            windowLength = 0;
            throw e;
        }
    }

    @Override
    public long length() {
        return length;
    }
}
