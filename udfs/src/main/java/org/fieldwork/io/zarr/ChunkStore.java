package org.fieldwork.io.zarr;

import java.io.IOException;
import java.io.Serializable;

import org.fieldwork.io.Storage;

/**
 * The files of one Zarr node (array or group), addressed by key ({@code .zarray}, {@code 0.3}).
 * Serializable so an opened array can travel to Spark tasks; each side reopens its file system.
 */
interface ChunkStore extends Serializable {

    /** Local paths go through java.nio (no Hadoop .crc files); everything else through Hadoop's FileSystem. */
    static ChunkStore open(Storage storage, String path) {
        if (Storage.isLocal(path)) {
            return new LocalChunkStore(Storage.localPath(path));
        }
        return new HadoopChunkStore(storage, path);
    }

    /** The whole file, or null when there is none. */
    byte[] read(String key) throws IOException;

    /**
     * Replaces the file with {@code data[0..length)} so that a reader sees either the old file, no file,
     * or the whole new one, never part of it.
     */
    void write(String key, byte[] data, int length) throws IOException;

    /** {@link #write(String, byte[], int)} for the remaining bytes of {@code data} (left as it was). */
    default void write(String key, java.nio.ByteBuffer data) throws IOException {
        write(key, new java.nio.ByteBuffer[] {data});
    }

    /**
     * {@link #write(String, byte[], int)} for the remaining bytes of {@code pieces}, one after another
     * (left as they were). Stores that copy anyway take the pieces as they are; this default joins
     * them into one array (none when a single heap buffer starts its array).
     */
    default void write(String key, java.nio.ByteBuffer[] pieces) throws IOException {
        if (pieces.length == 1 && pieces[0].hasArray() && pieces[0].arrayOffset() + pieces[0].position() == 0) {
            write(key, pieces[0].array(), pieces[0].remaining());
            return;
        }
        long total = 0;
        for (java.nio.ByteBuffer p : pieces) {
            total += p.remaining();
        }
        byte[] bytes = new byte[Math.toIntExact(total)];
        java.nio.ByteBuffer all = java.nio.ByteBuffer.wrap(bytes);
        for (java.nio.ByteBuffer p : pieces) {
            all.put(p.duplicate());
        }
        write(key, bytes, bytes.length);
    }

    boolean exists(String key) throws IOException;

    /** Makes the node's folder where the file system has folders. */
    void createRoot() throws IOException;

    /** The store of a child node (a member of a group). */
    ChunkStore child(String name);

    /** The node's path or URI as the user gave it. */
    String root();

    /** The full path of a key, for error messages. */
    default String location(String key) {
        return Storage.join(root(), key);
    }
}
