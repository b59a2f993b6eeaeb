package org.fieldwork.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.ecg.ContentBox;
import org.fieldwork.ecg.EcgAnalysis;
import org.fieldwork.ecg.EcgImage;
import org.fieldwork.ecg.EdgeMethod;
import org.fieldwork.ecg.QualityGates;
import org.fieldwork.ecg.QualityReport;
import org.fieldwork.io.Storage;
import org.fieldwork.kernels.KernelSession;
import org.fieldwork.run.JobRunner;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;
import org.fieldwork.seismic.SegyReader;
import org.fieldwork.seismic.TraceBlock;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-gather work in SQL over an imported dataset, checked against the reader; the ECG functions
 * over binaryFile rows, checked against the analysis called directly.
 */
class FieldworkFunctionsTest {
    private static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkSession.builder().master("local[2]").appName("FieldworkFunctionsTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        FieldworkFunctions.register(spark);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void gatherTracesAndRowsMatchTheSegyFile(@TempDir Path tmp) throws Exception {
        Path sgy = SharedData.require("segy/shot-gather.sgy");
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
    }

    /** The shared ECG images as binaryFile rows, with the file name as a column. */
    private static Dataset<Row> images(Path folder) {
        return spark.read().format("binaryFile").option("pathGlobFilter", "*.{png,jpg}").load(folder.toString())
                .selectExpr("regexp_extract(path, '[^/]+$', 0) AS name", "content");
    }

    @Test
    void ecgFunctionsOverSharedImagesAgreeWithTheAnalysis() throws Exception {
        Path folder = SharedData.require("ecg");
        images(folder).createOrReplaceTempView("ecg_images");
        // The quality gates (which find the grid) on the scans and the sample, PNG and JPEG (the 2200x1700
        // SampleData renders only cost time here); the rest on the sample, and the content box also on
        // an image whose content does not fill it.
        List<Row> rows = spark.sql("SELECT name, ecg_error(content) AS error, "
                + "CASE WHEN name = 'sample_ecg.png' THEN ecg_grid(content) END AS grid, "
                + "ecg_quality(content) AS quality, "
                + "CASE WHEN name = 'sample_ecg.png' THEN ecg_grid(content, 'hsv') END AS grid_hsv, "
                + "CASE WHEN name = 'sample_ecg.png' THEN ecg_edges(content) END AS edges, "
                + "CASE WHEN name IN ('sample_ecg.png', 'documentation_ecg_grid.png') THEN ecg_content_box(content) END AS box, "
                + "CASE WHEN name = 'sample_ecg.png' THEN ecg_content_box(content, 'contour') END AS contour_box "
                + "FROM ecg_images WHERE name NOT LIKE 'SampleData%'").collectAsList();
        Map<String, Row> byName = new HashMap<>();
        for (Row r : rows) {
            byName.put(r.getString(0), r);
            String name = r.getString(0);
            assertNull(r.get(1), name);
            Row q = r.getStruct(3);
            assertNotNull(q, name);
            assertEquals(q.getList(5).isEmpty(), q.getBoolean(4), name + " " + q);
        }
        assertTrue(byName.size() >= 7 && byName.containsKey("ecg00008.jpg"), byName.keySet().toString());

        Row sample = byName.get("sample_ecg.png");
        assertNotNull(sample, byName.keySet().toString());
        Row grid = sample.getStruct(2);
        assertEquals(20.0, grid.getDouble(grid.fieldIndex("fine_px")), 0.5, grid.toString());
        assertEquals(100.0, grid.getDouble(grid.fieldIndex("bold_px")), 0.5, grid.toString());
        assertEquals(20.0, grid.getDouble(grid.fieldIndex("px_per_mm")), 0.1, grid.toString());
        assertTrue(grid.getInt(grid.fieldIndex("lines_h")) >= 27 && grid.getInt(grid.fieldIndex("lines_v")) >= 37,
                grid.toString());
        Row hsv = sample.getStruct(4);
        assertNotNull(hsv);
        assertTrue(List.of("red", "black").contains(hsv.getString(0)), hsv.toString());

        byte[] bytes = Files.readAllBytes(folder.resolve("sample_ecg.png"));
        try (PointerScope scope = new PointerScope(); KernelSession kernels = KernelSession.open()) {
            for (String name : List.of("sample_ecg.png", "documentation_ecg_grid.png")) {
                ContentBox box = ContentBox.of(EcgImage.decode(name, Files.readAllBytes(folder.resolve(name))), kernels);
                assertEquals(List.of(box.x(), box.y(), box.width(), box.height()), fields(byName.get(name).getStruct(6)),
                        name);
                assertTrue(name.startsWith("sample") || !box.wholeImage(), name + " " + box);
            }
            EcgImage image = EcgImage.decode("sample_ecg.png", bytes);
            ContentBox contour = ContentBox.of(image, EdgeMethod.CONTOUR, kernels);
            assertEquals(List.of(contour.x(), contour.y(), contour.width(), contour.height()),
                    fields(sample.getStruct(7)));

            Mat edges = decode((byte[]) sample.get(5), opencv_imgcodecs.IMREAD_UNCHANGED);
            assertEquals(1, edges.channels());
            assertEquals(image.width(), edges.cols());
            assertEquals(image.height(), edges.rows());
            Mat gray = new Mat();
            opencv_imgproc.cvtColor(decode(bytes, opencv_imgcodecs.IMREAD_COLOR), gray, opencv_imgproc.COLOR_BGR2GRAY);
            Mat expected = EdgeMethod.CANNY.edges(gray, kernels);
            Mat diff = new Mat();
            opencv_core.absdiff(edges, expected, diff);
            assertEquals(0, opencv_core.countNonZero(diff), "pixels differing from the canny edge map");
            assertTrue(opencv_core.countNonZero(edges) > 1000);

            QualityReport direct = QualityGates.check(image, kernels);
            Row q = sample.getStruct(3);
            assertEquals(direct.blurScore(), q.getDouble(0), 1e-9);
            assertEquals(direct.dpiEstimate(), q.getDouble(1), 1e-9);
            assertEquals(direct.contrastScore(), q.getDouble(2), 1e-9);
            assertEquals(direct.gridLines(), q.getInt(3));
            assertEquals(direct.passed(), q.getBoolean(4));
            assertEquals(direct.failures(), q.getList(5));
        }
    }

