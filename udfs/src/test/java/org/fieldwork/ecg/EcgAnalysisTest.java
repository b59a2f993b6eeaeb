package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.kernels.KernelDevice;
import org.fieldwork.kernels.KernelReport;
import org.fieldwork.kernels.KernelSession;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EcgAnalysis#analyze}: which ops run for which request, what each part equals (checked
 * against OpenCV and the reference rules computed here), the PNG pictures, and digitization.
 */
class EcgAnalysisTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Logger LOG = LoggerFactory.getLogger(EcgAnalysisTest.class);
    static KernelSession kernels;

    @BeforeAll
    static void openKernels() {
        kernels = KernelSession.open(KernelDevice.JAVA);
    }

    @AfterAll
    static void closeKernels() {
        kernels.close();
    }

    private static byte[] sampleBytes() throws IOException {
        return Files.readAllBytes(SharedData.require(SharedEcg.SAMPLE));
    }

    /** sample_ecg.png as imread gives it, and its gray by cvtColor. */
    private static Mat[] sampleBgrAndGray() {
        Mat bgr = opencv_imgcodecs.imread(SharedData.require(SharedEcg.SAMPLE).toString(), opencv_imgcodecs.IMREAD_COLOR);
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
        return new Mat[] {bgr, gray};
    }

    @Test
    void defaultOptionsGiveBoxColourGridAndQuality() throws IOException {
        EcgResult r = EcgAnalysis.analyze("sample_ecg.png", sampleBytes(), EcgOptions.DEFAULT, kernels);
        Mat gray = sampleBgrAndGray()[1];
        assertEquals("sample_ecg.png", r.name());
        assertEquals(800, r.width());
        assertEquals(600, r.height());
        assertEquals(KernelReport.JAVA, r.device());

        // the content box is that of the reference's canny map; the grid runs to every edge of this
        // page, so its largest contour is the whole page
        assertEquals(ContentBox.ofEdges(ReferenceEdges.canny(gray)), r.contentBox());
        assertTrue(r.contentBox().wholeImage(), r.contentBox().toString());

        // LAB calls the (blue) grid red: its a channel is above 127 on average, see ColorSeparationTest
        assertEquals(ColorSeparation.Method.LAB, r.colorMethod());
        assertEquals(GridColour.RED, r.gridColour());

        Grid grid = r.grid();
        assertEquals(20.0, grid.fineSpacingPx(), 0.5, grid.toString());
        assertEquals(100.0, grid.boldSpacingPx(), 0.5, grid.toString());
        assertEquals(20.0, grid.pxPerMm(), 0.1, grid.toString());

        QualityReport q = r.quality();
        assertEquals(800 / 210.0 * 25.4, q.dpiEstimate(), 1e-9);
        assertEquals(laplacianVariance(gray), q.blurScore(), 1e-9 * q.blurScore());
        assertEquals(histogramCountsStd(gray), q.contrastScore(), 1e-9 * q.contrastScore());
        assertEquals(grid.lineCount(), q.gridLines());
        assertTrue(q.gridFound() && q.sharp() && q.enoughContrast(), q.toString());
        // 800 px over an A4 page's 210 mm is 97 dpi, under the 150 dpi gate
        assertFalse(q.enoughResolution());
        assertFalse(q.passed());
        assertEquals(1, q.failures().size(), q.failures().toString());
        assertTrue(q.failures().get(0).startsWith("resolution: estimated 97 dpi"), q.failures().toString());

        assertNull(r.digitized());
        assertTrue(r.images().isEmpty());
    }

    @Test
    void qualityAloneRunsColourAndGridButNotEdgesOrCrop() throws IOException {
        byte[] bytes = sampleBytes();
        EcgResult all = EcgAnalysis.analyze("sample_ecg.png", bytes, EcgOptions.DEFAULT, kernels);
        EcgResult r = EcgAnalysis.analyze("sample_ecg.png", bytes,
                EcgOptions.DEFAULT.withOps(EcgOp.parseList("quality")).withImages(true), kernels);
        assertNull(r.contentBox());
        assertEquals(GridColour.RED, r.gridColour());
        assertEquals(all.grid(), r.grid());
        assertEquals(all.quality(), r.quality());
        assertNull(r.digitized());
        // pictures are of the ops asked for; quality has none
        assertTrue(r.images().isEmpty(), r.images().keySet().toString());
    }

    @Test
    void eachOpRunsWhatItNeedsAndNoMore() throws IOException {
        byte[] bytes = sampleBytes();
        EcgResult all = EcgAnalysis.analyze("sample_ecg.png", bytes, EcgOptions.DEFAULT, kernels);

        EcgResult colour = analyze(bytes, "color");
        assertEquals(GridColour.RED, colour.gridColour());
        assertNull(colour.grid());
        assertNull(colour.quality());
        assertNull(colour.contentBox());

        EcgResult grid = analyze(bytes, "grid");
        assertEquals(all.grid(), grid.grid());
        assertNull(grid.quality());
        assertNull(grid.contentBox());

        EcgResult crop = analyze(bytes, "crop");
        assertEquals(all.contentBox(), crop.contentBox());
        assertNull(crop.gridColour());
        assertNull(crop.grid());
        assertNull(crop.quality());

        EcgResult edges = analyze(bytes, "edges");
        assertNull(edges.contentBox());
        assertNull(edges.gridColour());
        assertNull(edges.quality());
        assertEquals(KernelReport.JAVA, edges.device());
    }

    private static EcgResult analyze(byte[] bytes, String ops) {
        return EcgAnalysis.analyze("sample_ecg.png", bytes, EcgOptions.DEFAULT.withOps(EcgOp.parseList(ops)), kernels);
    }

    @Test
    void opListsParseAndUnknownOnesListTheValidNames() {
        assertEquals(EnumSet.of(EcgOp.EDGES, EcgOp.CROP, EcgOp.COLOR), EcgOp.parseList("edges, crop,color"));
        assertEquals(EnumSet.of(EcgOp.EDGES, EcgOp.CROP, EcgOp.COLOR, EcgOp.GRID, EcgOp.QUALITY), EcgOp.parseList("all"));
        assertEquals(EnumSet.allOf(EcgOp.class), EcgOp.parseList(" ALL , Digitize "));
        assertEquals(EnumSet.of(EcgOp.COLOR), EcgOp.parseList("colour"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EcgOp.parseList("edges,foo"));
        assertTrue(e.getMessage().contains("'foo'"), e.getMessage());
        assertTrue(e.getMessage().contains("edges, crop, color, grid, quality, digitize or all"), e.getMessage());
        for (String none : new String[] {"", " , ", null}) {
            IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> EcgOp.parseList(none));
            assertTrue(empty.getMessage().contains("no ECG operation"), empty.getMessage());
        }
        assertEquals(EnumSet.of(EcgOp.COLOR, EcgOp.GRID, EcgOp.QUALITY), EcgOp.withPrerequisites(Set.of(EcgOp.QUALITY)));
        assertEquals(EnumSet.of(EcgOp.EDGES, EcgOp.CROP), EcgOp.withPrerequisites(Set.of(EcgOp.CROP)));
        assertEquals(EnumSet.of(EcgOp.COLOR, EcgOp.GRID, EcgOp.DIGITIZE), EcgOp.withPrerequisites(Set.of(EcgOp.DIGITIZE)));
        assertEquals(EnumSet.of(EcgOp.EDGES), EcgOp.withPrerequisites(Set.of(EcgOp.EDGES)));
    }

    @Test
    void optionsAreCheckedAndDescribed() {
        Set<EcgOp> ops = EnumSet.of(EcgOp.GRID);
        assertThrows(IllegalArgumentException.class, () -> new EcgOptions(Set.of(), EdgeMethod.CANNY,
                ColorSeparation.Method.LAB, 10, false, 500));
        assertThrows(IllegalArgumentException.class, () -> new EcgOptions(ops, null, ColorSeparation.Method.LAB, 10, false, 500));
        IllegalArgumentException padding = assertThrows(IllegalArgumentException.class,
                () -> new EcgOptions(ops, EdgeMethod.CANNY, ColorSeparation.Method.LAB, -1, false, 500));
        assertTrue(padding.getMessage().contains("-1"), padding.getMessage());
        for (double rate : new double[] {0, -5, Double.NaN, 20_000}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new EcgOptions(ops, EdgeMethod.CANNY, ColorSeparation.Method.LAB, 10, false, rate), "rate " + rate);
        }
        Map<String, String> d = EcgOptions.DEFAULT.describe();
        assertEquals("edges,crop,color,grid,quality", d.get("ops"));
        assertEquals("canny", d.get("method"));
        assertFalse(d.containsKey("sampleRateHz"), d.toString());
        Map<String, String> digitize = new EcgOptions(EcgOp.parseList("digitize"), EdgeMethod.SOBEL,
                ColorSeparation.Method.HSV, 10, false, 250).describe();
        assertEquals("digitize", digitize.get("ops"));
        assertEquals("sobel", digitize.get("method"));
        assertEquals("250.0", digitize.get("sampleRateHz"));
        assertTrue(EcgOptions.DEFAULT.runs(EcgOp.COLOR));
        assertFalse(EcgOptions.DEFAULT.runs(EcgOp.DIGITIZE));
    }

    /**
     * Default pictures: the edge map is the reference's canny map, the crop the whole page (its box,
     * padded and clamped), trace and grid are Lab's L and a &gt; 140 (the LAB rules for a red grid).
     */
    @Test
    void picturesArePngsOfTheExpectedContent() throws IOException {
        EcgResult r = EcgAnalysis.analyze("sample_ecg.png", sampleBytes(), EcgOptions.DEFAULT.withImages(true), kernels);
        assertEquals(Set.of(EcgAnalysis.EDGES, EcgAnalysis.CROP, EcgAnalysis.TRACE, EcgAnalysis.GRID), r.images().keySet());
        Mat[] sample = sampleBgrAndGray();
        Mat bgr = sample[0];
        Mat gray = sample[1];
        Map<String, Mat> decoded = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : r.images().entrySet()) {
            byte[] png = e.getValue();
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), e.getKey() + " is not a PNG");
            decoded.put(e.getKey(), imdecodeUnchanged(png));
        }
        assertSame(ReferenceEdges.canny(gray), decoded.get(EcgAnalysis.EDGES), "edges");
        assertSame(bgr, decoded.get(EcgAnalysis.CROP), "crop of the whole page");

        Mat lab = new Mat();
        opencv_imgproc.cvtColor(bgr, lab, opencv_imgproc.COLOR_BGR2Lab);
        Mat l = new Mat();
        opencv_core.extractChannel(lab, l, 0);
        Mat a = new Mat();
        opencv_core.extractChannel(lab, a, 1);
        Mat mask = new Mat();
        opencv_imgproc.threshold(a, mask, 140, 255, opencv_imgproc.THRESH_BINARY);
        assertSame(l, decoded.get(EcgAnalysis.TRACE), "trace");
        assertSame(mask, decoded.get(EcgAnalysis.GRID), "grid");
        assertTrue(opencv_core.countNonZero(mask) > 0);
    }

    /**
     * The other methods' boxes on the sample lie inside the page: each is the box of the
     * reference's map, which is the edges picture, and the crop is the box padded by 10 px, clamped
     * (the laplacian box and the contour box touch the bottom right corner).
     */
    @ParameterizedTest
    @EnumSource(value = EdgeMethod.class, names = {"SOBEL", "LAPLACIAN", "CONTOUR"})
    void edgeMethodChoosesTheMapBehindTheBoxAndTheCropIsPaddedAndClamped(EdgeMethod method) throws IOException {
        EcgResult r = EcgAnalysis.analyze("sample_ecg.png", sampleBytes(),
                EcgOptions.DEFAULT.withOps(EcgOp.parseList("edges,crop")).withMethod(method).withImages(true), kernels);
        assertEquals(Set.of(EcgAnalysis.EDGES, EcgAnalysis.CROP), r.images().keySet());
        Mat[] sample = sampleBgrAndGray();
        Mat reference = ReferenceEdges.gray(800, 600, ReferenceEdges.edges(sample[1], method));
        assertSame(reference, imdecodeUnchanged(r.images().get(EcgAnalysis.EDGES)), method + " edges");
        ContentBox b = ContentBox.ofEdges(reference);
        assertEquals(b, r.contentBox());
        assertFalse(b.wholeImage(), b.toString());
        int x0 = Math.max(0, b.x() - 10);
        int y0 = Math.max(0, b.y() - 10);
        int x1 = Math.min(800, b.x() + b.width() + 10);
        int y1 = Math.min(600, b.y() + b.height() + 10);
        if (method != EdgeMethod.SOBEL) {
            assertTrue(b.x() + b.width() + 10 > 800 && b.y() + b.height() + 10 > 600, "clamped: " + b);
        }
        assertSame(sample[0].apply(new Rect(x0, y0, x1 - x0, y1 - y0)),
                imdecodeUnchanged(r.images().get(EcgAnalysis.CROP)), method + " crop");
    }

    /** Padding 0 crops the box itself; a huge padding, clamped, the whole page. */
    @Test
    void cropPaddingIsClampedToTheImage() throws IOException {
        EcgOptions huge = new EcgOptions(EcgOp.parseList("crop"), EdgeMethod.SOBEL, ColorSeparation.Method.LAB, 10_000,
                true, 500);
        EcgResult r = EcgAnalysis.analyze("sample_ecg.png", sampleBytes(), huge, kernels);
        assertEquals(Set.of(EcgAnalysis.CROP), r.images().keySet());
        assertSame(sampleBgrAndGray()[0], imdecodeUnchanged(r.images().get(EcgAnalysis.CROP)), "crop padded by 10000");

        EcgOptions none = new EcgOptions(EcgOp.parseList("crop"), EdgeMethod.SOBEL, ColorSeparation.Method.LAB, 0, true, 500);
        EcgResult tight = EcgAnalysis.analyze("sample_ecg.png", sampleBytes(), none, kernels);
        ContentBox b = tight.contentBox();
        assertSame(sampleBgrAndGray()[0].apply(new Rect(b.x(), b.y(), b.width(), b.height())),
                imdecodeUnchanged(tight.images().get(EcgAnalysis.CROP)), "crop padded by 0");
    }

    @Test
    void digitizingABlankPageFailsNamingTheImage() {
        Mat blank = new Mat(840, 1188, opencv_core.CV_8UC3, new Scalar(255, 255, 255, 0));
        EcgOptions digitize = EcgOptions.DEFAULT.withOps(EcgOp.parseList("digitize"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EcgAnalysis.analyze(EcgImage.of("blank-page.png", blank), digitize, kernels));
        assertTrue(e.getMessage().startsWith("ECG image blank-page.png: cannot digitize"), e.getMessage());
        // the same through the bytes entry point
        IllegalArgumentException fromBytes = assertThrows(IllegalArgumentException.class,
                () -> EcgAnalysis.analyze("blank-page.png", EcgAnalysis.png(blank), digitize, kernels));
        assertEquals(e.getMessage(), fromBytes.getMessage());
    }

    /**
     * The shared PTB-XL record rendered at 8 px/mm on a red grid (as EcgDigitizerTest does), as PNG
     * bytes: the grid calibrates the page and the leads come out at the asked rate, 2.5 s each and
     * 10 s for the rhythm strip's lead II. At the record's own 100 Hz they score against it.
     */
    @Test
    void digitizingARenderGivesTwelveLeadsAtTheAskedRate() throws IOException {
        WfdbRecord record = WfdbRecord.read(SharedData.require("ecg/SampleData_PTB_XL_data_00001_lr.hea"));
        RenderedEcg page = EcgRenderer.render(record, EcgLayout.standard(), EcgRenderer.Options.clean(8));
        byte[] png;
        try {
            png = EcgAnalysis.png(page.image());
        } finally {
            page.image().close();
        }
        EcgOptions at250 = new EcgOptions(EcgOp.parseList("digitize"), EdgeMethod.CANNY, ColorSeparation.Method.LAB, 10,
                false, 250);
        EcgResult r = EcgAnalysis.analyze("ptbxl-render.png", png, at250, kernels);
        assertEquals(8.0, r.grid().pxPerMm(), 0.1, r.grid().toString());
        assertNull(r.quality());
        assertNull(r.contentBox());
        DigitizedEcg d = r.digitized();
        assertEquals(12, d.leads().size(), d.leads().toString());
        for (DigitizedEcg.Lead lead : d.leads()) {
            assertEquals(250.0, lead.sampleRateHz(), lead.name());
            assertEquals(lead.name().equals("II") ? 2500 : 625, lead.valuesMv().length, lead.name());
        }

        EcgOptions at100 = new EcgOptions(EcgOp.parseList("digitize"), EdgeMethod.CANNY, ColorSeparation.Method.LAB, 10,
                false, record.sampleRateHz());
        DigitizedEcg native100 = EcgAnalysis.analyze("ptbxl-render.png", png, at100, kernels).digitized();
        Map<String, double[]> labels = new LinkedHashMap<>();
        for (RenderedEcg.Panel p : page.panels()) {
            double[] kept = labels.get(p.place().lead());
            if (kept == null || kept.length < p.valuesMv().length) {
                labels.put(p.place().lead(), p.valuesMv());
            }
        }
        double snr = SignalScore.score(labels, native100.valuesByLead(), record.sampleRateHz()).snrDb();
        LOG.info("render digitized through the analysis at 100 Hz: SNR {} dB, grid {}", snr, r.grid());
        assertTrue(snr > 13.0, "SNR " + snr + " dB (measured 14.8 dB)");
    }

    private static Mat imdecodeUnchanged(byte[] bytes) {
        Mat buf = new Mat(1, bytes.length, opencv_core.CV_8UC1);
        ((ByteBuffer) buf.createBuffer()).put(bytes);
        Mat m = opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_UNCHANGED);
        assertFalse(m.empty(), "OpenCV could not decode the PNG");
        return m;
    }

    /** Same type, size and bytes. */
    private static void assertSame(Mat expected, Mat actual, String what) {
        assertEquals(expected.type(), actual.type(), what + ": type");
        assertEquals(expected.cols() + "x" + expected.rows(), actual.cols() + "x" + actual.rows(), what + ": size");
        Mat diff = new Mat();
        opencv_core.absdiff(expected, actual, diff);
        Mat flat = diff.reshape(1, 0);
        assertEquals(0, opencv_core.countNonZero(flat), what + ": pixels that differ");
    }

    /** Population variance of OpenCV's CV_64F Laplacian (ksize 1), the reference's blur score. */
    private static double laplacianVariance(Mat gray) {
        Mat l = new Mat();
        opencv_imgproc.Laplacian(gray, l, opencv_core.CV_64F);
        Mat mean = new Mat();
        Mat std = new Mat();
        opencv_core.meanStdDev(l, mean, std);
        try (DoubleIndexer ix = std.createIndexer()) {
            return ix.get(0) * ix.get(0);
        }
    }

    /** np.std of the 256 bin counts of the gray histogram. */
    private static double histogramCountsStd(Mat gray) {
        double[] counts = new double[256];
        for (byte b : ReferenceEdges.bytes(gray)) {
            counts[b & 0xff]++;
        }
        double mean = 0;
        for (double c : counts) {
            mean += c / 256;
        }
        double sum = 0;
        for (double c : counts) {
            sum += (c - mean) * (c - mean);
        }
        return Math.sqrt(sum / 256);
    }
}
