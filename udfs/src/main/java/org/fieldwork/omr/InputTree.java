package org.fieldwork.omr;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.fieldwork.io.InputVersion;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;

/**
 * Where an OMR input tree's files are read from while its configuration is loaded: the local disk,
 * or a Hadoop file system such as {@code s3a://}. The folder walk and the configuration files work
 * on {@link Path}s; a remote tree maps them to its URIs, so error messages and the CSVs still name
 * the real files.
 */
public interface InputTree {

    /** The walk's starting point in this tree's own paths. */
    Path root();

    boolean isFile(Path p);

    boolean isDirectory(Path p);

    /** Files and folders directly inside {@code dir}, in no particular order. */
    List<Path> list(Path dir);

    byte[] read(Path p) throws IOException;

    long size(Path p);

    /** The file's version ({@link org.fieldwork.io.InputVersion}): a re-run reads it again when this changes. */
    String version(Path p);

    /** The name users know the file by: a local path, or the object's URI. */
    String name(Path p);

    /** The tree's path for a location given as users name it (a local path or a URI), or null outside this tree. */
    Path pathOf(String location);

    /** Files on the local disk, under {@code root} (relative paths stay relative in names). */
    static InputTree local(Path root) {
        return new Local(root);
    }

    /**
     * A tree on any Hadoop file system, listed once up front (one recursive listing instead of a
     * request per folder and file, which matters on object stores).
     */
    static InputTree hadoop(Storage storage, String rootUri) throws IOException {
        return new Listed(storage, rootUri);
    }

    /** Local for plain and file: paths, Hadoop otherwise. */
    static InputTree of(Storage storage, String root) throws IOException {
        return Storage.isLocal(root) ? local(Storage.localPath(root)) : hadoop(storage, root);
    }

    /** The local file system as it is. */
    final class Local implements InputTree {
        private final Path root;

        Local(Path root) {
            this.root = root;
        }

        @Override
        public Path root() {
            return root;
        }

        @Override
        public boolean isFile(Path p) {
            return Files.isRegularFile(p);
        }

        @Override
        public boolean isDirectory(Path p) {
            return Files.isDirectory(p);
        }

        @Override
        public List<Path> list(Path dir) {
            try (Stream<Path> s = Files.list(dir)) {
                return s.toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }

        @Override
        public byte[] read(Path p) throws IOException {
            return Files.readAllBytes(p);
        }

        @Override
        public long size(Path p) {
            try {
                return Files.size(p);
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public String version(Path p) {
            try {
                return InputVersion.ofLocal(p);
            } catch (IOException e) {
                return "";
            }
        }

        @Override
        public String name(Path p) {
            return p.toString();
        }

        @Override
        public Path pathOf(String location) {
            if (!Storage.isLocal(location)) {
                return null;
            }
            Path p = Storage.localPath(location).toAbsolutePath().normalize();
            Path r = root.toAbsolutePath().normalize();
            return p.startsWith(r) ? root.resolve(r.relativize(p)) : null;
        }
    }

    /**
     * A remote tree as one listing: paths are "/" plus the key below the root URI, so the walk's
     * path arithmetic (resolve, relativize, normalize) works unchanged.
     */
    final class Listed implements InputTree {
        private static final Path ROOT = Path.of("/");

        private final String rootUri;
        private final OutputFiles files;
        private final Map<Path, Long> fileSizes = new HashMap<>();
        private final Map<Path, String> versions = new HashMap<>();
        private final Map<Path, List<Path>> children = new HashMap<>();
        private final Set<Path> dirs = new HashSet<>();

        Listed(Storage storage, String rootUri) throws IOException {
            this.rootUri = rootUri.endsWith("/") ? rootUri.substring(0, rootUri.length() - 1) : rootUri;
            this.files = new OutputFiles(storage);
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(this.rootUri);
            FileSystem fs = storage.fileSystem(this.rootUri);
            String prefix;
            try {
                if (!fs.getFileStatus(root).isDirectory()) {
                    throw new IOException(rootUri + ": not a folder");
                }
                prefix = fs.makeQualified(root).toUri().getPath();
            } catch (FileNotFoundException e) {
                throw new FileNotFoundException(rootUri + ": no such folder");
            }
            dirs.add(ROOT);
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus st = it.next();
                String path = st.getPath().toUri().getPath();
                if (!path.startsWith(prefix)) {
                    continue;
                }
                Path p = ROOT.resolve(path.substring(prefix.length()).replaceFirst("^/+", ""));
                fileSizes.put(p, st.getLen());
                versions.put(p, InputVersion.of(st));
                addChild(p);
            }
        }

        private void addChild(Path p) {
            Path parent = p.getParent();
            children.computeIfAbsent(parent, k -> new ArrayList<>()).add(p);
            if (dirs.add(parent)) {
                addChild(parent);
            }
        }

        @Override
        public Path root() {
            return ROOT;
        }

        @Override
        public boolean isFile(Path p) {
            return fileSizes.containsKey(p.toAbsolutePath().normalize());
        }

        @Override
        public boolean isDirectory(Path p) {
            return dirs.contains(p.toAbsolutePath().normalize());
        }

        @Override
        public List<Path> list(Path dir) {
            return List.copyOf(children.getOrDefault(dir.toAbsolutePath().normalize(), List.of()));
        }

        @Override
        public byte[] read(Path p) throws IOException {
            if (!isFile(p)) {
                throw new FileNotFoundException(name(p));
            }
            return files.read(name(p));
        }

        @Override
        public long size(Path p) {
            return fileSizes.getOrDefault(p.toAbsolutePath().normalize(), 0L);
        }

        @Override
        public String version(Path p) {
            return versions.getOrDefault(p.toAbsolutePath().normalize(), "");
        }

        @Override
        public String name(Path p) {
            String rel = ROOT.relativize(p.toAbsolutePath().normalize()).toString();
            return rel.isEmpty() ? rootUri : rootUri + "/" + rel;
        }

        @Override
        public Path pathOf(String location) {
            String l = location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
            if (l.equals(rootUri)) {
                return ROOT;
            }
            return l.startsWith(rootUri + "/") ? ROOT.resolve(l.substring(rootUri.length() + 1)) : null;
        }
    }
}
