package org.fieldwork.cli;

import picocli.CommandLine.Option;

/** Options every job command shares: how a run treats earlier runs, other runs, and the console. */
public final class RunOptions {
    @Option(names = "--fresh", description = "Start over: forget which units earlier runs into OUT finished, and redo them all.")
    boolean fresh;

    @Option(names = "--break-lock", description = "Take OUT even though another run's lock is there (only when that run"
            + " is known to be gone: a lock from a dead process on this host, or one without a heartbeat for"
            + " 5 minutes, is taken over without it).")
    boolean breakLock;

    @Option(names = "--no-progress", description = "No console progress bar.")
    boolean noProgress;
}
