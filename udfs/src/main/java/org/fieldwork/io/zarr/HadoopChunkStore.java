package org.fieldwork.io.zarr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.fieldwork.io.Storage;

/**
 * A Zarr node on a Hadoop file system ({@code s3a://}, {@code hdfs://}, ...). On object stores a single
 * PUT is already all-or-nothing and a rename is a copy, so files are written in place; elsewhere they
 * go to a temporary name and are renamed.
 */
final class HadoopChunkStore implements ChunkStore {
    private static final long serialVersionUID = 1L;

    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "oss");

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
        String scheme = fs().getUri().getScheme();
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
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
        Path target = file(key);
        if (isObjectStore()) {
            try (OutputStream out = fs().create(target, true)) {
                out.write(data, 0, length);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".partial");
        boolean renamed = false;
        try {
            try (OutputStream out = fs().create(tmp, false)) {
                out.write(data, 0, length);
            }
            renamed = fs().rename(tmp, target);
            if (!renamed) {
                // HDFS does not rename over an existing file: drop the old one first (rewrites are rare).
                fs().delete(target, false);
                renamed = fs().rename(tmp, target);
                if (!renamed) {
                    throw new IOException("could not rename " + tmp + " to " + target);
                }
            }
        } finally {
            if (!renamed) {
                fs().delete(tmp, false);
            }
        }
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
