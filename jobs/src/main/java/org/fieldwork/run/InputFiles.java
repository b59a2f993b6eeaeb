package org.fieldwork.run;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
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

    private static boolean matches(String name, List<String> suffixes) {
        String n = name.toLowerCase(Locale.ROOT);
        return suffixes.stream().anyMatch(n::endsWith);
    }
}
