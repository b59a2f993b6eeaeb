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
    private static final Pattern NAME = Pattern.compile("fieldwork-(\\d+)");

    private TempFolders() {
    }

    /**
     * When this process runs in a folder the launcher made for it, removes its siblings whose
     * processes are gone; returns how many. The folder is named after the launcher's process: this
     * JVM, which the launcher became, or this JVM's parent, where the launcher waits for it (a run
     * that records the class archive, the first after a build).
     */
    static int removeAbandoned() {
        Path own = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Matcher m = NAME.matcher(own.getFileName() == null ? "" : own.getFileName().toString());
        if (!m.matches() || own.getParent() == null) {
            return 0;
        }
        long launcher = Long.parseLong(m.group(1));
        ProcessHandle self = ProcessHandle.current();
        if (launcher != self.pid() && self.parent().map(ProcessHandle::pid).orElse(-1L) != launcher) {
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
            log().debug("could not look for abandoned temporary folders: {}", e.toString());
        }
        return removed;
    }

    /** Whether the process that made the folder may still use it (a reused pid only delays the clean-up). */
    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Set once Spark has started: its own clean-up then runs first, in Hadoop's hook manager. */
    private static volatile boolean afterSpark;

    /**
     * Removes this command's own folder once the JVM ends. A command that never starts Spark (a local
     * SEG-Y import) does so from a plain shutdown hook, without loading Hadoop's hook manager.
     */
    static void removeOwnAtExit() {
        Path own = ownFolder();
        if (own == null || Fieldwork.shuttingDown()) {
            return;
        }
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                if (!afterSpark && !flightRecording()) {
                    deleteTree(own);
                }
            }, "fieldwork-temp-folder"));
        } catch (IllegalStateException exiting) {
            // The command ended first: the next one removes the folder.
        }
    }

    /**
     * Once Spark runs in this JVM: the folder goes after Spark's own temp-dir clean-up (priority 25
     * in Hadoop's hook manager, which runs hooks in order of priority).
     */
    static void removeOwnAfterSpark() {
        Path own = ownFolder();
        if (own == null || afterSpark || Fieldwork.shuttingDown() || flightRecording()) {
            return;
        }
        try {
            org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> deleteTree(own), 1);
            afterSpark = true;
        } catch (IllegalStateException exiting) {
            // Shutting down already (its first use then logs a warning with a stack trace): left to the next command.
        }
    }

    /** Looked up when needed: the exit hook is registered before logging has started. */
    private static Logger log() {
        return LoggerFactory.getLogger(TempFolders.class);
    }

    /** This process's own folder, {@code fieldwork-<pid>}; null when the command runs elsewhere. */
    private static Path ownFolder() {
        Path own = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
        Matcher m = NAME.matcher(own.getFileName() == null ? "" : own.getFileName().toString());
        return m.matches() && Long.parseLong(m.group(1)) == ProcessHandle.current().pid() ? own : null;
    }

    /**
     * A flight recording keeps its chunks in the temporary folder and writes the recording after
     * every other hook: that folder is left to the next command.
     */
    private static boolean flightRecording() {
        return java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .anyMatch(a -> a.contains("FlightRecord"));
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            log().debug("could not remove {}: {}", root, e.toString());
        }
    }
}
