package org.fieldwork.run;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;

/** What planning and merging see on the driver. */
public record RunContext(SparkSession spark, String outputDir, Storage storage, int defaultParallelism) {
}
