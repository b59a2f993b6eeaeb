package org.fieldwork.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import picocli.CommandLine.Option;

/** Options every Spark-running command shares: where Spark runs, object storage, kernels. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master, e.g. local[4] or spark://host:7077. Default: local[*] from submit/fieldwork,"
                    + " or whatever spark-submit was given.")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "Extra Spark setting; may repeat.")
    Map<String, String> conf = new LinkedHashMap<>();

    @Option(names = "--s3-endpoint", paramLabel = "URL",
            description = "S3-compatible endpoint for s3a:// paths (default: env FIELDWORK_S3_ENDPOINT, else AWS).")
    String s3Endpoint;

    @Option(names = "--s3-access-key", paramLabel = "KEY", description = "S3 access key (default: env AWS_ACCESS_KEY_ID).")
    String s3AccessKey;

    @Option(names = "--s3-secret-key", paramLabel = "KEY", description = "S3 secret key (default: env AWS_SECRET_ACCESS_KEY).")
    String s3SecretKey;

    @Option(names = "--s3-path-style", negatable = true, paramLabel = "BOOL",
            description = "Path-style bucket addressing (default: on when --s3-endpoint is given).")
    Boolean s3PathStyle;

    @Option(names = "--kernels", paramLabel = "auto|opencl|java", defaultValue = "auto",
            description = "Where image kernels run: auto (OpenCL when present, else Java), opencl (must run on"
                    + " OpenCL, fail otherwise), java. Default: ${DEFAULT-VALUE}.")
    String kernels = "auto";

    @Option(names = "--spark-ui", description = "Start Spark's web UI for local runs (off by default).")
    boolean sparkUi;
}
