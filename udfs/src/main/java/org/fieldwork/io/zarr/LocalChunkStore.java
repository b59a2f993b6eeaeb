package org.fieldwork.io.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** A Zarr node on local disk: whole files written under a temporary name, then renamed into place. */
final class LocalChunkStore implements ChunkStore {
    private static final long serialVersionUID = 1L;

    /** Kept as a string: java.nio.file.Path is not serializable. */
    private final String dir;

    LocalChunkStore(Path dir) {
        this.dir = dir.toString();
    }

    private Path file(String key) {
        return Path.of(dir).resolve(key);
    }

    @Override
    public byte[] read(String key) throws IOException {
        try {
            return Files.readAllBytes(file(key));
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void write(String key, byte[] data, int length) throws IOException {
        Path target = file(key);
        Path parent = target.getParent();
        if (key.indexOf('/') >= 0) {
            Files.createDirectories(parent);
        }
        // A hidden name in the same folder: rename within one file system is atomic, and zarr ignores dot files.
        Path tmp = parent.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".partial");
        boolean moved = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(data, 0, length);
                while (buf.hasRemaining()) {
                    ch.write(buf);
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

    @Override
    public boolean exists(String key) {
        return Files.exists(file(key));
    }

    @Override
    public void createRoot() throws IOException {
        Files.createDirectories(Path.of(dir));
    }

    @Override
    public ChunkStore child(String name) {
        return new LocalChunkStore(Path.of(dir).resolve(name));
    }

    @Override
    public String root() {
        return dir;
    }

    @Override
    public String location(String key) {
        return file(key).toString();
    }
}
