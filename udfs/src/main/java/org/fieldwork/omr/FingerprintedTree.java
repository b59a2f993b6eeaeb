package org.fieldwork.omr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An input tree that remembers a digest of every file read through it. Each combination of
 * configuration files is loaded through one (template, config, evaluation, markers, answer keys),
 * so editing any of them changes the fingerprint of exactly the folders that use it, and a re-run
 * reads those folders' sheets again instead of keeping answers from the old template.
 */
final class FingerprintedTree implements InputTree {
    private final InputTree tree;
    private final Map<String, String> digests = new TreeMap<>();

    FingerprintedTree(InputTree tree) {
        this.tree = tree;
    }

    /** One digest over every file read so far, by name. */
    String fingerprint() {
        MessageDigest md = sha256();
        digests.forEach((name, d) -> md.update((name + "=" + d + "\n").getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(md.digest());
    }

    @Override
    public byte[] read(Path p) throws IOException {
        byte[] bytes = tree.read(p);
        digests.put(tree.name(p), HexFormat.of().formatHex(sha256().digest(bytes)));
        return bytes;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Path root() {
        return tree.root();
    }

    @Override
    public boolean isFile(Path p) {
        return tree.isFile(p);
    }

    @Override
    public boolean isDirectory(Path p) {
        return tree.isDirectory(p);
    }

    @Override
    public List<Path> list(Path dir) {
        return tree.list(dir);
    }

    @Override
    public long size(Path p) {
        return tree.size(p);
    }

    @Override
    public String version(Path p) {
        return tree.version(p);
    }

    @Override
    public String name(Path p) {
        return tree.name(p);
    }

    @Override
    public Path pathOf(String location) {
        return tree.pathOf(location);
    }
}
