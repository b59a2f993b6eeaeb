package org.fieldwork.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

/** A master and two workers in JVMs of their own; the application jar runs on them. One cluster for the class. */
@ExtendWith(S3ProxyServer.class)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = StandaloneCluster.start();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void masterSeesTwoWorkersWithOneCoreEach() {
        JsonNode state = cluster.masterState();
        assertEquals(2, state.path("aliveworkers").asInt(), state.toString());
        assertEquals(2, state.path("cores").asInt(), state.toString());
        for (JsonNode w : state.path("workers")) {
            assertEquals("ALIVE", w.path("state").asText(), w.toString());
            assertEquals(1, w.path("cores").asInt(), w.toString());
        }
    }

    /**
     * Driver in this JVM, executors in the workers' JVMs. Each worker has one core, so with both
     * executors registered the first four tasks go two and two; the listener records which
     * executor ran each task and the workers' own state says which executors they host.
     */
    @Test
    void sessionRunsTasksOnExecutorsOfBothWorkers(S3ProxyServer s3) {
        Set<String> taskExecutors = ConcurrentHashMap.newKeySet();
        SparkSession spark = SparkSession.builder()
                .appName("StandaloneClusterIT")
                .config(new HashMap<String, Object>(cluster.sessionSettings()))
                .config(new HashMap<String, Object>(s3.sparkSettings()))
                // Start only when both executors are up, else one may run every task.
                .config("spark.cores.max", "2")
                .config("spark.scheduler.minRegisteredResourcesRatio", "1.0")
                .config("spark.scheduler.maxRegisteredResourcesWaitingTime", "120s")
                .getOrCreate();
        try {
            spark.sparkContext().addSparkListener(new SparkListener() {
                @Override
                public void onTaskEnd(SparkListenerTaskEnd end) {
                    taskExecutors.add(end.taskInfo().executorId());
                }
            });
            String appId = spark.sparkContext().applicationId();

            Row sums = spark.range(0, 100_000, 1, 4).selectExpr("count(*)", "sum(id)").first();
            assertEquals(100_000L, sums.getLong(0));
            assertEquals(4_999_950_000L, sums.getLong(1));

            // reflect() runs a static method on the executors: org.fieldwork.io.Storage is on no
            // worker's classpath, so this only works when spark.jars shipped the application jar.
            List<Row> local = spark.range(0, 8, 1, 4)
                    .selectExpr("reflect('org.fieldwork.io.Storage', 'isLocal', concat('s3a://b/', id)) AS s3",
                            "reflect('org.fieldwork.io.Storage', 'isLocal', concat('/data/', id)) AS file")
                    .distinct().collectAsList();
            assertEquals(1, local.size(), local.toString());
            assertEquals("false", local.get(0).getString(0));
            assertEquals("true", local.get(0).getString(1));

            // Executors write to and read from S3Proxy: hadoop-aws is on the cluster's classpath and
            // the spark.hadoop.* settings reach the executors.
            s3.createBucket("cluster");
            String table = S3ProxyServer.s3aUri("cluster", "it/table");
            spark.range(0, 50_000, 1, 4).selectExpr("id", "id % 7 AS k").write().mode("overwrite").parquet(table);
            Row back = spark.read().parquet(table).selectExpr("count(*)", "sum(k)").first();
            assertEquals(50_000L, back.getLong(0));
            assertEquals(spark.range(0, 50_000).selectExpr("sum(id % 7)").first().getLong(0), back.getLong(1));
            assertTrue(s3.list("cluster", "it/table/").contains("it/table/_SUCCESS"));

            awaitListenerBus(spark);
            assertEquals(2, taskExecutors.size(), "executors that ran tasks: " + taskExecutors);
            assertTrue(!taskExecutors.contains("driver"), taskExecutors.toString());

            Set<String> hosted = new TreeSet<>();
            for (int i = 0; i < 2; i++) {
                Set<String> onWorker = new TreeSet<>();
                for (JsonNode e : cluster.workerState(i).path("executors")) {
                    if (appId.equals(e.path("appid").asText())) {
                        onWorker.add(e.path("id").asText());
                    }
                }
                assertEquals(1, onWorker.size(), "executors of " + appId + " on worker " + (i + 1) + ": " + onWorker);
                hosted.addAll(onWorker);
            }
            assertEquals(new TreeSet<>(taskExecutors), hosted);
        } finally {
            spark.stop();
        }
    }

    @Test
    void submitReportsTheDriversExitCode() {
        StandaloneCluster.Submission run = cluster.submit("org.fieldwork.NoSuchMain");
        assertNotEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stderr().contains("org.fieldwork.NoSuchMain"), run.describe());
    }

    /** Needs the sql command of org.fieldwork.cli.Fieldwork: fails until the CLI prints query results. */
    @Test
    void submittedCliRunsSqlOnTheCluster() {
        int appsBefore = cluster.masterState().path("completedapps").size();

        StandaloneCluster.Submission run = cluster.submit("org.fieldwork.cli.Fieldwork",
                "sql", "--format", "csv", "SELECT count(*) AS n, sum(id) AS s FROM range(0, 100000, 1, 4)");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().lines().map(String::trim).anyMatch("100000,4999950000"::equals), run.describe());
        // The driver registered with this master, so the query ran on the workers, not in local mode.
        assertEquals(appsBefore + 1, cluster.masterState().path("completedapps").size(), run.describe());
    }

    /** submit/fieldwork-submit as a user runs it, with no Spark distribution installed. */
    @Test
    void fieldworkSubmitScriptRunsACommandOnTheCluster() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "../submit/fieldwork-submit", "--master", cluster.masterUrl(),
                "--conf", "spark.driver.host=127.0.0.1", "--",
                "sql", "--format", "csv", "SELECT count(*) AS n FROM range(0, 1000, 1, 4)");
        pb.environment().remove("SPARK_HOME");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.lines().anyMatch("1000"::equals), out);
    }

    /** The SEG-Y import from the shaded jar: units run in executor JVMs, the merge on the driver. */
    @Test
    void submittedSegyImportRunsItsSegmentsOnTheWorkers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path sgy = tmp.resolve("shots.sgy");
        new org.fieldwork.seismic.SyntheticSegy(20_000, 250, 30, 60, org.fieldwork.seismic.SampleFormat.IBM_FLOAT32, 5).write(sgy);
        java.nio.file.Path out = tmp.resolve("out");

        StandaloneCluster.Submission run = cluster.submit("org.fieldwork.cli.Fieldwork", "segy", "import", sgy.toString(),
                out.toString(), "--ensemble-key", "fldr", "--segments", "4", "--small-file-mb", "0", "--no-progress");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("as 4 Spark tasks on spark://127.0.0.1"), run.describe());
        assertTrue(java.nio.file.Files.exists(out.resolve("_SUCCESS")), run.describe());
        // Each executor's task wrote its own unit's record into the shared output.
        assertEquals(4, new org.fieldwork.run.RunManifest(out.toString(), org.fieldwork.io.Storage.defaults()).readAll().size());
        org.fieldwork.io.Storage local = org.fieldwork.io.Storage.defaults();
        try (org.fieldwork.seismic.SegyReader r = org.fieldwork.seismic.SegyReader.open(local, sgy.toString())) {
            org.fieldwork.seismic.TraceBlock block = org.fieldwork.seismic.TraceBlock.allFields(20_000, 250);
            r.read(0, 20_000, block);
            float[] zarr = org.fieldwork.io.zarr.ZarrArray.open(local, out.resolve("traces.zarr").toString())
                    .readFloats(new long[] {0, 0}, new int[] {20_000, 250});
            org.junit.jupiter.api.Assertions.assertArrayEquals(java.util.Arrays.copyOf(block.samples(), 20_000 * 250), zarr);
        }
    }

    /**
     * OMR from the shaded jar: every sheet a task on a worker JVM (OpenCV's natives load there from
     * the jar, the folder configuration arrives by broadcast), CSVs written by the driver in order.
     */
    @Test
    void submittedOmrReadsSheetsOnTheWorkers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path exam = tmp.resolve("exam");
        java.util.List<org.fieldwork.omr.SyntheticSheets.Sheet> truth = new org.fieldwork.omr.SyntheticSheets(6, 3).write(exam);
        java.nio.file.Path out = tmp.resolve("out");

        StandaloneCluster.Submission run = cluster.submit("org.fieldwork.cli.Fieldwork", "omr", exam.toString(),
                out.toString(), "--no-progress");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("as 6 Spark tasks on spark://127.0.0.1"), run.describe());
        // The workers run on this machine: where it has OpenCL, their blurs ran there, not in the Java fallback.
        if (org.fieldwork.kernels.OpenClDevices.best().isPresent()) {
            assertTrue(run.stdout().contains("kernels on opencl:") && !run.stdout().contains("kernels on java"), run.describe());
        }
        java.util.List<String> rows = java.nio.file.Files.readAllLines(out.resolve("Results/Results.csv"));
        assertEquals(7, rows.size(), rows.toString());
        for (int i = 0; i < truth.size(); i++) {
            java.util.List<String> cells = org.fieldwork.omr.OmrExpected.rows(out.resolve("Results/Results.csv")).get(i + 1);
            assertEquals(truth.get(i).fileName(), cells.get(0));
            assertEquals(truth.get(i).roll(), cells.get(4));
            assertEquals(new java.util.ArrayList<>(truth.get(i).answers().values()), cells.subList(5, cells.size()));
        }
    }

    /** Task-end events reach listeners asynchronously; the job's result can arrive first. */
    @Test
    void submittedMicroscopyTracesEachFovOnTheWorkers(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path nd2 = tmp.resolve("lapse.nd2");
        org.fieldwork.microscopy.SyntheticNd2.write(nd2, 3, org.fieldwork.microscopy.SyntheticTimeLapse.Parameters.builder()
                .size(384, 320).frames(4).seed(9).cellScale(0.7).build(), org.fieldwork.io.nd2.Nd2Writer.Compression.ZLIB);
        java.nio.file.Path out = tmp.resolve("out");

        StandaloneCluster.Submission run = cluster.submit("org.fieldwork.cli.Fieldwork", "microscopy", nd2.toString(),
                out.toString(), "--method", "fieldwork", "--no-progress");

        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdout().contains("as 3 Spark tasks on spark://127.0.0.1"), run.describe());
        for (int fov = 0; fov < 3; fov++) {
            java.nio.file.Path dir = out.resolve(String.format("fov_%04d", fov));
            assertTrue(java.nio.file.Files.readAllLines(dir.resolve("traces.csv")).size() > 1, dir + " has traces");
            assertTrue(java.nio.file.Files.exists(dir.resolve("binarized.zarr/0/3.0.0")), dir + " has its last mask");
            assertTrue(java.nio.file.Files.exists(dir.resolve("overlay_last.png")));
        }
        assertTrue(java.nio.file.Files.exists(out.resolve("traces.parquet")));
        String experiment = java.nio.file.Files.readString(out.resolve("experiment.json"));
        assertEquals(3, experiment.split("\"status\" : \"done\"", -1).length - 1, experiment);
    }

    private static void awaitListenerBus(SparkSession spark) {
        try {
            java.lang.reflect.Method m = spark.sparkContext().listenerBus().getClass().getMethod("waitUntilEmpty", long.class);
            m.invoke(spark.sparkContext().listenerBus(), 30_000L);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
