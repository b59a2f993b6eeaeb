package org.fieldwork.io.zarr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.fieldwork.io.OutputFiles;

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
        write(key, new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(data, 0, length)});
    }

    @Override
    public void write(String key, java.nio.ByteBuffer[] pieces) throws IOException {
        Path target = file(key);
        if (key.indexOf('/') >= 0) {
            Files.createDirectories(target.getParent());
        }
        OutputFiles.writeLocal(target, pieces, true);   // chunks are bulk output
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
