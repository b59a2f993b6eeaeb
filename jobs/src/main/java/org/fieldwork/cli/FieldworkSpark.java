package org.fieldwork.cli;

import java.util.Map;
import java.util.TreeMap;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.S3Settings;
import org.fieldwork.io.Storage;
import org.fieldwork.sql.FieldworkFunctions;

/**
 * Builds the SparkSession every command uses. No master is hard-coded: spark-submit (or a
 * notebook) sets it; submit/fieldwork passes local[*]; --master overrides both.
 */
public final class FieldworkSpark {
    private FieldworkSpark() {
    }

    public static SparkSession session(String appName, SparkOptions opts) {
        org.fieldwork.kernels.KernelDevice.parse(opts.kernels); // a typo fails here, before Spark starts
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
        // The one kernel-device policy reaches the driver and every executor the same way.
        System.setProperty("fieldwork.kernels", opts.kernels);
        b.config("spark.executorEnv.FIELDWORK_KERNELS", opts.kernels);
        opts.conf.forEach(b::config);
        SparkSession spark = b.getOrCreate();
        FieldworkFunctions.register(spark);
        return spark;
    }

    static Map<String, String> s3Settings(SparkOptions opts) {
        return S3Settings.hadoopSettings(opts.s3Endpoint, opts.s3AccessKey, opts.s3SecretKey, opts.s3PathStyle);
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
