package org.fieldwork.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.fieldwork.io.InputVersion;
import org.fieldwork.io.Storage;

/** The input files of a run given a file or a folder, local or in a store: what every file-based job plans from. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * The file itself, or every file directly in the folder whose name ends with one of the suffixes
     * (case-insensitive), sorted by name.
     *
     * @param kind how the files are called in the message for a folder without any, e.g. "*.sgy or *.segy"
     */
    public static List<String> list(Storage storage, String input, List<String> suffixes, String kind) throws IOException {
        List<String> files = new ArrayList<>();
        if (Storage.isLocal(input)) {
            // The local disk directly: Hadoop's local file system starts its user and group machinery first.
            java.nio.file.Path p = Storage.localPath(input);
            if (!java.nio.file.Files.exists(p)) {
                throw new IllegalArgumentException(input + ": no such file or folder");
            }
            if (!java.nio.file.Files.isDirectory(p)) {
                return List.of(input);
            }
            try (var s = java.nio.file.Files.list(p)) {
                s.filter(java.nio.file.Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(n -> matches(n, suffixes))
                        .forEach(n -> files.add(Storage.join(input, n)));
            }
        } else {
            FileSystem fs = storage.fileSystem(input);
            Path p = new Path(input);
            if (!fs.exists(p)) {
                throw new IllegalArgumentException(input + ": no such file or folder");
            }
            if (fs.getFileStatus(p).isFile()) {
                return List.of(input);
            }
            for (FileStatus st : fs.listStatus(p)) {
                if (st.isFile() && matches(st.getPath().getName(), suffixes)) {
                    files.add(Storage.join(input, st.getPath().getName()));
                }
            }
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException(input + ": folder holds no " + kind + " files");
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    /**
     * A file found below one of the inputs: where every executor opens it, its path below the input
     * it was found in (its name for a file given directly), its size and version.
     */
    public record Found(String location, String relative, long bytes, String version) {
    }

    /**
     * The files given, and every file below the folders given (all levels), whose name ends with one
     * of the suffixes; in the order given, each folder's files sorted by path. Files below {@code exclude}
     * (a run's output folder inside its input) are left out; a file given twice is listed once.
     *
     * @param kind how the files are called in the message for inputs without any, e.g. "image"
     */
    public static List<Found> tree(Storage storage, List<String> inputs, List<String> suffixes, String kind,
            String exclude) throws IOException {
        List<Found> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        String skip = exclude == null ? null : normalized(exclude) + "/";
        for (String input : inputs) {
            List<Found> found = new ArrayList<>();
            if (Storage.isLocal(input)) {
                java.nio.file.Path root = Storage.localPath(input);
                if (!java.nio.file.Files.exists(root)) {
                    throw new IllegalArgumentException(input + ": no such file or folder");
                }
                if (!java.nio.file.Files.isDirectory(root)) {
                    found.add(new Found(input, root.getFileName().toString(), java.nio.file.Files.size(root),
                            InputVersion.ofLocal(root)));
                } else {
                    try (var s = java.nio.file.Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
                        for (java.nio.file.Path f : s.filter(java.nio.file.Files::isRegularFile).toList()) {
                            String rel = root.relativize(f).toString().replace('\\', '/');
                            if (matches(f.getFileName().toString(), suffixes) && !hidden(rel)) {
                                found.add(new Found(Storage.join(input, rel), rel, java.nio.file.Files.size(f),
                                        InputVersion.ofLocal(f)));
                            }
                        }
                    }
                }
            } else {
                FileSystem fs = storage.fileSystem(input);
                Path p = new Path(input);
                if (!fs.exists(p)) {
                    throw new IllegalArgumentException(input + ": no such file or folder");
                }
                FileStatus status = fs.getFileStatus(p);
                if (status.isFile()) {
                    found.add(new Found(input, p.getName(), status.getLen(), InputVersion.of(status)));
                } else {
                    String base = p.toUri().getPath().replaceAll("/+$", "");
                    RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
                    while (it.hasNext()) {
                        LocatedFileStatus f = it.next();
                        String rel = f.getPath().toUri().getPath().substring(base.length()).replaceAll("^/+", "");
                        if (matches(f.getPath().getName(), suffixes) && !hidden(rel)) {
                            found.add(new Found(Storage.join(input, rel), rel, f.getLen(), InputVersion.of(f)));
                        }
                    }
                }
            }
            found.sort(Comparator.comparing(Found::relative));
            for (Found f : found) {
                String key = normalized(f.location());
                if ((skip == null || !key.startsWith(skip)) && seen.add(key)) {
                    out.add(f);
                }
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(String.join(", ", inputs) + ": no " + kind + " files ("
                    + String.join(", ", suffixes) + ") there");
        }
        return out;
    }

    /** Names starting with "." or "_" (editor and Spark side files, our own _signals parts) are not inputs. */
    private static boolean hidden(String relative) {
        for (String part : relative.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** A location comparable with another: local paths absolute and normalized, URIs without a trailing slash. */
    private static String normalized(String location) {
        if (Storage.isLocal(location)) {
            return Storage.localPath(location).toAbsolutePath().normalize().toString();
        }
        return location.replaceAll("/+$", "");
    }

    private static boolean matches(String name, List<String> suffixes) {
        String n = name.toLowerCase(Locale.ROOT);
        return suffixes.stream().anyMatch(n::endsWith);
    }

    /**
     * Each file's name in a job's outputs (an image's pictures, a movie's average): its path below its input without the extension ("a", "ward3/a"
     * as "ward3~a"); with the extension where two files differ only in it; numbered where two inputs
     * hold the same path.
     */
    public static List<String> keys(List<InputFiles.Found> found) {
        Map<String, Integer> stems = new HashMap<>();
        for (InputFiles.Found f : found) {
            stems.merge(safe(withoutExtension(f.relative())), 1, Integer::sum);
        }
        Map<String, Integer> used = new HashMap<>();
        List<String> keys = new ArrayList<>();
        for (InputFiles.Found f : found) {
            String stem = safe(withoutExtension(f.relative()));
            String key = stems.get(stem) > 1 ? safe(f.relative()) : stem;
            int n = used.merge(key, 1, Integer::sum);
            keys.add(n == 1 ? key : key + "-" + n);
        }
        return keys;
    }

    static String withoutExtension(String relative) {
        int slash = relative.lastIndexOf('/');
        int dot = relative.lastIndexOf('.');
        return dot > slash + 1 ? relative.substring(0, dot) : relative;
    }

    static String safe(String relative) {
        String s = relative.replace('/', '~').replaceAll("[^A-Za-z0-9._~-]", "_");
        return s.length() > 120 ? s.substring(s.length() - 120) : s;
    }
}
