package org.fieldwork.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * Small whole-file operations on local paths or object stores, with one rule for atomicity: on
 * local disk write a temporary sibling and rename it; on object stores one PUT is already atomic
 * (and a rename would be a copy), so write in place.
 */
public final class OutputFiles {
    private final Storage storage;

    public OutputFiles(Storage storage) {
        this.storage = storage;
    }

    public void writeAtomically(String path, byte[] bytes) throws IOException {
        writeAtomically(path, java.nio.ByteBuffer.wrap(bytes));
    }

    /**
     * {@link #writeAtomically(String, byte[])} for the remaining bytes of {@code bytes} (left as
     * they were): a local file is written straight from the buffer, which for a direct buffer spares
     * the copy into the JDK's per-thread staging buffer and that buffer's fresh memory.
     */
    public void writeAtomically(String path, java.nio.ByteBuffer bytes) throws IOException {
        if (Storage.isLocal(path)) {
            Path target = Storage.localPath(path);
            Files.createDirectories(target.toAbsolutePath().getParent());
            writeLocal(target, bytes, false);
        } else {
            // Hadoop's streams take arrays: a buffer over an array's start is written as it is.
            byte[] data;
            if (bytes.hasArray() && bytes.arrayOffset() + bytes.position() == 0) {
                data = bytes.array();
            } else {
                data = new byte[bytes.remaining()];
                bytes.duplicate().get(data);
            }
            writeHadoop(storage.fileSystem(path), new org.apache.hadoop.fs.Path(path), data, bytes.remaining());
        }
    }

    /** Hadoop schemes whose single PUT is atomic and whose rename is a copy. */
    private static final java.util.Set<String> OBJECT_STORES = java.util.Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss");

    /**
     * The local rule: write a hidden sibling ({@code .name.<random>.partial}, ignored by Zarr and
     * Spark) and rename it over the target, so a reader sees the old file or the new one, never half.
     */
    public static void writeLocal(Path target, byte[] data, int length) throws IOException {
        writeLocal(target, data, length, false);
    }

    /**
     * The local rule for bulk output the job will not read back (Zarr chunks): with {@code bulk},
     * files of {@link DirectWrite#MIN_BYTES} and more bypass the page cache where the file system allows.
     */
    public static void writeLocal(Path target, byte[] data, int length, boolean bulk) throws IOException {
        writeLocal(target, java.nio.ByteBuffer.wrap(data, 0, length), bulk);
    }

    /**
     * The local rule for the remaining bytes of {@code data}, heap or direct (its position and limit
     * stay as they were).
     */
    public static void writeLocal(Path target, java.nio.ByteBuffer data, boolean bulk) throws IOException {
        writeLocal(target, new java.nio.ByteBuffer[] {data}, bulk);
    }

    /** The local rule for the remaining bytes of {@code pieces}, one after another (left as they were). */
    public static void writeLocal(Path target, java.nio.ByteBuffer[] pieces, boolean bulk) throws IOException {
        Path tmp = target.resolveSibling(temporaryName(target.getFileName().toString()));
        boolean moved = false;
        try {
            if (!bulk || !DirectWrite.write(tmp, pieces)) {
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
                        java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
                    java.nio.ByteBuffer[] bufs = new java.nio.ByteBuffer[pieces.length];
                    long left = 0;
                    for (int i = 0; i < bufs.length; i++) {
                        bufs[i] = pieces[i].duplicate();
                        left += bufs[i].remaining();
                    }
                    while (left > 0) {
                        left -= ch.write(bufs);
                    }
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                moved = true;
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(target + ": this file system cannot rename atomically", e);
            }
        } finally {
            if (!moved) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * The Hadoop rule: on object stores one PUT is the commit; elsewhere (HDFS) a hidden temporary
     * file renamed over the target.
     */
    public static void writeHadoop(FileSystem fs, org.apache.hadoop.fs.Path target, byte[] data, int length) throws IOException {
        if (isObjectStore(fs)) {
            try (OutputStream out = fs.create(target, true)) {
                out.write(data, 0, length);
            }
            return;
        }
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), temporaryName(target.getName()));
        boolean renamed = false;
        try {
            try (OutputStream out = fs.create(tmp, false)) {
                out.write(data, 0, length);
            }
            renamed = fs.rename(tmp, target);
            if (!renamed) {
                // HDFS does not rename over an existing file: drop the old one first (rewrites are rare).
                fs.delete(target, false);
                renamed = fs.rename(tmp, target);
                if (!renamed) {
                    throw new IOException("could not rename " + tmp + " to " + target);
                }
            }
        } finally {
            if (!renamed) {
                fs.delete(tmp, false);
            }
        }
    }

    private static final String TEMPORARY_SUFFIX = ".partial";

    /** The hidden sibling a write goes to before its rename: {@code .name.<random>.partial}. */
    static String temporaryName(String name) {
        return "." + name + "." + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                + TEMPORARY_SUFFIX;
    }

