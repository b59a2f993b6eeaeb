package org.fieldwork.sql;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.ExpressionInfo;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.fieldwork.ecg.ColorSeparation;
import org.fieldwork.ecg.EdgeMethod;
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
 * ECG paper images, one encoded image a row (PNG, JPEG, WebP, TIFF or BMP, as in
 * {@code spark.read.format("binaryFile")}'s {@code content}), through {@link org.fieldwork.ecg.EcgAnalysis}:
 * <ul>
 * <li>{@code ecg_edges(content BINARY [, method STRING]) BINARY}: the edge map as a PNG (255 on edges);
 * method canny (default), sobel, laplacian or contour.</li>
 * <li>{@code ecg_content_box(content BINARY [, method STRING]) STRUCT<x INT, y INT, width INT, height INT>}:
 * the bounding box of the largest outline of that edge map (the whole image when there is none).</li>
 * <li>{@code ecg_grid(content BINARY [, color_method STRING]) STRUCT<grid_color STRING, fine_px DOUBLE,
 * bold_px DOUBLE, lines_h INT, lines_v INT, px_per_mm DOUBLE>}: grid colour and spacing; color_method
 * lab (default) or hsv; a spacing not found is NULL.</li>
 * <li>{@code ecg_quality(content BINARY) STRUCT<blur_score DOUBLE, dpi DOUBLE, contrast DOUBLE, grid_lines INT,
 * pass BOOLEAN, failures ARRAY<STRING>>}: the quality gates; failures holds a reason per failed gate.</li>
 * <li>{@code ecg_error(content BINARY) STRING}: why the content is not a decodable image, NULL when it is.</li>
 * </ul>
 * NULL content gives NULL. Content that does not decode (not an image, truncated, corrupt, over the
 * decoder's size limit) gives NULL too, so one bad file among thousands does not end the query;
 * {@code ecg_error} says why, e.g. {@code WHERE ecg_error(content) IS NOT NULL} lists them. A NULL
 * method means the default; an unknown one fails the query (at analysis when it is a literal).
 * Every other failure, such as {@code --kernels opencl} without an OpenCL device, fails the query.
 * Each function decodes and analyses its image itself; for every result of many images at once, the
 * {@code ecg} job computes them in one pass. Kernels run in one session per Spark task, under the
 * same device policy as the jobs.
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

        String badImage = " NULL for NULL content and for content that is not a decodable image (ecg_error says why).";
        function(spark, "ecg_edges", "_FUNC_(content [, method]) - The edge map (255 on edges) of an encoded ECG image, "
                + "as PNG; method canny (default), sobel, laplacian or contour." + badImage,
                functions.udf((UDF1<byte[], byte[]>) c -> EcgFunctions.edges(c, null), DataTypes.BinaryType),
                functions.udf((UDF2<byte[], String, byte[]>) EcgFunctions::edges, DataTypes.BinaryType),
                EdgeMethod::parse);
        function(spark, "ecg_content_box", "_FUNC_(content [, method]) - STRUCT<x, y, width, height>: the bounding box "
                + "of the largest outline in the image's edge map (method as for ecg_edges); the whole image when there "
                + "is none." + badImage,
                functions.udf((UDF1<byte[], Row>) c -> EcgFunctions.contentBox(c, null), EcgFunctions.CONTENT_BOX),
                functions.udf((UDF2<byte[], String, Row>) EcgFunctions::contentBox, EcgFunctions.CONTENT_BOX),
                EdgeMethod::parse);
        function(spark, "ecg_grid", "_FUNC_(content [, color_method]) - STRUCT<grid_color, fine_px, bold_px, lines_h, "
                + "lines_v, px_per_mm>: the paper grid's colour, spacing in pixels (NULL when not found) and lines; "
                + "color_method lab (default) or hsv." + badImage,
                functions.udf((UDF1<byte[], Row>) c -> EcgFunctions.grid(c, null), EcgFunctions.GRID),
                functions.udf((UDF2<byte[], String, Row>) EcgFunctions::grid, EcgFunctions.GRID),
                m -> ColorSeparation.Method.parse(m.trim()));
        function(spark, "ecg_quality", "_FUNC_(content) - STRUCT<blur_score, dpi, contrast, grid_lines, pass, failures>: "
                + "the quality gates; failures holds a reason per failed gate (blur, resolution, contrast, grid)."
                + badImage,
                functions.udf((UDF1<byte[], Row>) EcgFunctions::quality, EcgFunctions.QUALITY), null, null);
        function(spark, "ecg_error", "_FUNC_(content) - Why the content is not a decodable image, in one line; NULL when "
                + "it is one (or is NULL).",
                functions.udf((UDF1<byte[], String>) EcgFunctions::error, DataTypes.StringType), null, null);
    }

    /**
     * Registers a function of one argument, or of one or two when {@code two} is given: the second
     * is an option that may be left out. Spark's UDF registry keeps one arity per name (registering
     * again replaces), so this registers the builder Spark's own {@code udf().register} would,
     * choosing the UDF by the number of arguments, with a usage text for {@code DESCRIBE FUNCTION}.
     * A literal option is checked while the query is analysed, so a typo fails before any row is read.
     */
    private static void function(SparkSession spark, String name, String usage, UserDefinedFunction one,
            UserDefinedFunction two, Consumer<String> checkOption) {
        UserDefinedFunction first = one.withName(name);
        UserDefinedFunction both = two == null ? null : two.withName(name);
        scala.Function1<scala.collection.Seq<Expression>, Expression> builder = args -> {
            if (args.size() == 1) {
                return first.apply(new Column(args.apply(0))).expr();
            }
            if (args.size() == 2 && both != null) {
                Expression option = args.apply(1);
                if (option.foldable()) {
                    Object value = option.eval(null);
                    if (value != null) {
                        checkOption.accept(value.toString());
                    }
                }
                return both.apply(new Column(args.apply(0)), new Column(option)).expr();
            }
            throw new IllegalArgumentException(name + " takes " + (both == null ? "1 argument" : "1 or 2 arguments")
                    + ", got " + args.size() + ": " + usage.substring(0, usage.indexOf(" - ")).replace("_FUNC_", name));
        };
        spark.sessionState().functionRegistry().registerFunction(FunctionIdentifier.apply(name),
                new ExpressionInfo(FieldworkFunctions.class.getName(), null, name, usage, "", "", "", "", "", "",
                        "java_udf"),
                builder);
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
