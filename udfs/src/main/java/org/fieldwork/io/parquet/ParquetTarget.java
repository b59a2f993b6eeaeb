package org.fieldwork.io.parquet;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.fieldwork.io.Storage;

/**
 * Where one Parquet file Fieldwork writes goes, and how it appears. A local file is written under a
 * temporary name beside its own and renamed when finished, so a reader sees the whole file or none
 * (and no Hadoop .crc side files); on an object store the upload is the commit. A table an earlier
 * version wrote with Spark (a folder of part files under the same name) is replaced.
 */
final class ParquetTarget {
    private final String path;
    private final Storage storage;
    private final Path localTarget;
    private final Path localTemp;
    private final LocalFile localFile;
    private final OutputFile file;

    private ParquetTarget(String path, Storage storage) throws IOException {
        this.path = path;
        this.storage = storage;
        if (Storage.isLocal(path)) {
            localTarget = Storage.localPath(path);
            Files.createDirectories(localTarget.toAbsolutePath().getParent());
            localTemp = localTarget.resolveSibling("." + localTarget.getFileName() + "." + UUID.randomUUID() + ".tmp");
            localFile = new LocalFile(localTemp);
            file = localFile;
        } else {
            localTarget = null;
            localTemp = null;
            localFile = null;
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            org.apache.hadoop.fs.FileSystem fs = p.getFileSystem(storage.hadoopConfiguration());
            if (fs.exists(p) && fs.getFileStatus(p).isDirectory()) {
                fs.delete(p, true);
            }
            file = HadoopOutputFile.fromPath(p, storage.hadoopConfiguration());
        }
    }

    static ParquetTarget open(Storage storage, String path) throws IOException {
        return new ParquetTarget(path, storage);
    }

    /** What parquet-mr writes to. */
    OutputFile file() {
        return file;
    }

    /** The file is finished: it appears under its name. */
    void commit() throws IOException {
        if (localTemp == null) {
            return;
        }
        if (Files.isDirectory(localTarget)) {
            deleteTree(localTarget);
        }
        Files.move(localTemp, localTarget, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Gives up: nothing appears under the file's name (an object store's partial upload is removed). */
    void abort() {
        try {
            if (localFile != null) {
                localFile.closeQuietly();
                Files.deleteIfExists(localTemp);
            } else {
                org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
                p.getFileSystem(storage.hadoopConfiguration()).delete(p, false);
            }
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the writer is failing already, and a re-run overwrites the file.
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Parquet output straight to a local file. */
    private static final class LocalFile implements OutputFile {
        private final Path path;
        private OutputStream opened;

        LocalFile(Path path) {
            this.path = path;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            opened = Files.newOutputStream(path);
            return stream(opened);
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        void closeQuietly() {
            try {
                if (opened != null) {
                    opened.close();
                }
            } catch (IOException ignored) {
                // the file is deleted next
            }
        }

        private static PositionOutputStream stream(OutputStream raw) {
            OutputStream out = new java.io.BufferedOutputStream(raw, 1 << 16);
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }
}
