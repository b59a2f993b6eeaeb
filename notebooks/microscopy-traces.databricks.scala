// Databricks notebook source
// MAGIC %md
// MAGIC # Time-lapse microscopy with Fieldwork
// MAGIC Attach the shaded jar `fieldwork-jobs-<version>-app.jar` (built by `mvn -DskipTests package`) as a cluster
// MAGIC library. One Spark task per field of view (FOV), read straight from the ND2 file; re-running the cell resumes
// MAGIC and skips finished FOVs.

// COMMAND ----------

import org.fieldwork.io.Storage
import org.fieldwork.microscopy.{FovParameters, MicroscopyJob, MicroscopySettings}
import org.fieldwork.run.{JobRunner, ProgressListener, ProgressSnapshot}

val input  = "s3a://my-bucket/microscopy/2026-11-30-timelapse.nd2"   // an ND2/TIFF file or a folder of them
val output = "s3a://my-bucket/fieldwork/2026-11-30-timelapse"

// pyama: PyAMA's algorithms exactly; fieldwork: lineages through divisions and a background that holds in the corners.
val settings = new MicroscopySettings(input, "PC", java.util.List.of("GFP"), null,
  FovParameters.defaults("fieldwork"), false, 0)
val storage = Storage.fromHadoop(spark.sparkContext.hadoopConfiguration)

// COMMAND ----------

val runner = new JobRunner(spark, storage).withProgress(new ProgressListener {
  override def onProgress(s: ProgressSnapshot): Unit =
    if (s.finished) println(s"${s.unitsDone}/${s.unitsTotal} FOVs")
})
val summary = runner.run(new MicroscopyJob(settings), output)
println(summary.render())

// COMMAND ----------

// MAGIC %md Mean GFP intensity of good cells over time, one line per cell of FOV 0 (choose "Line" in the chart options).

// COMMAND ----------

display(spark.sql(s"""
  SELECT time_s / 60 AS minutes, cast(cell_id AS string) AS cell, intensity_mean
  FROM parquet.`$output/traces.parquet`
  WHERE fov = 0 AND channel = 'GFP' AND good
  ORDER BY cell_id, frame"""))

// COMMAND ----------

// MAGIC %md Per FOV: cells traced, divisions seen (fieldwork method), and the median intensity at the first and last frame.

// COMMAND ----------

display(spark.sql(s"""
  SELECT fov, count(DISTINCT cell_id) AS cells,
         count(DISTINCT CASE WHEN parent_id > 0 THEN parent_id END) AS dividing_cells,
         percentile(CASE WHEN frame = 0 THEN intensity_mean END, 0.5) AS median_first,
         percentile(CASE WHEN frame = (SELECT max(frame) FROM parquet.`$output/traces.parquet`) THEN intensity_mean END, 0.5) AS median_last
  FROM parquet.`$output/traces.parquet`
  WHERE channel = 'GFP' AND good
  GROUP BY fov ORDER BY fov"""))

// COMMAND ----------

// MAGIC %md The pictures Fieldwork drew for FOV 0: the traces, and the cell outlines on the first frame.

// COMMAND ----------

def png(path: String): String = {
  val p = new org.apache.hadoop.fs.Path(path)
  val fs = p.getFileSystem(spark.sparkContext.hadoopConfiguration)
  val in = fs.open(p)
  try java.util.Base64.getEncoder.encodeToString(in.readAllBytes()) finally in.close()
}
displayHTML(Seq("traces.png", "overlay_first.png").map(f =>
  s"<img style='max-width:48%;margin:4px' src='data:image/png;base64,${png(s"$output/fov_0000/$f")}'/>").mkString)
