package org.fieldwork.io.mrc;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Writes MRC2014 files (little-endian, 'MAP ', machine stamp 0x44 0x44 0 0, version 20140, axes
 * 1 2 3, one label "fieldwork") in any {@link MrcMode}: integer modes store rounded, clamped values.
 * The cell is the map's size times the pixel size, so pixel size = cell / sampling.
 *
 * <p>The header's statistics need all the data, so there are three ways to write:
 * <ul>
 *   <li>{@link #encode}: the whole file as bytes, statistics exact;</li>
 *   <li>{@link #toFile}: sections one at a time into a local file whose header is written last, at
 *       {@link #close()}, with exact statistics and the number of sections written (the file is a
 *       hidden sibling until then, renamed into place at close);</li>
 *   <li>{@link #toStream}: sections one at a time to any stream, header first, so its statistics
 *       are marked "not determined" as MRC2014 allows (dmax &lt; dmin, dmean below both, rms &lt; 0).</li>
 * </ul>
 * Not thread-safe.
 */
public final class MrcWriter implements Closeable {
    /** The label every file written here carries. */
    public static final String LABEL = "fieldwork";

    /** How the sections of a file are meant. */
    public enum Kind {
        /** A single image or a stack of 2-D images (movie frames, particles): space group 0, mz = 1. */
        IMAGES,
        /** One 3-D volume: space group 1, mz = nz. */
        VOLUME
    }

    private final int width;
    private final int height;
    private final MrcMode mode;
    private final double pixelSizeA;
    private final Kind kind;
    private final ByteBuffer buffer;
    private final ValueStats stats = new ValueStats();
    private final OutputStream stream;
    private final int expectedSections;
    private final FileChannel channel;
    private final Path target;
    private final Path partial;
    private int written;
    private boolean failed;
    private boolean closed;

    private MrcWriter(int width, int height, MrcMode mode, double pixelSizeA, Kind kind, OutputStream stream,
                      int expectedSections, FileChannel channel, Path target, Path partial) {
        this.width = width;
        this.height = height;
        this.mode = mode;
        this.pixelSizeA = pixelSizeA;
        this.kind = kind;
        this.stream = stream;
        this.expectedSections = expectedSections;
        this.channel = channel;
        this.target = target;
        this.partial = partial;
        // a file channel copies a heap buffer into a temporary direct one on every write
        int bytes = sectionBytes(width, height, mode);
        this.buffer = (stream != null ? ByteBuffer.allocate(bytes) : ByteBuffer.allocateDirect(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** One image as an MRC file (nz = 1). */
    public static byte[] encode(float[] image, int width, int height, MrcMode mode, double pixelSizeA) {
        return encode(List.of(image), width, height, mode, pixelSizeA, Kind.IMAGES);
    }

    /** A stack of images (row-major sections of {@code width * height} values) as an MRC file. */
    public static byte[] encode(List<float[]> sections, int width, int height, MrcMode mode, double pixelSizeA) {
        return encode(sections, width, height, mode, pixelSizeA, Kind.IMAGES);
    }

    /** Sections as an MRC file of the given kind, with exact statistics. */
    public static byte[] encode(List<float[]> sections, int width, int height, MrcMode mode, double pixelSizeA, Kind kind) {
        check(width, height, pixelSizeA);
        if (sections.isEmpty()) {
            throw new IllegalArgumentException("an MRC file needs at least one section");
        }
        long size = MrcHeader.BYTES + (long) sectionBytes(width, height, mode) * sections.size();
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException(sections.size() + " sections of " + width + "x" + height + " "
                    + mode.typeName() + " are too large for one array; write them with toFile or toStream");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.position(MrcHeader.BYTES);
        ValueStats stats = new ValueStats();
        for (float[] s : sections) {
            checkSection(s, width, height);
            mode.encode(s, 0, width * height, out);
            stats.add(s, width * height, mode);
        }
        out.put(0, header(width, height, sections.size(), mode, pixelSizeA, kind, stats).toBytes());
        return out.array();
    }

    /**
     * A writer of sections into a local file: the header, with statistics and section count, is
     * written at {@link #close()}, which then renames the file into place.
     */
    public static MrcWriter toFile(Path file, int width, int height, MrcMode mode, double pixelSizeA, Kind kind)
            throws IOException {
        check(width, height, pixelSizeA);
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling("." + absolute.getFileName() + "." + UUID.randomUUID() + ".partial");
        FileChannel channel = FileChannel.open(partial, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            channel.position(MrcHeader.BYTES);
        } catch (IOException e) {
            channel.close();
            Files.deleteIfExists(partial);
            throw e;
        }
        return new MrcWriter(width, height, mode, pixelSizeA, kind, null, -1, channel, absolute, partial);
    }

    /**
     * A writer of {@code sections} sections to a stream, header first, with statistics marked not
     * determined. {@link #close()} checks that all sections came and closes the stream.
     */
    public static MrcWriter toStream(OutputStream out, int width, int height, int sections, MrcMode mode,
                                     double pixelSizeA, Kind kind) throws IOException {
        check(width, height, pixelSizeA);
        if (sections < 1) {
            throw new IllegalArgumentException("an MRC file needs at least one section, got " + sections);
        }
        out.write(header(width, height, sections, mode, pixelSizeA, kind, null).toBytes());
        return new MrcWriter(width, height, mode, pixelSizeA, kind, out, sections, null, null, null);
    }

    /** Appends one section of {@code width * height} values, row-major. */
    public void write(float[] section) throws IOException {
        if (closed) {
            throw new IllegalStateException("this MRC writer is closed");
        }
        checkSection(section, width, height);
        if (stream != null && written == expectedSections) {
            throw new IllegalStateException("the header says " + expectedSections + " sections, all written already");
        }
        buffer.clear();
        mode.encode(section, 0, width * height, buffer);
        buffer.flip();
        try {
            if (stream != null) {
                stream.write(buffer.array(), 0, buffer.limit());
            } else {
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                stats.add(section, width * height, mode);
            }
        } catch (IOException e) {
            failed = true;
            throw e;
        }
        written++;
    }

    /** Sections written so far. */
    public int sections() {
        return written;
    }

    /**
     * Finishes the file: a local file gets its header and is renamed into place (or deleted when a
     * write failed or no section was written); a stream is closed, after checking the count.
     */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (stream != null) {
            try (OutputStream s = stream) {
                if (written != expectedSections) {
                    throw new IOException("MRC stream closed after " + written + " of the " + expectedSections
                            + " sections its header announces");
                }
            }
            return;
        }
        boolean done = false;
        try (FileChannel c = channel) {
            if (!failed && written == 0) {
                throw new IOException(target + ": no section was written, so no MRC file was made");
            }
            if (!failed) {
                ByteBuffer head = ByteBuffer.wrap(header(width, height, written, mode, pixelSizeA, kind, stats).toBytes());
                long position = 0;
                while (head.hasRemaining()) {
                    position += c.write(head, position);
                }
                done = true;
            }
        } finally {
            if (done) {
                moveIntoPlace();
            } else {
                Files.deleteIfExists(partial);
            }
        }
    }

    private void moveIntoPlace() throws IOException {
        try {
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
    }

    /** The header of a file this class writes; {@code stats} null or empty: statistics not determined. */
    static MrcHeader header(int width, int height, int sections, MrcMode mode, double pixelSizeA, Kind kind,
                            ValueStats stats) {
        int mz = kind == Kind.VOLUME ? sections : 1;
        boolean known = stats != null && !stats.empty();
        return new MrcHeader(width, height, sections, mode, width, height, mz,
                (float) (width * pixelSizeA), (float) (height * pixelSizeA), (float) (mz * pixelSizeA), 1, 2, 3,
                known ? stats.min() : 0f, known ? stats.max() : -1f, known ? (float) stats.mean() : -2f,
                kind == Kind.VOLUME ? 1 : 0, 0, "", MrcHeader.MRC2014, 0f, 0f, 0f,
                known ? (float) stats.rms() : -1f, List.of(LABEL), ByteOrder.LITTLE_ENDIAN);
    }

    private static int sectionBytes(int width, int height, MrcMode mode) {
        long bytes = (long) width * height * mode.bytesPerValue();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("a section of " + width + "x" + height + " " + mode.typeName() + " is over 2 GiB");
        }
        return (int) bytes;
    }

    private static void check(int width, int height, double pixelSizeA) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("MRC sections need a positive size, got " + width + "x" + height);
        }
        if (!(pixelSizeA >= 0) || Double.isInfinite(pixelSizeA)) {
            throw new IllegalArgumentException("pixel size must be 0 (unknown) or positive, got " + pixelSizeA);
        }
    }

    private static void checkSection(float[] section, int width, int height) {
        if (section.length != width * height) {
            throw new IllegalArgumentException("a section has " + section.length + " values, expected "
                    + width + "x" + height + " = " + width * height);
        }
    }
}