    private static Mat decode(byte[] encoded, int flags) {
        return opencv_imgcodecs.imdecode(new Mat(1, encoded.length, opencv_core.CV_8UC1, new BytePointer(encoded)), flags);
    }

    private static List<Integer> fields(Row box) {
        assertNotNull(box);
        return List.of(box.getInt(0), box.getInt(1), box.getInt(2), box.getInt(3));
    }

    @Test
    void undecodableImagesGiveNullAndTheirReason(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("notes.png"), "scanned on the ward printer, see the paper copy\n");
        byte[] good;
        try (PointerScope scope = new PointerScope()) {
            Mat page = new Mat(120, 160, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
            for (int x = 10; x < 160; x += 10) {
                opencv_imgproc.line(page, new Point(x, 0), new Point(x, 119), new Scalar(160, 160, 255, 0));
            }
            opencv_imgproc.rectangle(page, new Point(30, 30), new Point(120, 90), new Scalar(0, 0, 0, 0), 2,
                    opencv_imgproc.LINE_8, 0);
            good = EcgAnalysis.png(page);
            Files.write(tmp.resolve("dot.png"), EcgAnalysis.png(new Mat(1, 1, opencv_core.CV_8UC3, new Scalar(0, 0, 255, 0))));
        }
        Files.write(tmp.resolve("page.png"), good);
        Files.write(tmp.resolve("cut.png"), Arrays.copyOf(good, good.length / 2));
        images(tmp).createOrReplaceTempView("mixed");
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.sql("SELECT name, ecg_error(content), ecg_edges(content), ecg_content_box(content), "
                + "ecg_grid(content), ecg_quality(content), "
                + "ecg_content_box(content, CAST(NULL AS STRING)) <=> ecg_content_box(content, 'canny') FROM mixed")
                .collectAsList()) {
            rows.put(r.getString(0), r);
        }
        assertEquals(4, rows.size(), rows.keySet().toString());
        for (String decodable : List.of("page.png", "dot.png")) {
            Row page = rows.get(decodable);
            assertNull(page.get(1), decodable);
            for (int i = 2; i < 6; i++) {
                assertNotNull(page.get(i), decodable + " column " + i);
            }
            assertTrue(page.getBoolean(6), decodable + ": a NULL method is the default, canny");
        }
        assertEquals("not an image (no PNG, JPEG, WebP, TIFF or BMP content)", rows.get("notes.png").getString(1));
        assertTrue(rows.get("cut.png").getString(1).startsWith("truncated PNG"), rows.get("cut.png").getString(1));
        for (String bad : List.of("notes.png", "cut.png")) {
            for (int i = 2; i < 6; i++) {
                assertNull(rows.get(bad).get(i), bad + " column " + i);
            }
        }

        Row nulls = spark.sql("SELECT ecg_edges(CAST(NULL AS BINARY)), ecg_content_box(CAST(NULL AS BINARY), 'sobel'), "
                + "ecg_grid(CAST(NULL AS BINARY)), ecg_quality(CAST(NULL AS BINARY)), ecg_error(CAST(NULL AS BINARY))")
                .first();
        for (int i = 0; i < 5; i++) {
            assertTrue(nulls.isNullAt(i), "column " + i);
        }
    }

    @Test
    void optionsAreCheckedWhenTheQueryIsAnalysed() {
        Exception method = assertThrows(Exception.class,
                () -> spark.sql("SELECT ecg_edges(content, 'blur') FROM VALUES (X'00') AS t(content)"));
        assertTrue(method.getMessage().contains("unknown edge method 'blur'"), method.getMessage());
        Exception colour = assertThrows(Exception.class,
                () -> spark.sql("SELECT ecg_grid(content, 'rgb') FROM VALUES (X'00') AS t(content)"));
        assertTrue(colour.getMessage().contains("lab or hsv"), colour.getMessage());
        Exception arity = assertThrows(Exception.class,
                () -> spark.sql("SELECT ecg_content_box(content, 'canny', 3) FROM VALUES (X'00') AS t(content)"));
        assertTrue(arity.getMessage().contains("ecg_content_box takes 1 or 2 arguments"), arity.getMessage());
        Exception one = assertThrows(Exception.class,
                () -> spark.sql("SELECT ecg_quality(content, 'lab') FROM VALUES (X'00') AS t(content)"));
        assertTrue(one.getMessage().contains("ecg_quality takes 1 argument, got 2: ecg_quality(content)"),
                one.getMessage());
        assertFalse(spark.sql("SELECT ecg_edges(content, 'Sobel') FROM VALUES (X'00') AS t(content)")
                .schema().isEmpty());
        String usage = spark.sql("DESCRIBE FUNCTION ecg_grid").collectAsList().toString();
        assertTrue(usage.contains("ecg_grid(content [, color_method])"), usage);
    }
}
