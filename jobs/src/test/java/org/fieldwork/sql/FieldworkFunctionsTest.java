package org.fieldwork.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;
import org.fieldwork.seismic.SegyReader;
import org.fieldwork.seismic.TraceBlock;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-gather work in SQL over an imported dataset, checked against the reader. */
class FieldworkFunctionsTest {

    @Test
    void gatherTracesAndRowsMatchTheSegyFile(@TempDir Path tmp) throws Exception {
        Path sgy = SharedData.require("segy/shot-gather.sgy");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("FieldworkFunctionsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            FieldworkFunctions.register(spark);
            Path out = tmp.resolve("shots");
            new JobRunner(spark, Storage.defaults()).run(new SegyImportJob(
                    new SegyImportSettings(sgy.toString(), "fldr", 2, 64, "zstd", 16, 0), true), out.toString());
            float[] all;
            try (SegyReader r = SegyReader.open(Storage.defaults(), sgy.toString())) {
                TraceBlock b = TraceBlock.allFields(61, 25);
                r.read(0, 61, b);
                all = Arrays.copyOf(b.samples(), 61 * 25);
            }
            List<Row> gathers = spark.sql("SELECT gather_id, FieldRecord, trace_count, segy_gather_traces('" + out
                    + "', first_trace, trace_count) AS traces FROM parquet.`" + out + "/gathers.parquet` ORDER BY gather_id")
                    .collectAsList();
            assertEquals(4, gathers.size());
            int trace = 0;
            for (Row g : gathers) {
                List<scala.collection.Seq<Float>> traces = g.getList(3);
                assertEquals(g.getLong(2), traces.size());
                for (scala.collection.Seq<Float> t : traces) {
                    float[] got = new float[t.size()];
                    for (int i = 0; i < got.length; i++) {
                        got[i] = t.apply(i);
                    }
                    assertArrayEquals(Arrays.copyOfRange(all, trace * 25, (trace + 1) * 25), got, "trace " + trace);
                    trace++;
                }
            }
            assertEquals(61, trace);
            Row r = spark.sql("SELECT zarr_row('" + out + "/traces.zarr', 40) AS t").first();
            assertEquals(all[40 * 25 + 3], ((Number) r.getList(0).get(3)).floatValue());
        } finally {
            spark.stop();
        }
    }
}
