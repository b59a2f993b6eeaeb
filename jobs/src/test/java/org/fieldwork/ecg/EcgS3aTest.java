package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** ECG images read from a bucket prefix (at all levels), results and pictures written to a bucket, on a real S3 server. */
@ExtendWith(S3ProxyServer.class)
class EcgS3aTest {
    static SparkSession spark;
    static S3ProxyServer s3;

    @BeforeAll
    static void start(S3ProxyServer server) {
        s3 = server;
        spark = server.localSpark("EcgS3aTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aBucketOfImagesGivesTheTableAndPictures(@TempDir Path tmp) throws Exception {
        Path local = tmp.resolve("scans");
        EcgPages.write(local.resolve("a.png"), EcgPages.page(400, 300, 0));
        EcgPages.write(local.resolve("ward2/b.jpg"), EcgPages.page(360, 280, 1));
        Files.writeString(local.resolve("ward2/readme.png"), "scanned by the night shift");
        String bucket = S3ProxyServer.DEFAULT_BUCKET;
        String in = s3.uploadTree(local, bucket, "ecg/2026-12-06");
        String out = S3ProxyServer.s3aUri(bucket, "processed/2026-12-06");
        JobRunner runner = new JobRunner(spark, Storage.of(s3.s3aSettings()));
        EcgSettings settings = new EcgSettings(in, EcgOptions.DEFAULT.withImages(true));
        RunSummary s = runner.run(new EcgJob(settings), out);
        assertEquals(2, s.unitsDone(), s.render());
        assertEquals(1, s.unitsFailed(), s.render());

        List<String> keys = s3.list(bucket, "processed/2026-12-06/");
        for (String k : List.of(EcgJob.RESULTS, "images/a/edges.png", "images/a/crop.png", "images/ward2~b/trace.png",
                "images/ward2~b/grid.png")) {
            assertTrue(keys.stream().anyMatch(key -> key.startsWith("processed/2026-12-06/" + k)), k + " in " + keys);
        }
        Map<String, Row> rows = spark.read().parquet(out + "/" + EcgJob.RESULTS).collectAsList().stream()
                .collect(Collectors.toMap(r -> ((String) r.getAs("path")).replaceAll(".*/", ""), r -> r));
        assertEquals(3, rows.size());
        assertTrue(((String) rows.get("a.png").getAs("path")).startsWith("s3a://" + bucket + "/ecg/2026-12-06/"));
        assertNull(rows.get("a.png").getAs("error"));
        assertEquals("red", rows.get("b.jpg").getAs("grid_color"));
        assertTrue(((String) rows.get("readme.png").getAs("error")).contains("readme.png: not an image"),
                (String) rows.get("readme.png").getAs("error"));

        RunSummary again = runner.run(new EcgJob(settings), out);
        assertEquals(2, again.unitsSkipped(), again.render());
        assertEquals(1, again.unitsFailed(), again.render());
        s3.deleteBucket(bucket);
        s3.createBucket(bucket);
    }
}
