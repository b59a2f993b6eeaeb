package org.fieldwork.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * submit/fieldwork gives every command a temporary folder of its own, {@code $TMPDIR/fieldwork-<pid>}
 * (its java.io.tmpdir, hence Spark's {@code spark-*} and {@code blockmgr-*} folders and the native
 * libraries that jars extract). A run killed with SIGKILL cannot clean up after itself; the next
 * command removes the folders of processes that are gone.
 */
final class TempFolders {
    private static final Logger LOG = LoggerFactory.getLogger(TempFolders.class);
    private static final Pattern NAME = Pattern.compile("fieldwork-(\\d+)");

    private TempFolders() {
    }

    /**
     * When this process runs in a folder of its own, removes its siblings whose processes are gone;
     * returns how many.
     */
    static int removeAbandoned() {
        Path own = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Matcher m = NAME.matcher(own.getFileName() == null ? "" : own.getFileName().toString());
        if (!m.matches() || Long.parseLong(m.group(1)) != ProcessHandle.current().pid() || own.getParent() == null) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> siblings = Files.list(own.getParent())) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                Matcher s = NAME.matcher(p.getFileName().toString());
                if (s.matches() && !p.equals(own) && Files.isDirectory(p) && !alive(Long.parseLong(s.group(1)))) {
                    deleteTree(p);
                    removed++;
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not look for abandoned temporary folders: {}", e.toString());
        }
        return removed;
    }

    /** Whether the process that made the folder may still use it (a reused pid only delays the clean-up). */
    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Removes this command's own folder once the JVM ends, after Spark has removed what it put there. */
    static void removeOwnAtExit() {
        Path own = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Matcher m = NAME.matcher(own.getFileName() == null ? "" : own.getFileName().toString());
        if (!m.matches() || Long.parseLong(m.group(1)) != ProcessHandle.current().pid()) {
            return;
        }
        // Hadoop's hook manager runs its hooks in order of priority; Spark's temp-dir clean-up has 25.
        // (Its first use during a shutdown logs a warning with a stack trace: not then.)
        if (Fieldwork.shuttingDown()) {
            return;
        }
        // A flight recording keeps its chunks in the temporary folder and writes the recording after
        // every other hook: that folder is left to the next command.
        if (java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("FlightRecord"))) {
            return;
        }
        try {
            org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> deleteTree(own), 1);
        } catch (IllegalStateException exiting) {
            // The command ended first: the next one removes the folder.
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not remove {}: {}", root, e.toString());
        }
    }
}
