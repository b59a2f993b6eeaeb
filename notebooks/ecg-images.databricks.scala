// Databricks notebook source
// MAGIC %md
// MAGIC # ECG paper images with Fieldwork
// MAGIC Attach the shaded jar `fieldwork-jobs-<version>-app.jar` (built by `mvn -DskipTests package`) as a cluster
// MAGIC library. The bulk job analyses a folder of scanned or photographed ECG printouts, many images per Spark task:
// MAGIC edge map, content box, trace/grid separation, grid spacing and quality gates; re-running the cell resumes and
// MAGIC skips finished images. The same analysis is also a set of SQL functions over `binaryFile` rows.
// MAGIC Kernels run on OpenCL when the cluster has a device, else in Java (`spark.executorEnv.FIELDWORK_KERNELS=auto|opencl|java`).

// COMMAND ----------

import org.fieldwork.ecg.{EcgJob, EcgOptions, EcgSettings}
import org.fieldwork.io.Storage
import org.fieldwork.run.{JobRunner, ProgressListener, ProgressSnapshot}
import org.fieldwork.sql.FieldworkFunctions

FieldworkFunctions.register(spark)

val input  = "dbfs:/FileStore/fieldwork/shared/data/ecg"   // a copy of shared/data/ecg, or s3a://..., /Volumes/...
val output = "dbfs:/FileStore/fieldwork/ecg"

val settings = new EcgSettings(input, EcgOptions.DEFAULT.withImages(true))
val storage = Storage.fromHadoop(spark.sparkContext.hadoopConfiguration)

// COMMAND ----------

val runner = new JobRunner(spark, storage).withProgress(new ProgressListener {
  override def onProgress(s: ProgressSnapshot): Unit =
    if (s.finished) println(s"${s.unitsDone}/${s.unitsTotal} images")
})
val summary = runner.run(new EcgJob(settings), output)
println(summary.render())

// COMMAND ----------

// MAGIC %md Quality table: which images fail which gate (blur, resolution, contrast, grid), with the scores behind it.
// MAGIC An image the job could not analyse has its reason in `error`.

// COMMAND ----------

spark.read.parquet(s"$output/results.parquet").createOrReplaceTempView("ecg_results")
display(spark.sql("""
  SELECT regexp_extract(path, '[^/]+$', 0) AS image, quality_pass AS pass,
         NOT exists(quality_failures, f -> f LIKE 'blur:%')       AS blur_ok,
         NOT exists(quality_failures, f -> f LIKE 'resolution:%') AS resolution_ok,
         NOT exists(quality_failures, f -> f LIKE 'contrast:%')   AS contrast_ok,
         NOT exists(quality_failures, f -> f LIKE 'grid:%')       AS grid_ok,
         round(blur_score, 1) AS blur_score, round(dpi) AS dpi, round(contrast, 1) AS contrast,
         grid_lines_h + grid_lines_v AS grid_lines,
         concat_ws('; ', quality_failures) AS failures, error
  FROM ecg_results
  ORDER BY error IS NULL, pass, image"""))

// COMMAND ----------

display(spark.sql("""
  SELECT CASE WHEN error IS NOT NULL THEN 'error' WHEN quality_pass THEN 'pass'
              ELSE substring_index(failure, ':', 1) END AS outcome, count(*) AS images
  FROM ecg_results LATERAL VIEW OUTER explode(quality_failures) f AS failure
  GROUP BY 1 ORDER BY images DESC"""))

// COMMAND ----------

// MAGIC %md The same analysis as SQL functions on the image files themselves (one `binaryFile` row per image).
// MAGIC A file that is not a decodable image gives NULL and its reason in `ecg_error(content)`.

// COMMAND ----------

spark.read.format("binaryFile")
  .option("pathGlobFilter", "*.{png,jpg,jpeg,webp,tif,tiff,bmp}")
  .load(input)
  .createOrReplaceTempView("ecg_files")

display(spark.sql("""
  SELECT image, error, box, grid.*, quality.pass, quality.failures
  FROM (SELECT regexp_extract(path, '[^/]+$', 0) AS image, ecg_error(content) AS error,
               ecg_content_box(content) AS box, ecg_grid(content) AS grid, ecg_quality(content) AS quality
        FROM ecg_files)
  ORDER BY image"""))

// COMMAND ----------

