package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.io.nd2.Nd2Writer;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** An ND2 read from s3a with positioned reads, every output written to s3a, on a real S3 server: same traces as locally. */
@ExtendWith(S3ProxyServer.class)
class MicroscopyS3aTest {
    static SparkSession spark;
    static S3ProxyServer s3;

    @BeforeAll
    static void start(S3ProxyServer server) {
        s3 = server;
        spark = server.localSpark("MicroscopyS3aTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aTimeLapseOnS3GivesTheSameTracesAsOnDisk(@TempDir Path tmp) throws Exception {
        Path nd2 = tmp.resolve("lapse.nd2");
        SyntheticNd2.write(nd2, 2, SyntheticTimeLapse.Parameters.builder().size(320, 256).frames(4).seed(4).cellScale(0.6)
                .build(), Nd2Writer.Compression.NONE);
        String bucket = S3ProxyServer.DEFAULT_BUCKET;
        String in = s3.upload(nd2, bucket, "lab/lapse.nd2");
        String out = S3ProxyServer.s3aUri(bucket, "traced/lapse");
        MicroscopySettings settings = new MicroscopySettings(in, null, List.of(), null, FovParameters.defaults("pyama"),
                true, 0);
        RunSummary s = new JobRunner(spark, Storage.of(s3.s3aSettings())).run(new MicroscopyJob(settings), out);
        assertEquals(2, s.unitsDone(), s.render());
        assertEquals(0, s.unitsFailed(), s.render());
        List<String> keys = s3.list(bucket, "traced/lapse/");
        for (String k : List.of(RunManifest.SUCCESS, "traces.parquet", "experiment.json", "fov_0001/traces.csv",
                "fov_0001/overlay_first.png", "fov_0001/binarized.zarr/0/3.0.0", "fov_0001/fluorescence_corrected.zarr/GFP/0/.zarray",
                "fov_0001/raw.zarr/PC/0/2.0.0")) {
            assertTrue(keys.contains("traced/lapse/" + k), k + " in " + keys);
        }
        Path local = tmp.resolve("local");
        RunSummary l = new JobRunner(spark, Storage.defaults()).run(new MicroscopyJob(
                new MicroscopySettings(nd2.toString(), null, List.of(), null, FovParameters.defaults("pyama"), false, 0)),
                local.toString());
        assertEquals(2, l.unitsDone(), l.render());
        for (String csv : List.of("fov_0000/traces.csv", "fov_0001/traces.csv")) {
            assertEquals(Files.readString(local.resolve(csv)), new String(s3.read(bucket, "traced/lapse/" + csv)), csv);
        }
        assertEquals(spark.read().parquet(local.resolve("traces.parquet").toString()).count(),
                spark.read().parquet(out + "/traces.parquet").count());
        s3.deleteBucket(bucket);
        s3.createBucket(bucket);
    }
}
