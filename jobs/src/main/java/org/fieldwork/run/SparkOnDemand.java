package org.fieldwork.run;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Spark session a run uses, started only when something needs it. A notebook or service hands
 * in its running session and every run uses Spark tasks. The command line hands in a way to start
 * one: with a local master ({@code local}, {@code local[N]}, {@code local[*]}) the units run on the
 * driver's own threads, which is what local mode's tasks are, and Spark starts only for the steps
 * that need it (a merge that writes through Spark SQL), so a run that needs none pays nothing for it.
 */
public final class SparkOnDemand {
    private static final Logger LOG = LoggerFactory.getLogger(SparkOnDemand.class);
    private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");

    private final Supplier<SparkSession> starter;
    private final int localThreads;
    private volatile SparkSession session;
    private CompletableFuture<SparkSession> starting;

    private SparkOnDemand(SparkSession running, Supplier<SparkSession> starter, int localThreads) {
        this.session = running;
        this.starter = starter;
        this.localThreads = localThreads;
    }

    /** A session that is running already: every run uses Spark tasks. */
    public static SparkOnDemand running(SparkSession session) {
        return new SparkOnDemand(session, () -> session, 0);
    }

    /** A session started on first use; {@code master} decides whether units may run on the driver's threads. */
    public static SparkOnDemand lazy(String master, Supplier<SparkSession> starter) {
        return new SparkOnDemand(null, starter, localThreads(master));
    }

    /** Threads a local master runs tasks on; 0 for any other master (a cluster, local-cluster). */
    static int localThreads(String master) {
        Matcher m = master == null ? null : LOCAL.matcher(master.trim());
        if (m == null || !m.matches()) {
            return 0;
        }
        if (m.group(1) == null) {
            return 1;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Math.max(1, Integer.parseInt(m.group(1)));
    }

    /** The session, started now if it was not. */
    public SparkSession get() {
        SparkSession s = session;
        if (s != null) {
            return s;
        }
        CompletableFuture<SparkSession> f;
        synchronized (this) {
            if (session != null) {
                return session;
            }
            f = starting;
            if (f == null) {
                session = starter.get();
                return session;
            }
        }
        session = f.join();
        return session;
    }

    /** Starts the session on another thread, so that it is ready when a later step asks for it. */
    public synchronized void startInBackground() {
        if (session == null && starting == null) {
            LOG.debug("starting Spark in the background");
            starting = CompletableFuture.supplyAsync(starter);
        }
    }

    /** Whether a session exists (or is being started). */
    public synchronized boolean started() {
        return session != null || starting != null;
    }

    /**
     * Units may run on this many driver threads instead of Spark tasks: a local master whose session
     * has not been started for the run. 0 means Spark tasks.
     */
    public int driverThreads() {
        return localThreads;
    }

    /** Runs {@code action} on the session if one is running now; never starts one. */
    public void ifRunning(java.util.function.Consumer<SparkSession> action) {
        SparkSession s = session;
        if (s != null) {
            action.accept(s);
        }
    }

    /**
     * Stops the session if one was started. A start still under way (the run was cancelled before it
     * needed Spark) is not waited for: the session is stopped once it is up, or not at all when the
     * JVM goes first; a start that failed leaves nothing to stop.
     */
    public void stop() {
        CompletableFuture<SparkSession> f;
        synchronized (this) {
            f = starting;
        }
        SparkSession s = session;
        if (s == null && f != null) {
            f.thenAccept(SparkOnDemand::stopQuietly);
            return;
        }
        if (s != null) {
            stopQuietly(s);
        }
    }

    private static void stopQuietly(SparkSession s) {
        try {
            s.stop();
        } catch (RuntimeException stoppedAlready) {
            LOG.debug("stopping Spark: {}", stoppedAlready.toString());
        }
    }
}
