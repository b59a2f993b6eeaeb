package org.fieldwork.io;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The one way processing code reaches files, local or {@code s3a://}: a serializable set of Hadoop
 * settings (S3 endpoint, credentials, ...) that travels to tasks and opens the right file system
 * there. Hadoop's {@link Configuration} itself is not serializable, hence the copy of its entries.
 */
public final class Storage implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<String, String> settings;

    private Storage(Map<String, String> settings) {
        this.settings = new TreeMap<>(settings);
    }

    /** Local files only, or s3a with the default credential chain. */
    public static Storage defaults() {
        return new Storage(Map.of());
    }

    /** Storage with these Hadoop settings (for example the fs.s3a.* keys). */
    public static Storage of(Map<String, String> settings) {
        return new Storage(settings);
    }

    /** Every entry of a Hadoop configuration that differs from Hadoop's defaults is not known here, so take the fs.* keys. */
    public static Storage fromHadoop(Configuration conf) {
        TreeMap<String, String> kept = new TreeMap<>();
        for (Map.Entry<String, String> e : conf) {
            if (e.getKey().startsWith("fs.")) {
                kept.put(e.getKey(), e.getValue());
            }
        }
        return new Storage(kept);
    }

    public Map<String, String> settings() {
        return java.util.Collections.unmodifiableMap(settings);
    }

    public Configuration hadoopConfiguration() {
        Configuration conf = new Configuration();
        settings.forEach(conf::set);
        return conf;
    }

    /** True for paths without a scheme or with {@code file:}. */
    public static boolean isLocal(String path) {
        URI uri = toUri(path);
        return uri.getScheme() == null || "file".equals(uri.getScheme());
    }

    /** A local path as a NIO path; fails for remote paths. */
    public static java.nio.file.Path localPath(String path) {
        URI uri = toUri(path);
        if (uri.getScheme() == null) {
            return java.nio.file.Path.of(path);
        }
        if ("file".equals(uri.getScheme())) {
            return java.nio.file.Path.of(uri);
        }
        throw new IllegalArgumentException("not a local path: " + path);
    }

    public FileSystem fileSystem(String path) throws IOException {
        return new Path(path).getFileSystem(hadoopConfiguration());
    }

    /** Random-access reader over a local file or an object. */
    public SeekableInput openInput(String path) throws IOException {
        if (isLocal(path)) {
            return SeekableInput.local(localPath(path));
        }
        FileSystem fs = fileSystem(path);
        Path p = new Path(path);
        return SeekableInput.hadoop(fs.open(p), fs.getFileStatus(p).getLen(), path);
    }

    /** Joins a child name to a local path or URI without losing the scheme. */
    public static String join(String parent, String child) {
        if (parent.endsWith("/")) {
            return parent + child;
        }
        return parent + "/" + child;
    }

    private static URI toUri(String path) {
        if (path.length() > 1 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            return URI.create("file:///" + path.replace('\\', '/'));
        }
        try {
            return new Path(path).toUri();
        } catch (IllegalArgumentException e) {
            return java.nio.file.Path.of(path).toUri();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Storage s && s.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }
}
