package org.fieldwork.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.fieldwork.io.Storage;
import org.fieldwork.run.ConsoleProgressBar;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.SparkOnDemand;
import org.fieldwork.run.UnitJob;

/**
 * Runs one job from the command line: Spark on demand, progress bar, Ctrl-C as cancellation,
 * summary, exit code. Job commands stay a few lines long.
 */
final class JobLauncher {
    private JobLauncher() {
    }

    static int run(String appName, SparkOptions opts, RunOptions runOpts, String outputDir,
            Function<Storage, UnitJob<?, ?, ?>> jobFactory) throws Exception {
        return run(appName, opts, runOpts, outputDir, jobFactory, runner -> { });
    }

    /** As above; {@code setup} may add listeners to the runner (an interactive per-unit view). */
    static int run(String appName, SparkOptions opts, RunOptions runOpts, String outputDir,
            Function<Storage, UnitJob<?, ?, ?>> jobFactory, Consumer<JobRunner> setup) throws Exception {
        Storage storage = FieldworkSpark.storage(opts);
        UnitJob<?, ?, ?> job = jobFactory.apply(storage);
        SparkOnDemand spark = FieldworkSpark.onDemand(appName, opts);
        try {
            RunSummary summary = run(spark, storage, runOpts, outputDir, job, System.err, setup);
            System.out.print(summary.render());
            return summary.exitCode();
        } finally {
            spark.stop();
        }
    }

    /** Turns a logger off where log4j 2 is the logging back end (spark-submit may bring another). */
    private static void quiet(String logger) {
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.OFF);
        } catch (LinkageError otherBackEnd) {
            // nothing to turn off
        }
    }

    static RunSummary run(SparkOnDemand spark, Storage storage, RunOptions runOpts, String outputDir, UnitJob<?, ?, ?> job,
            PrintStream progressOut) throws Exception {
        return run(spark, storage, runOpts, outputDir, job, progressOut, runner -> { });
    }

    static RunSummary run(SparkOnDemand spark, Storage storage, RunOptions runOpts, String outputDir, UnitJob<?, ?, ?> job,
            PrintStream progressOut, Consumer<JobRunner> setup) throws Exception {
        JobRunner runner = new JobRunner(spark, storage).fresh(runOpts.fresh).breakLock(runOpts.breakLock);
        if (!runOpts.noProgress) {
            runner.withProgress(new ConsoleProgressBar(progressOut));
        }
        setup.accept(runner);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            if (finished.getCount() > 0) {
                progressOut.println("\ncancelling " + job.name() + " ...");
                // What Spark and Hadoop say while the JVM goes down (a session that was starting, hooks
                // that can no longer be added) is no news to a user who pressed Ctrl-C.
                quiet("org.apache.spark");
                quiet("org.apache.hadoop");
                runner.cancel();
                try {
                    // Let running units stop and the summary print before the JVM goes, with the run's exit code.
                    if (finished.await(30, TimeUnit.SECONDS)) {
                        Fieldwork.haltWithExitCode(5000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "fieldwork-cancel");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            RunSummary summary = runner.run(job, outputDir);
            ClassArchiveRecording.ran(summary);
            return summary;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Already in shutdown: the hook is running and waits for us.
            }
        }
    }
}
