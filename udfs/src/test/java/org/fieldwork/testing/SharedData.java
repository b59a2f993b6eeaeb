package org.fieldwork.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real sample data in ../shared/data. Outside CI a test that needs it skips when it is absent;
 * with CI set, absence is a failure, because a skipped test in CI hides a broken set-up.
 */
public final class SharedData {
    private SharedData() {
    }

    public static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !"false".equalsIgnoreCase(ci);
    }

    /** The shared folder: system property fw.shared.dir (set by the build), else ../shared from the working dir. */
    public static Path sharedDir() {
        String prop = System.getProperty("fw.shared.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolveSibling("shared");
            if (Files.isDirectory(candidate.resolve("data"))) {
                return candidate.normalize();
            }
        }
        return null;
    }

    /** A file or folder under shared/data, or skip (fail in CI) when it is missing. */
    public static Path require(String relative) {
        Path dir = sharedDir();
        Path p = dir == null ? null : dir.resolve("data").resolve(relative);
        if (p == null || !Files.exists(p)) {
            String msg = "shared data not found: ../shared/data/" + relative;
            if (inCi()) {
                fail(msg + " (CI is set, so this is a failure, not a skip)");
            }
            assumeTrue(false, msg + "; skipping outside CI");
        }
        return p;
    }
}