// MAGIC %md Grid overlay: the detected spacing drawn over one image, fine lines every `fine_px` and bold lines every
// MAGIC `bold_px` from the content box's corner (green), beside the job's edge map and grid mask. The lines show the
// MAGIC spacing; their phase is the box's corner, not the paper's.

// COMMAND ----------

import java.awt.{BasicStroke, Color}
import java.awt.image.BufferedImage
import java.io.{ByteArrayInputStream, ByteArrayOutputStream}
import javax.imageio.ImageIO
import org.apache.spark.sql.Row

// sample_ecg.png when the folder has it (its grid: 20 px fine, 100 px bold), else the first image by name.
val chosen = spark.sql("""
  SELECT path, content, ecg_content_box(content) AS box, ecg_grid(content) AS grid
  FROM ecg_files
  WHERE ecg_error(content) IS NULL AND (path LIKE '%.png' OR path LIKE '%.jpg' OR path LIKE '%.jpeg')
  ORDER BY path NOT LIKE '%/sample_ecg.png', path LIMIT 1""").first()

/** The image with the content box and the grid spacing drawn on it, as PNG bytes (javax.imageio reads PNG and JPEG). */
def gridOverlay(encoded: Array[Byte], box: Row, grid: Row): Array[Byte] = {
  val src = ImageIO.read(new ByteArrayInputStream(encoded))
  val img = new BufferedImage(src.getWidth, src.getHeight, BufferedImage.TYPE_INT_RGB)
  val g = img.createGraphics()
  g.drawImage(src, 0, 0, null)
  val (x0, y0, w, h) = (box.getAs[Int]("x"), box.getAs[Int]("y"), box.getAs[Int]("width"), box.getAs[Int]("height"))
  def lines(step: Option[java.lang.Double], colour: Color, width: Float): Unit =
    step.map(_.doubleValue).filter(_ >= 2).foreach { s =>
      g.setColor(colour)
      g.setStroke(new BasicStroke(width))
      Iterator.iterate(x0.toDouble)(_ + s).takeWhile(_ <= x0 + w).map(v => math.round(v).toInt)
        .foreach(x => g.drawLine(x, y0, x, y0 + h))
      Iterator.iterate(y0.toDouble)(_ + s).takeWhile(_ <= y0 + h).map(v => math.round(v).toInt)
        .foreach(y => g.drawLine(x0, y, x0 + w, y))
    }
  lines(Option(grid.getAs[java.lang.Double]("fine_px")), new Color(0, 150, 255, 120), 1f)
  lines(Option(grid.getAs[java.lang.Double]("bold_px")), new Color(0, 60, 255, 220), 2f)
  g.setColor(new Color(0, 200, 0))
  g.setStroke(new BasicStroke(3f))
  g.drawRect(x0, y0, w, h)
  g.dispose()
  val out = new ByteArrayOutputStream()
  ImageIO.write(img, "png", out)
  out.toByteArray
}

def base64(bytes: Array[Byte]): String = java.util.Base64.getEncoder.encodeToString(bytes)
def readFile(path: String): Option[Array[Byte]] = {
  val p = new org.apache.hadoop.fs.Path(path)
  val fs = p.getFileSystem(spark.sparkContext.hadoopConfiguration)
  if (!fs.exists(p)) None else { val in = fs.open(p); try Some(in.readAllBytes()) finally in.close() }
}

val path = chosen.getAs[String]("path")
val stem = path.substring(path.lastIndexOf('/') + 1).replaceFirst("\\.[^.]+$", "")
val grid = chosen.getAs[Row]("grid")
val overlay = gridOverlay(chosen.getAs[Array[Byte]]("content"), chosen.getAs[Row]("box"), grid)
val pictures = Seq[(String, Option[Array[Byte]])]("overlay" -> Some(overlay)) ++
  Seq("edges", "grid").map(n => n -> readFile(s"$output/images/$stem/$n.png"))
displayHTML(s"<p>$stem: ${grid.getAs[String]("grid_color")} grid, fine ${grid.getAs[Any]("fine_px")} px, " +
  s"bold ${grid.getAs[Any]("bold_px")} px, ${grid.getAs[Any]("px_per_mm")} px/mm</p>" +
  pictures.collect { case (name, Some(png)) =>
    s"<figure style='display:inline-block;max-width:32%;margin:4px'><img style='max-width:100%' " +
      s"src='data:image/png;base64,${base64(png)}'/><figcaption>$name</figcaption></figure>"
  }.mkString)