    /**
     * Deletes the temporaries that writes into {@code dir} abandoned when their process was killed
     * (a normal failure removes its own). Call it only when no write into {@code dir} is running.
     * Object stores never hold any (one PUT, no temporary), so they are not listed.
     *
     * @return how many were removed
     */
    public int removeAbandonedTemporaries(String dir) throws IOException {
        if (!Storage.isLocal(dir) && isObjectStore(storage.fileSystem(dir))) {
            return 0;
        }
        int removed = 0;
        for (String name : list(dir)) {
            if (name.startsWith(".") && name.endsWith(TEMPORARY_SUFFIX)) {
                delete(Storage.join(dir, name));
                removed++;
            }
        }
        return removed;
    }

    /** True for Hadoop file systems where rename is a copy and a PUT is atomic. */
    public static boolean isObjectStore(FileSystem fs) {
        String scheme = fs.getUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(java.util.Locale.ROOT));
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public byte[] read(String path) throws IOException {
        if (Storage.isLocal(path)) {
            return readLocal(Storage.localPath(path));
        }
        FileSystem fs = storage.fileSystem(path);
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            return in.readAllBytes();
        }
    }

    /**
     * Reads the whole file at {@code path} into {@code dst} from its position (advanced past the
     * bytes); returns the file's length. A file longer than {@code dst} has room for is an error.
     * Into a direct buffer (a chunk buffer), a local file goes without any copy in between.
     */
    public int readInto(String path, java.nio.ByteBuffer dst) throws IOException {
        int start = dst.position();
        if (Storage.isLocal(path)) {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Storage.localPath(path))) {
                long size = ch.size();
                if (size > dst.remaining()) {
                    throw new IOException(path + ": " + size + " bytes, more than the " + dst.remaining() + " expected");
                }
                FileReads.read(ch, 0, dst, (int) size);
            }
            return dst.position() - start;
        }
        FileSystem fs = storage.fileSystem(path);
        try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(path))) {
            byte[] slice = new byte[FileReads.HEAP_SLICE];
            for (int n; (n = in.read(slice)) > 0; ) {
                if (n > dst.remaining()) {
                    throw new IOException(path + ": more than the " + (dst.position() - start + dst.remaining())
                            + " bytes expected");
                }
                dst.put(slice, 0, n);
            }
        }
        return dst.position() - start;
    }

    /** A local file's bytes (the same reads as {@link #readInto}). */
    static byte[] readLocal(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(file + ": " + size + " bytes, too large to read at once");
            }
            byte[] bytes = new byte[(int) size];
            int read = FileReads.read(ch, 0, java.nio.ByteBuffer.wrap(bytes), bytes.length);
            return read == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, read); // shrank while read
        }
    }

    public boolean exists(String path) throws IOException {
        if (Storage.isLocal(path)) {
            return Files.exists(Storage.localPath(path));
        }
        return storage.fileSystem(path).exists(new org.apache.hadoop.fs.Path(path));
    }

    /** Names (not paths) of the files directly in a directory; empty when it does not exist. */
    public List<String> list(String dir) throws IOException {
        List<String> names = new ArrayList<>();
        if (Storage.isLocal(dir)) {
            Path d = Storage.localPath(dir);
            if (!Files.isDirectory(d)) {
                return names;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(Files::isRegularFile).forEach(p -> names.add(p.getFileName().toString()));
            }
        } else {
            FileSystem fs = storage.fileSystem(dir);
            org.apache.hadoop.fs.Path d = new org.apache.hadoop.fs.Path(dir);
            if (!fs.exists(d)) {
                return names;
            }
            for (FileStatus st : fs.listStatus(d)) {
                if (st.isFile()) {
                    names.add(st.getPath().getName());
                }
            }
        }
        names.sort(null);
        return names;
    }

    public void delete(String path) throws IOException {
        if (Storage.isLocal(path)) {
            Files.deleteIfExists(Storage.localPath(path));
        } else {
            storage.fileSystem(path).delete(new org.apache.hadoop.fs.Path(path), false);
        }
    }

    /** Deletes a directory tree; no error when it is absent. */
    public void deleteTree(String path) throws IOException {
        if (Storage.isLocal(path)) {
            Path root = Storage.localPath(path);
            if (!Files.exists(root)) {
                return;
            }
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                    try {
                        Files.delete(p);
                    } catch (NoSuchFileException ignored) {
                        // removed concurrently
                    }
                }
            }
        } else {
            storage.fileSystem(path).delete(new org.apache.hadoop.fs.Path(path), true);
        }
    }

    /** Renames a file or directory; on object stores this copies, so use it only for small things. */
    public void rename(String from, String to) throws IOException {
        if (Storage.isLocal(from)) {
            Path target = Storage.localPath(to);
            Files.createDirectories(target.toAbsolutePath().getParent());
            try {
                moveAtomically(Storage.localPath(from), target);
            } catch (FileAlreadyExistsException e) {
                throw new IOException("cannot rename " + from + ": " + to + " already exists", e);
            }
        } else {
            FileSystem fs = storage.fileSystem(from);
            if (!fs.rename(new org.apache.hadoop.fs.Path(from), new org.apache.hadoop.fs.Path(to))) {
                throw new IOException("rename failed: " + from + " -> " + to);
            }
        }
    }
}
