package org.fieldwork.io.mrc;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.fieldwork.em.MovieFrames;
import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;

/**
 * An MRC/MRCS file read one section (movie frame) at a time. The header and the file's length are
 * checked at open, so a truncated or foreign file fails there with a message naming it. A section
 * is decoded in bulk from the file's view (local files: one read) or from positioned reads into one
 * reused buffer (object stores). Not thread-safe; each task opens its own.
 */
public final class MrcReader implements MovieFrames {
    /** Bytes per positioned read where the input has no view (a multiple of every value size). */
    private static final int READ_BYTES = 4 << 20;

    private final SeekableInput input;
    private final String location;
    private final MrcHeader header;
    private byte[] readBuffer;

    private MrcReader(SeekableInput input, String location, MrcHeader header) {
        this.input = input;
        this.location = location;
        this.header = header;
    }

    /** Opens a local path or {@code s3a://} URI. */
    public static MrcReader open(Storage storage, String location) throws IOException {
        return open(storage.openInput(location), location);
    }

    /** Takes ownership of {@code input}: closes it on failure and on {@link #close()}. */
    public static MrcReader open(SeekableInput input) throws IOException {
        return open(input, input.name());
    }

    /** As {@link #open(SeekableInput)}, with {@code location} naming the file in messages. */
    public static MrcReader open(SeekableInput input, String location) throws IOException {
        try {
            byte[] head = new byte[(int) Math.min(MrcHeader.BYTES, input.length())];
            input.readFully(0, head, 0, head.length);
            MrcHeader header = MrcHeader.parse(head, location);
            long expected = header.dataOffset() + header.dataBytes();
            if (input.length() < expected) {
                throw new IOException(location + ": truncated: header says " + header.describe() + " ("
                        + header.dataBytes() + " data bytes), file holds " + Math.max(0, input.length() - header.dataOffset())
                        + " after the " + header.dataOffset() + "-byte header");
            }
            if (header.sectionBytes() > Integer.MAX_VALUE) {
                throw new IOException(location + ": a section of " + header.nx() + "x" + header.ny() + " "
                        + header.mode().typeName() + " is over 2 GiB, more than one frame read here may hold");
            }
            return new MrcReader(input, location, header);
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    public MrcHeader header() {
        return header;
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public int width() {
        return header.nx();
    }

    @Override
    public int height() {
        return header.ny();
    }

    @Override
    public int frames() {
        return header.nz();
    }

    @Override
    public double pixelSizeA() {
        return header.pixelSizeA();
    }

    @Override
    public float[] frame(int index) throws IOException {
        float[] out = new float[header.nx() * header.ny()];
        readFrame(index, out);
        return out;
    }

    /** Section {@code index} into {@code into} (at least width x height values), row-major. */
    public void readFrame(int index, float[] into) throws IOException {
        if (index < 0 || index >= header.nz()) {
            throw new IndexOutOfBoundsException(location + ": frame " + index + " is outside 0.." + (header.nz() - 1));
        }
        int values = header.nx() * header.ny();
        if (into.length < values) {
            throw new IllegalArgumentException(location + ": a frame has " + values + " values but the array holds " + into.length);
        }
        int bytes = (int) header.sectionBytes();
        long start = header.dataOffset() + (long) index * bytes;
        MrcMode mode = header.mode();
        ByteBuffer view = input.view(start, bytes);
        if (view != null) {
            mode.decode(view.order(header.byteOrder()), into, 0, values);
            return;
        }
        if (readBuffer == null) {
            readBuffer = new byte[Math.min(READ_BYTES, bytes)];
        }
        int perRead = readBuffer.length / mode.bytesPerValue();
        for (int done = 0; done < values; done += perRead) {
            int n = Math.min(perRead, values - done);
            input.readFully(start + (long) done * mode.bytesPerValue(), readBuffer, 0, n * mode.bytesPerValue());
            mode.decode(ByteBuffer.wrap(readBuffer, 0, n * mode.bytesPerValue()).order(header.byteOrder()), into, done, n);
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
