package org.fieldwork.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.EtagSource;
import org.apache.hadoop.fs.FileStatus;

/**
 * Which version of an input file a unit read, as far as the store can tell without reading it: the
 * size and modification time, plus the change time and inode of a local file (which an edit that
 * keeps the size, or a copy that keeps the modification time, still changes) and the ETag and
 * version id of an object. Two equal strings: the same file, unchanged.
 */
public final class InputVersion {
    private InputVersion() {
    }

    /** The version of a local path or an object. */
    public static String of(Storage storage, String path) throws IOException {
        if (Storage.isLocal(path)) {
            return ofLocal(Storage.localPath(path));
        }
        return of(storage.fileSystem(path).getFileStatus(new org.apache.hadoop.fs.Path(path)));
    }

    /** A local file's version: size, modification and change time (nanoseconds), inode. */
    public static String ofLocal(Path file) throws IOException {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino");
            return "size=" + a.get("size") + ",mtime=" + nanos(a.get("lastModifiedTime")) + ",ctime=" + nanos(a.get("ctime"))
                    + ",ino=" + a.get("ino");
        } catch (UnsupportedOperationException | IllegalArgumentException noUnixView) {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return "size=" + a.size() + ",mtime=" + nanos(a.lastModifiedTime());
        }
    }

    /** A Hadoop file status's version: size, modification time, and the ETag and version id where the store has them. */
    public static String of(FileStatus status) {
        StringBuilder sb = new StringBuilder("size=").append(status.getLen()).append(",mtime=").append(status.getModificationTime());
        if (status instanceof EtagSource e && e.getEtag() != null && !e.getEtag().isEmpty()) {
            sb.append(",etag=").append(e.getEtag());
        }
        String versionId = versionId(status);
        if (versionId != null && !versionId.isEmpty()) {
            sb.append(",version=").append(versionId);
        }
        return sb.toString();
    }

    /** An S3A status's object version (versioned buckets), looked up by name: hadoop-aws is optional here. */
    private static String versionId(FileStatus status) {
        try {
            Object v = status.getClass().getMethod("getVersionId").invoke(status);
            return v instanceof String s ? s : null;
        } catch (ReflectiveOperationException | RuntimeException none) {
            return null;
        }
    }

    private static long nanos(Object time) {
        return time instanceof FileTime t ? t.to(TimeUnit.NANOSECONDS) : 0;
    }
}
