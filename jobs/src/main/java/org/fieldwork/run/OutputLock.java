package org.fieldwork.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per output folder. A run holds a lease, {@code <out>/_lock/<run id>.json} (job, user,
 * host, pid, start time, last heartbeat), written before anything else and refreshed while it runs.
 * It holds the folder only if, once its lease is written, no other live lease is listed there: two
 * runs that start together both see each other, and (unless both are new, when they back off and
 * try again) the later one gives way. The rule needs only atomic single-file writes and listings
 * that show them, so it holds on local disks, HDFS and object stores alike.
 *
 * <p>A lease is abandoned when its process is gone (same host: the pid no longer runs, or runs
 * another program), when its heartbeat is older than {@link #STALE_AFTER} (another host), or when the
 * user says so ({@code --break-lock}); an abandoned lease is removed and the folder taken over. A
 * run whose own lease disappears (broken by another) is told through {@code onLost} and stops.
 */
public final class OutputLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutputLock.class);

    public static final String DIR = "_lock";
    /** A lease from another host without a heartbeat for this long is abandoned. */
    public static final Duration STALE_AFTER = Duration.ofMinutes(5);
    static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /** Two leases younger than this that see each other are runs starting together: both back off once. */
    private static final Duration STARTING = Duration.ofSeconds(10);

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** What a lease file says. */
    public record Lease(String runId, String job, String user, String host, long pid, long processStartMillis,
                        long startedMillis, long heartbeatMillis) {

        String describe() {
            return job + " (started " + Instant.ofEpochMilli(startedMillis) + " by " + user + " on " + host + ", pid " + pid + ")";
        }
    }

    /** The folder is held by another live run. */
    public static final class HeldException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        HeldException(String message) {
            super(message);
        }
    }

    private final Storage storage;
    private final OutputFiles files;
    private final String outputDir;
    private final String path;
    private final boolean createdFolder;
    private volatile Lease lease;
    private final Thread heartbeat;
    private volatile boolean closed;

    private OutputLock(Storage storage, OutputFiles files, String outputDir, Lease lease, boolean createdFolder,
            Runnable onLost) {
        this.storage = storage;
        this.files = files;
        this.outputDir = outputDir;
        this.path = leasePath(outputDir, lease.runId());
        this.lease = lease;
        this.createdFolder = createdFolder;
        this.heartbeat = new Thread(() -> beat(onLost), "fieldwork-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    /**
     * Takes the output folder for this run, or throws {@link HeldException} naming the run that
     * holds it. {@code breakLock} takes it from any other run, live or not.
     */
    public static OutputLock acquire(Storage storage, String outputDir, String job, boolean breakLock, Runnable onLost)
            throws IOException {
        OutputFiles files = new OutputFiles(storage);
        boolean created = Storage.isLocal(outputDir) && !Files.exists(Storage.localPath(outputDir));
        Lease mine = newLease(job);
        for (int attempt = 0; ; attempt++) {
            long now = System.currentTimeMillis();
            mine = new Lease(mine.runId(), job, mine.user(), mine.host(), mine.pid(), mine.processStartMillis(), now, now);
            write(files, outputDir, mine);
            List<Lease> live = new ArrayList<>();
            for (Lease other : leases(files, outputDir, mine.runId())) {
                String abandoned = breakLock ? "--break-lock" : abandoned(other, now);
                if (abandoned != null) {
                    LOG.warn("{}: taking over from {}: {}", outputDir, other.describe(), abandoned);
                    files.delete(leasePath(outputDir, other.runId()));
                } else {
                    live.add(other);
                }
            }
            if (live.isEmpty()) {
                return new OutputLock(storage, files, outputDir, mine, created, onLost);
            }
            files.delete(leasePath(outputDir, mine.runId()));
            boolean allStarting = live.stream().allMatch(l -> now - l.startedMillis() < STARTING.toMillis());
            if (!allStarting || attempt >= 4) {
                Lease holder = live.get(0);
                throw new HeldException(outputDir + ": in use by another run, " + holder.describe()
                        + "; wait for it to finish, or give --break-lock if it is gone");
            }
            try {
                Thread.sleep(ThreadLocalRandom.current().nextLong(50, 400));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(outputDir + ": interrupted while taking the lock", e);
            }
        }
    }

    /** Why a lease is abandoned, or null when its run may still be writing. */
    static String abandoned(Lease other, long now) {
        if (other.host().equals(hostName())) {
            var process = ProcessHandle.of(other.pid());
            if (process.isEmpty()) {
                return "process " + other.pid() + " is gone";
            }
            long start = process.get().info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
            if (start > 0 && other.processStartMillis() > 0 && Math.abs(start - other.processStartMillis()) > 2000) {
                return "pid " + other.pid() + " now belongs to another process";
            }
            return null;
        }
        if (now - other.heartbeatMillis() > STALE_AFTER.toMillis()) {
            return "no heartbeat for " + Duration.ofMillis(now - other.heartbeatMillis()).toSeconds() + " s";
        }
        return null;
    }

    /** Every readable lease in the folder but {@code except}'s (a half-written or foreign file is not a lease). */
    static List<Lease> leases(OutputFiles files, String outputDir, String except) throws IOException {
        List<Lease> out = new ArrayList<>();
        String dir = Storage.join(outputDir, DIR);
        for (String name : files.list(dir)) {
            if (!name.endsWith(".json") || name.startsWith(".") || name.equals(except + ".json")) {
                continue;
            }
            try {
                out.add(JSON.readValue(files.read(Storage.join(dir, name)), Lease.class));
            } catch (IOException unreadable) {
                LOG.debug("{}: not a lease: {}", name, unreadable.toString());
            }
        }
        return out;
    }

    static Lease newLease(String job) {
        ProcessHandle self = ProcessHandle.current();
        long now = System.currentTimeMillis();
        return new Lease(UUID.randomUUID().toString(), job, System.getProperty("user.name", "?"), hostName(), self.pid(),
                self.info().startInstant().map(Instant::toEpochMilli).orElse(0L), now, now);
    }

    static void write(OutputFiles files, String outputDir, Lease lease) throws IOException {
        files.writeAtomically(leasePath(outputDir, lease.runId()), JSON.writeValueAsBytes(lease));
    }

    private static String leasePath(String outputDir, String runId) {
        return Storage.join(Storage.join(outputDir, DIR), runId + ".json");
    }

    private static volatile String host;

    /** This machine's name, as leases record it. */
    static String hostName() {
        if (host == null) {
            String h = null;
            try {
                h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
            } catch (IOException | RuntimeException notLinux) {
                try {
                    h = java.net.InetAddress.getLocalHost().getHostName();
                } catch (IOException unknown) {
                    h = "localhost";
                }
            }
            host = h.isEmpty() ? "localhost" : h;
        }
        return host;
    }

    private void beat(Runnable onLost) {
        while (!closed) {
            try {
                Thread.sleep(HEARTBEAT.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (!closed && !refresh()) {
                onLost.run();
                return;
            }
        }
    }

    /** Writes a new heartbeat into this run's lease; false when the lease is gone (broken by another run). */
    boolean refresh() {
        try {
            if (!files.exists(path)) {
                LOG.error("{}: this run's lock was removed (--break-lock by another run?); stopping", outputDir);
                return false;
            }
            Lease l = lease;
            lease = new Lease(l.runId(), l.job(), l.user(), l.host(), l.pid(), l.processStartMillis(), l.startedMillis(),
                    System.currentTimeMillis());
            write(files, outputDir, lease);
        } catch (IOException | RuntimeException e) {
            LOG.warn("{}: could not refresh the lock: {}", outputDir, e.toString());
        }
        return true;
    }

    /** This run's lease. */
    public Lease lease() {
        return lease;
    }

    /**
     * Gives the folder up. With {@code failedBeforeWriting} (planning failed), a folder this run
     * created is removed again if nothing else was put there.
     */
    public void release(boolean failedBeforeWriting) {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.interrupt();
        try {
            heartbeat.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            files.delete(path);
            if (Storage.isLocal(outputDir)) {
                Path out = Storage.localPath(outputDir);
                deleteIfEmpty(out.resolve(DIR));
                if (failedBeforeWriting && createdFolder) {
                    deleteIfEmpty(out);
                }
            } else {
                // The folder marker an object store may leave; a non-recursive delete keeps other runs' leases.
                try {
                    storage.fileSystem(outputDir).delete(new org.apache.hadoop.fs.Path(Storage.join(outputDir, DIR)), false);
                } catch (IOException notEmpty) {
                    LOG.debug("{}: lock folder kept: {}", outputDir, notEmpty.toString());
                }
            }
        } catch (IOException e) {
            LOG.warn("{}: could not remove this run's lock: {}", outputDir, e.toString());
        }
    }

    private static void deleteIfEmpty(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            if (s.findAny().isEmpty()) {
                Files.deleteIfExists(dir);
            }
        } catch (java.nio.file.NoSuchFileException | java.nio.file.DirectoryNotEmptyException gone) {
            // someone else's now
        }
    }

    @Override
    public void close() {
        release(false);
    }
}
