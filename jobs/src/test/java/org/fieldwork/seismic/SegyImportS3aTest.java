package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.SparkOnDemand;
import org.fieldwork.testing.S3ProxyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A SEG-Y import into a bucket, on a real S3 server, run as the command line runs it (units on the
 * driver's threads, no Spark): segments that share chunks leave their rows as edge pieces in the
 * bucket, and the merge reads them back from there into the boundary chunks.
 */
@ExtendWith(S3ProxyServer.class)
class SegyImportS3aTest {
    @Test
    void boundaryChunksAreAssembledFromEdgePiecesInTheBucket(S3ProxyServer s3, @TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("line.sgy");
        new SyntheticSegy(2300, 150, 7, 40, SampleFormat.IBM_FLOAT32, 12).write(sgy);
        String out = S3ProxyServer.s3aUri(S3ProxyServer.DEFAULT_BUCKET, "seismic/line");
        Storage storage = Storage.of(s3.s3aSettings());
        // Four segments and chunks of 300 traces: the segments' ends fall inside chunks.
        SegyImportSettings settings = new SegyImportSettings(sgy.toString(), "fldr", 4, 64, "zstd", 300, 0);
        SparkOnDemand noSpark = SparkOnDemand.lazy("local[2]", () -> {
            throw new AssertionError("a local import starts no Spark");
        });
        RunSummary run = new JobRunner(noSpark, storage).run(new SegyImportJob(settings, true), out);
        assertEquals(4, run.unitsDone(), run.render());
        assertTrue(run.render().contains("boundary chunks assembled") && !run.render().contains(" 0 boundary chunks"),
                run.render());

        float[] stored = (float[]) ZarrArray.open(storage, out + "/traces.zarr").readRows(0, 2300);
        try (SegyReader reader = SegyReader.open(Storage.defaults(), sgy.toString())) {
            TraceBlock block = TraceBlock.allFields(2300, 150);
            reader.read(0, 2300, block);
            float[] want = block.samples();
            for (int i = 0; i < want.length; i++) {
                if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(stored[i])) {
                    assertEquals(want[i], stored[i], "sample " + (i % 150) + " of trace " + i / 150);
                }
            }
        }
        assertTrue(s3.list(S3ProxyServer.DEFAULT_BUCKET, "seismic/line/_segments/").isEmpty(), "edge pieces removed");
    }
}
