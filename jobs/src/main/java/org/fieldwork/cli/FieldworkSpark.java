package org.fieldwork.cli;

import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.S3Settings;
import org.fieldwork.io.Storage;
import org.fieldwork.run.SparkOnDemand;
import org.fieldwork.sql.FieldworkFunctions;

/**
 * Builds the SparkSession every command uses. No master is hard-coded: spark-submit (or a
 * notebook) sets it; submit/fieldwork passes local[*]; --master overrides both.
 */
public final class FieldworkSpark {
    private FieldworkSpark() {
    }

    /**
     * The session for a command, started when the run first needs it: with a local master, a job
     * whose units and merge need no Spark runs without ever starting it. Checks the options now.
     */
    public static SparkOnDemand onDemand(String appName, SparkOptions opts) {
        useKernels(opts);
        return SparkOnDemand.lazy(master(opts), () -> session(appName, opts));
    }

    /** The master a command runs on: --master, else what spark-submit set, else local[*]. */
    static String master(SparkOptions opts) {
        if (opts.master != null) {
            return opts.master;
        }
        String submitted = System.getProperty("spark.master");
        return submitted != null ? submitted : "local[*]";
    }

    /** The one kernel-device policy, checked (a typo fails before anything starts) and set for the driver. */
    static void useKernels(SparkOptions opts) {
        org.fieldwork.kernels.KernelDevice.parse(opts.kernels);
        System.setProperty("fieldwork.kernels", opts.kernels);
    }

    public static SparkSession session(String appName, SparkOptions opts) {
        useKernels(opts);
        SparkConf probe = new SparkConf();
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (opts.master != null) {
            b.master(opts.master);
        } else if (!probe.contains("spark.master")) {
            b.master("local[*]");
        }
        String master = opts.master != null ? opts.master : probe.get("spark.master", "local[*]");
        if (master.startsWith("local") && !opts.sparkUi && !probe.contains("spark.ui.enabled")) {
            b.config("spark.ui.enabled", "false");
        }
        if (!probe.contains("spark.sql.shuffle.partitions")) {
            b.config("spark.sql.shuffle.partitions", String.valueOf(Math.max(4, 2 * Runtime.getRuntime().availableProcessors())));
        }
        s3Settings(opts).forEach((k, v) -> b.config("spark.hadoop." + k, v));
        // The one kernel-device policy reaches every executor the same way as the driver.
        b.config("spark.executorEnv.FIELDWORK_KERNELS", opts.kernels);
        opts.conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        TempFolders.removeOwnAfterSpark();
        FieldworkFunctions.register(spark);
        return spark;
    }

    static Map<String, String> s3Settings(SparkOptions opts) {
        return S3Settings.hadoopSettings(opts.s3Endpoint, opts.s3AccessKey, opts.s3SecretKey, opts.s3PathStyle);
    }

    /**
     * Storage for a command, without starting Spark: the s3a options, then any spark.hadoop.fs.*
     * setting from spark-submit's properties and --conf, as the session would have them.
     */
    public static Storage storage(SparkOptions opts) {
        Map<String, String> settings = new TreeMap<>(s3Settings(opts));
        for (String k : System.getProperties().stringPropertyNames()) {
            if (k.startsWith("spark.hadoop.fs.")) {
                settings.put(k.substring("spark.hadoop.".length()), System.getProperty(k));
            }
        }
        opts.conf.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.fs.")) {
                settings.put(k.substring("spark.hadoop.".length()), v);
            }
        });
        return Storage.of(settings);
    }

    /** Storage for tasks: the s3a settings plus any fs.* settings given to Spark as spark.hadoop.fs.*. */
    public static Storage storage(SparkSession spark) {
        Map<String, String> settings = new TreeMap<>();
        for (scala.Tuple2<String, String> kv : spark.sparkContext().getConf().getAll()) {
            if (kv._1().startsWith("spark.hadoop.fs.")) {
                settings.put(kv._1().substring("spark.hadoop.".length()), kv._2());
            }
        }
        return Storage.of(settings);
    }
}
