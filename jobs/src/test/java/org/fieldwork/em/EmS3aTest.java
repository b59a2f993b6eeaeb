package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

/** EM movies (MRC and TIFF) read from a bucket prefix, every output written to a bucket, on a real S3 server. */
@ExtendWith(S3ProxyServer.class)
class EmS3aTest {
    static SparkSession spark;
    static S3ProxyServer s3;

    @BeforeAll
    static void start(S3ProxyServer server) {
        s3 = server;
        spark = server.localSpark("EmS3aTest");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void aBucketOfMoviesGivesEveryOutputInABucket(@TempDir Path tmp) throws Exception {
        Path local = Files.createDirectories(tmp.resolve("session/grid1"));
        SyntheticMovie.Spec spec = SyntheticMovie.Spec.small().withSize(512, 512, 8).withParticles(3, 200);
        EmSynth.write(new SyntheticMovie(spec.withSeed(1)), local.resolve("a.mrc"), false);
        EmSynth.write(new SyntheticMovie(spec.withSeed(2)), local.resolve("b.tif"), true);
        String bucket = S3ProxyServer.DEFAULT_BUCKET;
        String in = s3.uploadTree(tmp.resolve("session"), bucket, "em/session");
        String out = S3ProxyServer.s3aUri(bucket, "processing/session");
        Storage storage = Storage.of(s3.s3aSettings());
        JobRunner runner = new JobRunner(spark, storage);
        EmSettings settings = EmSettings.defaults(List.of(in)).withOptics(1.35, 300, 2.7, 0);
        RunSummary s = runner.run(new EmJob(settings), out);
        assertEquals(2, s.unitsDone(), s.render());

        List<String> keys = s3.list(bucket, "processing/session/");
        for (String k : List.of(EmJob.ITEMS, EmJob.PICKS, "average/grid1~a.mrc", "average/grid1~b.mrc",
                "thumbnails/grid1~a_spectrum.png", "thumbnails/grid1~b_drift.png", "thumbnails/grid1~b_picks.png",
                "coordinates/grid1~a_autopick.star", "processed_items.json")) {
            assertTrue(keys.stream().anyMatch(key -> key.startsWith("processing/session/" + k)), k + " in " + keys);
        }
        List<EmItemsTable.Row> items = EmItemsTable.read(storage, out + "/" + EmJob.ITEMS);
        assertEquals(List.of("a.mrc", "b.tif"), items.stream().map(EmItemsTable.Row::movie).toList());
        for (EmItemsTable.Row r : items) {
            assertEquals("processed", r.status(), r.error());
            assertEquals(8, r.frames());
            assertNotNull(r.defocusUUm());
        }
        try (MovieFrames average = Movies.open(storage, out + "/average/grid1~a.mrc")) {
            assertEquals(512, average.width());
            assertEquals(1.35, average.pixelSizeA(), 1e-6);
        }
        RunSummary again = runner.run(new EmJob(settings), out);
        assertEquals(2, again.unitsSkipped(), again.render());
        s3.deleteBucket(bucket);
        s3.createBucket(bucket);
    }
}
