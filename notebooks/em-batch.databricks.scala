// Databricks notebook source
// MAGIC %md
// MAGIC # Electron-microscopy movies with Fieldwork (batch)
// MAGIC Attach the shaded jar `fieldwork-jobs-<version>-app.jar` (built by `mvn -DskipTests package`) as a cluster
// MAGIC library. The batch job takes every movie (MRC/MRCS, multi-page TIFF) below a folder, one movie per Spark task,
// MAGIC through motion correction, CTF estimation and particle picking, and writes `items.parquet`, `picks.parquet`,
// MAGIC the aligned averages, thumbnails and WarpCore's `processed_items.json`. Re-running the cell resumes; changing a
// MAGIC step's settings (say the particle diameter) redoes only that step on every movie.
// MAGIC No movies at hand? `fieldwork em synth <folder> --movies 8` writes synthetic ones with their truth.

// COMMAND ----------

import org.fieldwork.em.{EmJob, EmSettings}
import org.fieldwork.io.Storage
import org.fieldwork.run.{JobRunner, ProgressListener, ProgressSnapshot}

val movies     = "dbfs:/FileStore/fieldwork/em/movies"       // or s3a://..., /Volumes/...
val processing = "dbfs:/FileStore/fieldwork/em/processing"

// pixel size (Å; 0 = from the MRC header), voltage (kV), Cs (mm), dose per frame (e/Å²; 0 = no dose weighting)
val settings = EmSettings.defaults(java.util.List.of(movies)).withOptics(1.35, 300, 2.7, 1.0)
val storage = Storage.fromHadoop(spark.sparkContext.hadoopConfiguration)

// COMMAND ----------

val runner = new JobRunner(spark, storage).withProgress(new ProgressListener {
  override def onProgress(s: ProgressSnapshot): Unit =
    if (s.finished) println(s"${s.unitsDone}/${s.unitsTotal} movies")
})
val summary = runner.run(new EmJob(settings), processing)
println(summary.render())

// COMMAND ----------

// MAGIC %md Defocus and motion per movie (plot as a line chart: keys `movie`, values `defocus_um`, `astig_um`,
// MAGIC `motion_px`). A movie that failed has its reason in `error`.

// COMMAND ----------

spark.read.parquet(s"$processing/items.parquet").createOrReplaceTempView("em_items")
display(spark.sql("""
  SELECT movie, round((defocus_u_um + defocus_v_um) / 2, 3) AS defocus_um,
         round(defocus_u_um - defocus_v_um, 3) AS astig_um, round(motion_mean_px, 2) AS motion_px,
         round(ctf_fit_resolution_a, 1) AS fit_resolution_a, particle_count, status, error
  FROM em_items ORDER BY movie"""))

// COMMAND ----------

// MAGIC %md Drift of each movie, frame by frame (plot as a scatter or line chart of `x_px` against `y_px`, grouped by `movie`).

// COMMAND ----------

display(spark.sql("""
  SELECT movie, frame, x AS x_px, shift_y_px[frame] AS y_px
  FROM em_items LATERAL VIEW posexplode(shift_x_px) s AS frame, x
  ORDER BY movie, frame"""))

// COMMAND ----------

// MAGIC %md Particles per movie and their scores; then export them for RELION (box 128 px).

// COMMAND ----------

display(spark.sql(s"""
  SELECT movie, count(*) AS particles, round(avg(score), 2) AS mean_score
  FROM parquet.`$processing/picks.parquet` GROUP BY movie ORDER BY movie"""))

// COMMAND ----------

// MAGIC %sh java -jar /dbfs/FileStore/jars/fieldwork-jobs-app.jar em export-particles /dbfs/FileStore/fieldwork/em/processing /dbfs/FileStore/fieldwork/em/particles --box 128
