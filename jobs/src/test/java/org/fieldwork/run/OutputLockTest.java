package org.fieldwork.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per output folder: held, taken over when abandoned, broken on request, released cleanly. */
class OutputLockTest {
    private static final Storage LOCAL = Storage.defaults();

    private static OutputLock.Lease lease(String runId, String host, long pid, long heartbeatMillis) {
        return new OutputLock.Lease(runId, "segy-import", "someone", host, pid, 0, heartbeatMillis, heartbeatMillis);
    }

    @Test
    void aSecondRunIsRefusedWithOneLineNamingTheHolder(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("out").toString();
        try (OutputLock first = OutputLock.acquire(LOCAL, out, "segy-import", false, () -> { })) {
            OutputLock.HeldException e = assertThrows(OutputLock.HeldException.class,
                    () -> OutputLock.acquire(LOCAL, out, "omr", false, () -> { }));
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
            assertTrue(e.getMessage().startsWith(out + ": in use by another run, segy-import"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains(OutputLock.hostName()), e.getMessage());
            assertTrue(e.getMessage().contains("--break-lock"), e.getMessage());
            assertEquals(1, OutputLock.leases(new OutputFiles(LOCAL), out, "").size(), "the refused run left no lease");
        }
        assertFalse(Files.exists(tmp.resolve("out").resolve(OutputLock.DIR)), "released: no lock folder left");
        OutputLock.acquire(LOCAL, out, "omr", false, () -> { }).close();
    }

    @Test
    void aLeaseOfAProcessThatIsGoneIsTakenOver(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("out").toString();
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long deadPid = p.pid();
        OutputLock.write(new OutputFiles(LOCAL), out, lease("killed-run", OutputLock.hostName(), deadPid, System.currentTimeMillis()));
        try (OutputLock lock = OutputLock.acquire(LOCAL, out, "segy-import", false, () -> { })) {
            assertEquals(1, OutputLock.leases(new OutputFiles(LOCAL), out, "").size(), "only this run's lease remains");
        }
    }

    @Test
    void anotherHostsLeaseIsTakenOverOnlyWithoutHeartbeatOrWithBreakLock(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("out").toString();
        OutputFiles files = new OutputFiles(LOCAL);
        long now = System.currentTimeMillis();
        OutputLock.write(files, out, lease("elsewhere", "another-host", 42, now - 60_000));
        OutputLock.HeldException held = assertThrows(OutputLock.HeldException.class,
                () -> OutputLock.acquire(LOCAL, out, "omr", false, () -> { }));
        assertTrue(held.getMessage().contains("another-host, pid 42"), held.getMessage());

        OutputLock.write(files, out, lease("elsewhere", "another-host", 42, now - OutputLock.STALE_AFTER.toMillis() - 1000));
        OutputLock.acquire(LOCAL, out, "omr", false, () -> { }).close();
        assertEquals(0, OutputLock.leases(files, out, "").size(), "the stale lease was removed, then this run's released");

        OutputLock.write(files, out, lease("busy", "another-host", 43, System.currentTimeMillis()));
        try (OutputLock broken = OutputLock.acquire(LOCAL, out, "omr", true, () -> { })) {
            assertEquals(1, OutputLock.leases(files, out, "").size());
        }
    }

    @Test
    void aRunWhoseLeaseWasBrokenIsToldToStop(@TempDir Path tmp) throws Exception {
        String out = tmp.resolve("out").toString();
        AtomicBoolean lost = new AtomicBoolean();
        try (OutputLock first = OutputLock.acquire(LOCAL, out, "segy-import", false, () -> lost.set(true))) {
            assertTrue(first.refresh(), "a held lease refreshes");
            try (OutputLock second = OutputLock.acquire(LOCAL, out, "segy-import", true, () -> { })) {
                assertFalse(first.refresh(), "the broken run notices at its next heartbeat");
            }
        }
    }

    @Test
    void aRunThatFailsBeforeWritingLeavesNoFolderItCreated(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("new-out");
        OutputLock.acquire(LOCAL, out.toString(), "omr", false, () -> { }).release(true);
        assertFalse(Files.exists(out));

        Path existing = Files.createDirectories(tmp.resolve("existing"));
        OutputLock.acquire(LOCAL, existing.toString(), "omr", false, () -> { }).release(true);
        assertTrue(Files.isDirectory(existing), "a folder the run did not create stays");
    }
}
