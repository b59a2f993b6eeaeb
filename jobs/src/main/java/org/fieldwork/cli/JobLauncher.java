package org.fieldwork.cli;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.ConsoleProgressBar;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.UnitJob;

/**
 * Runs one job from the command line: session, progress bar, Ctrl-C as cancellation, summary,
 * exit code. Job commands stay a few lines long.
 */
final class JobLauncher {
    private JobLauncher() {
    }

    static int run(String appName, SparkOptions opts, String outputDir, Function<SparkSession, UnitJob<?>> jobFactory) throws Exception {
        return run(appName, opts, outputDir, jobFactory, runner -> { });
    }

    /** As above; {@code setup} may add listeners to the runner (an interactive per-unit view). */
    static int run(String appName, SparkOptions opts, String outputDir, Function<SparkSession, UnitJob<?>> jobFactory,
            Consumer<JobRunner> setup) throws Exception {
        SparkSession spark = FieldworkSpark.session(appName, opts);
        try {
            RunSummary summary = run(spark, opts, outputDir, jobFactory.apply(spark), System.err, setup);
            System.out.print(summary.render());
            return summary.exitCode();
        } finally {
            spark.stop();
        }
    }

    static RunSummary run(SparkSession spark, SparkOptions opts, String outputDir, UnitJob<?> job, PrintStream progressOut) throws Exception {
        return run(spark, opts, outputDir, job, progressOut, runner -> { });
    }

    static RunSummary run(SparkSession spark, SparkOptions opts, String outputDir, UnitJob<?> job, PrintStream progressOut,
            Consumer<JobRunner> setup) throws Exception {
        Storage storage = FieldworkSpark.storage(spark);
        JobRunner runner = new JobRunner(spark, storage);
        if (!opts.noProgress) {
            runner.withProgress(new ConsoleProgressBar(progressOut));
        }
        setup.accept(runner);
        CountDownLatch finished = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            if (finished.getCount() > 0) {
                progressOut.println("\ncancelling " + job.name() + " ...");
                runner.cancel();
                try {
                    // Let running units stop and the summary print before the JVM goes.
                    finished.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "fieldwork-cancel");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return runner.run(job, outputDir);
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
