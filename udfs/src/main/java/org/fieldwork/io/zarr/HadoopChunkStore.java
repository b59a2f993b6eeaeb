package org.fieldwork.io.zarr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;

/**
 * A Zarr node on a Hadoop file system ({@code s3a://}, {@code hdfs://}, ...). On object stores a single
 * PUT is already all-or-nothing and a rename is a copy, so files are written in place; elsewhere they
 * go to a temporary name and are renamed.
 */
final class HadoopChunkStore implements ChunkStore {
    private static final long serialVersionUID = 1L;


    private final Storage storage;
    private final String root;
    private transient FileSystem fs;

    HadoopChunkStore(Storage storage, String root) {
        this.storage = storage;
        this.root = root;
    }

    private FileSystem fs() throws IOException {
        if (fs == null) {
            // Hadoop caches FileSystem instances per scheme and settings, so this is cheap after the first call.
            fs = storage.fileSystem(root);
        }
        return fs;
    }

    private Path file(String key) {
        return new Path(Storage.join(root, key));
    }

    private boolean isObjectStore() throws IOException {
        return OutputFiles.isObjectStore(fs());
    }

    @Override
    public byte[] read(String key) throws IOException {
        try (InputStream in = fs().open(file(key))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    @Override
    public void write(String key, byte[] data, int length) throws IOException {
        OutputFiles.writeHadoop(fs(), file(key), data, length);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return fs().exists(file(key));
    }

    @Override
    public void createRoot() throws IOException {
        if (!isObjectStore()) {
            fs().mkdirs(new Path(root));
        }
    }

    @Override
    public ChunkStore child(String name) {
        return new HadoopChunkStore(storage, Storage.join(root, name));
    }

    @Override
    public String root() {
        return root;
    }
}
