// Databricks notebook source
// MAGIC %md
// MAGIC # SEG-Y import with Fieldwork
// MAGIC Attach the shaded jar `fieldwork-jobs-<version>-app.jar` (built by `mvn -DskipTests package`) as a cluster
// MAGIC library. The import runs one Spark task per gather-aligned segment; re-running the cell resumes.

// COMMAND ----------

import org.fieldwork.io.Storage
import org.fieldwork.run.{ConsoleProgressBar, JobRunner, ProgressListener, ProgressSnapshot}
import org.fieldwork.seismic.{SegyImportJob, SegyImportSettings}
import org.fieldwork.sql.FieldworkFunctions

FieldworkFunctions.register(spark)

val input  = "s3a://my-bucket/surveys/line-12.sgy"   // or dbfs:/..., /Volumes/...
val output = "s3a://my-bucket/fieldwork/line-12"

val settings = new SegyImportSettings(input, "fldr", null, SegyImportSettings.DEFAULT_MAX_PROBE, "zstd", null,
  SegyImportSettings.DEFAULT_SMALL_FILE_BYTES)
val storage = Storage.fromHadoop(spark.sparkContext.hadoopConfiguration)

// COMMAND ----------

// Progress arrives as callbacks; print every snapshot the notebook receives.
val runner = new JobRunner(spark, storage).withProgress(new ProgressListener {
  override def onProgress(s: ProgressSnapshot): Unit =
    if (s.finished) println(f"${s.unitsDone}/${s.unitsTotal} segments, ${s.megabytesPerSecond}%.0f MB/s")
})
val summary = runner.run(new SegyImportJob(settings, true), output)
println(summary.render())

// COMMAND ----------

// MAGIC %md Per-gather work in SQL: the gather index plus the traces of each gather.

// COMMAND ----------

display(spark.sql(s"""
  SELECT gather_id, FieldRecord, trace_count,
         aggregate(flatten(segy_gather_traces('$output', first_trace, trace_count)), 0D, (a, x) -> a + x * x) AS energy
  FROM parquet.`$output/gathers.parquet`
  ORDER BY gather_id LIMIT 20"""))
