package org.fieldwork.run;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;

/** What planning and merging see on the driver. */
public final class RunContext {
    private final SparkOnDemand spark;
    private final String outputDir;
    private final Storage storage;

    RunContext(SparkOnDemand spark, String outputDir, Storage storage) {
        this.spark = spark;
        this.outputDir = outputDir;
        this.storage = storage;
    }

    /** The Spark session; starts one if the run had not needed it yet (use it only where Spark is the tool). */
    public SparkSession spark() {
        return spark.get();
    }

    public String outputDir() {
        return outputDir;
    }

    public Storage storage() {
        return storage;
    }

    /** How many units run at once: the driver's threads, or the cluster's default parallelism. */
    public int defaultParallelism() {
        int threads = spark.driverThreads();
        return threads > 0 ? threads : spark.get().sparkContext().defaultParallelism();
    }

    /**
     * Runs {@code work} on every item, in parallel: as Spark tasks when the run uses a cluster, on
     * the driver's threads otherwise. For a merge's independent pieces (boundary chunks).
     */
    public <T> void forEachParallel(List<T> items, VoidFunction<T> work) throws Exception {
        if (items.isEmpty()) {
            return;
        }
        int threads = spark.driverThreads();
        if (threads == 0) {
            JavaSparkContext.fromSparkContext(spark.get().sparkContext())
                    .parallelize(items, Math.min(items.size(), Math.max(1, defaultParallelism()))).foreach(work);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(items.size(), threads));
        try {
            List<Future<?>> done = new ArrayList<>();
            for (T item : items) {
                done.add(pool.submit(() -> {
                    work.call(item);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause() instanceof Exception ex ? ex : new RuntimeException(e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
