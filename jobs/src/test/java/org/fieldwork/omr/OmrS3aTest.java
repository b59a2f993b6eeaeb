package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.S3ProxyServer;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Sheets, templates, markers and the evaluation read from s3a, CSVs written to s3a, on a real S3 server. */
@ExtendWith(S3ProxyServer.class)
class OmrS3aTest {
    static SparkSession spark;
    static S3ProxyServer s3;

    @BeforeAll
    static void start(S3ProxyServer server) {
        s3 = server;
        spark = server.localSpark("OmrS3aTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aSampleOnS3ReproducesOmrCheckersCsvs(@TempDir Path tmp) throws Exception {
        Path samples = SharedData.require("omr/samples");
        String bucket = S3ProxyServer.DEFAULT_BUCKET;
        // sample5: two subfolders inheriting template, config, evaluation and a marker image from above.
        String in = s3.uploadTree(samples.resolve("sample5"), bucket, "exam/sample5");
        String out = S3ProxyServer.s3aUri(bucket, "results/sample5");
        RunSummary s = new JobRunner(spark, Storage.of(s3.s3aSettings())).run(new OmrJob(OmrSettings.of(in)), out);
        assertEquals(0, s.unitsFailed(), s.render());
        assertEquals(2, s.unitsDone());

        List<String> keys = s3.list(bucket, "results/sample5/");
        assertTrue(keys.contains("results/sample5/" + RunManifest.SUCCESS), keys.toString());
        assertTrue(keys.stream().anyMatch(k -> k.startsWith("results/sample5/ScanBatch1/Stages/camscanner-1.jpg/")), keys.toString());
        int compared = 0;
        for (OmrExpected.Case c : OmrExpected.cases(samples, SharedData.require("omr/expected"))) {
            if (!c.sampleRelative().startsWith("sample5")) {
                continue;
            }
            Path local = tmp.resolve(c.name());
            String prefix = "results/" + c.sampleRelative().toString().replace('\\', '/') + "/";
            for (String csv : List.of(ResultsCsv.RESULTS, ResultsCsv.MULTI_MARKED, ResultsCsv.ERRORS)) {
                Path p = local.resolve(csv);
                Files.createDirectories(p.getParent());
                Files.write(p, s3.read(bucket, prefix + csv));
            }
            OmrExpected.assertSameAsExpected(c, local);
            String row = Files.readAllLines(local.resolve(ResultsCsv.RESULTS)).get(1);
            assertTrue(row.contains("\"" + in), "input_path names the object: " + row);
            compared++;
        }
        assertEquals(2, compared);
        assertEquals(2, spark.read().parquet(out + "/" + OmrJob.RESULTS_TABLE).count());
        s3.deleteBucket(bucket);
        s3.createBucket(bucket);
    }
}
