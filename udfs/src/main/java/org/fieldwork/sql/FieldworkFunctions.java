package org.fieldwork.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.types.DataTypes;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.DataType;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.seismic.IbmFloat;
import org.fieldwork.seismic.SegyDataset;

/**
 * Registers Fieldwork's SQL functions on a session, in one place, so `fieldwork sql`, notebooks
 * and jobs see the same set. Each wraps plain Java from the domain packages:
 * <ul>
 * <li>{@code ibm_to_float(bits INT) FLOAT}: an IBM System/360 float's bits as IEEE.</li>
 * <li>{@code zarr_row(array STRING, row BIGINT) ARRAY<FLOAT>}: one row of a 2-D float32 Zarr array.</li>
 * <li>{@code segy_gather_traces(dataset STRING, first_trace BIGINT, trace_count BIGINT) ARRAY<ARRAY<FLOAT>>}:
 * the traces of a gather of an imported SEG-Y dataset (use with gathers.parquet).</li>
 * </ul>
 */
public final class FieldworkFunctions {
    /** Opened arrays per executor JVM: opening reads .zarray, rows are then plain chunk reads. */
    private static final Map<String, ZarrArray> OPEN = new ConcurrentHashMap<>();

    private FieldworkFunctions() {
    }

    public static void register(SparkSession spark) {
        Storage storage = Storage.fromHadoop(spark.sparkContext().hadoopConfiguration());
        spark.udf().register("ibm_to_float", (UDF1<Number, Float>) bits -> bits == null ? null : IbmFloat.toFloat(bits.intValue()),
                DataTypes.FloatType);
        spark.udf().register("zarr_row", (UDF2<String, Number, float[]>) (path, row) -> {
            if (path == null || row == null) {
                return null;
            }
            return rows(storage, path, row.longValue(), 1);
        }, DataTypes.createArrayType(DataTypes.FloatType));
        spark.udf().register("segy_gather_traces", (UDF3<String, Number, Number, float[][]>) (dataset, firstRow, countLong) -> {
            if (dataset == null || firstRow == null || countLong == null) {
                return null;
            }
            int count = Math.toIntExact(countLong.longValue());
            long first = firstRow.longValue();
            ZarrArray a = open(storage, Storage.join(dataset, SegyDataset.TRACES));
            int ns = (int) a.shape()[1];
            float[] flat = rows(storage, a.path(), first, count);
            float[][] traces = new float[count][];
            for (int i = 0; i < count; i++) {
                traces[i] = java.util.Arrays.copyOfRange(flat, i * ns, (i + 1) * ns);
            }
            return traces;
        }, DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType)));
    }

    private static float[] rows(Storage storage, String path, long first, int count) throws IOException {
        ZarrArray a = open(storage, path);
        if (a.shape().length != 2 || a.dataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException(path + ": zarr_row reads 2-D float32 arrays, this one is "
                    + a.dataType() + " with " + a.shape().length + " dimensions");
        }
        if (first < 0 || count < 0 || first + count > a.shape()[0]) {
            throw new IllegalArgumentException(path + ": rows [" + first + ", " + (first + count) + ") outside [0, "
                    + a.shape()[0] + ")");
        }
        return a.readFloats(new long[] {first, 0}, new int[] {count, (int) a.shape()[1]});
    }

    private static ZarrArray open(Storage storage, String path) {
        return OPEN.computeIfAbsent(path, p -> {
            try {
                return ZarrArray.open(storage, p);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
