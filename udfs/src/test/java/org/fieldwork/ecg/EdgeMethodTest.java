package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.kernels.KernelDevice;
import org.fieldwork.kernels.KernelReport;
import org.fieldwork.kernels.KernelSession;
import org.fieldwork.kernels.OpenClRequirement;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The four edge maps against the reference rebuilt from OpenCV and numpy's rules ({@link
 * ReferenceEdges}), pixel for pixel, on every image in ../shared/data/ecg and on small images whose
 * answer is worked out by hand; the kernels run once in Java and once on OpenCL (so a fallback fails).
 */
class EdgeMethodTest {
    private static final Logger LOG = LoggerFactory.getLogger(EdgeMethodTest.class);
    private static final Map<KernelDevice, KernelSession> SESSIONS = new EnumMap<>(KernelDevice.class);
    /** The reference maps by image and method, computed once for both devices. */
    private static final Map<String, byte[]> REFERENCE = new HashMap<>();
    private static List<Sample> samples;

    /** A shared image's gray, as OpenCV's imread (colour) and cvtColor(BGR2GRAY) give it. */
    private record Sample(String name, Mat gray) {
    }

    private static synchronized List<Sample> samples() {
        if (samples == null) {
            Path dir = SharedData.require("ecg");
            List<Sample> list = new ArrayList<>();
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (n.matches(".*\\.(png|jpe?g|bmp|webp|tiff?)")) {
                        Mat bgr = opencv_imgcodecs.imread(f.toString(), opencv_imgcodecs.IMREAD_COLOR);
                        assertFalse(bgr.empty(), "OpenCV could not decode " + f);
                        Mat gray = new Mat();
                        opencv_imgproc.cvtColor(bgr, gray, opencv_imgproc.COLOR_BGR2GRAY);
                        bgr.close();
                        list.add(new Sample(f.getFileName().toString(), gray));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(list.size() >= 10, "expected the shared ECG images in " + dir + ", found " + list.size());
            samples = list;
        }
        return samples;
    }

    private static synchronized byte[] reference(Sample s, EdgeMethod method) {
        return REFERENCE.computeIfAbsent(s.name() + "|" + method, k -> ReferenceEdges.edges(s.gray(), method));
    }

    private static KernelSession session(KernelDevice device) {
        if (device == KernelDevice.OPENCL) {
            OpenClRequirement.require();
        }
        return SESSIONS.computeIfAbsent(device, KernelSession::open);
    }

    @AfterAll
    static void closeSessions() {
        KernelSession cl = SESSIONS.get(KernelDevice.OPENCL);
        for (KernelSession s : SESSIONS.values()) {
            s.close();
        }
        SESSIONS.clear();
        REFERENCE.clear();
        if (samples != null) {
            samples.forEach(s -> s.gray().close());
            samples = null;
        }
        if (cl != null) {
            KernelReport report = cl.report();
            assertTrue(report.totalRuns() > 0, report.summary());
            assertEquals(report.totalRuns(), report.openClRuns(), report.summary());
            assertEquals(0, report.openClFailovers(), report.summary());
        }
    }

    static Stream<Arguments> methodsOnDevices() {
        List<Arguments> out = new ArrayList<>();
        for (KernelDevice d : new KernelDevice[] {KernelDevice.JAVA, KernelDevice.OPENCL}) {
            for (EdgeMethod m : EdgeMethod.values()) {
                out.add(Arguments.of(m, d));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("methodsOnDevices")
    void sharedImagesGiveTheReferenceMaps(EdgeMethod method, KernelDevice device) {
        List<Sample> list = samples();
        KernelSession k = session(device);
        long ours = 0;
        long theirs = 0;
        for (Sample s : list) {
            long t0 = System.nanoTime();
            byte[] expected = reference(s, method);
            long t1 = System.nanoTime();
            Mat actual = method.edges(s.gray(), k);
            long t2 = System.nanoTime();
            assertSameMap(expected, s.gray().cols(), s.gray().rows(), actual, method.label() + " on " + s.name() + " " + device);
            actual.close();
            theirs += t1 - t0;
            ours += t2 - t1;
        }
        LOG.info("{} on {}: {} images equal the reference; edges {} ms, reference {} ms (0 when cached)", method, device,
                list.size(), ours / 1_000_000, theirs / 1_000_000);
    }

    /** Nothing is above the 90th percentile of an all-zero gradient, and Canny finds nothing either. */
    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void constantImageHasNoEdges(KernelDevice device) {
        KernelSession k = session(device);
        Mat flat = new Mat(29, 37, opencv_core.CV_8UC1, new Scalar(128));
        for (EdgeMethod m : new EdgeMethod[] {EdgeMethod.CANNY, EdgeMethod.SOBEL, EdgeMethod.LAPLACIAN}) {
            Mat e = m.edges(flat, k);
            assertEquals(0, opencv_core.countNonZero(e), m + " on a constant image " + device);
            assertSameMap(ReferenceEdges.edges(flat, m), 37, 29, e, m + " on a constant image " + device);
        }
        assertSameMap(ReferenceEdges.edges(flat, EdgeMethod.CONTOUR), 37, 29, EdgeMethod.CONTOUR.edges(flat, k),
                "contour on a constant image");
    }

    /**
     * One pixel of 100 in the middle of an n x n black image (checked with numpy). Sobel: the four
     * side neighbours have magnitude 200, the four diagonal ones 141.42, the centre 0. Laplacian: |L|
     * 800 at the centre, 200 on the diagonals. The 90th percentile sits at sorted index 0.9 (n^2 - 1):
     * n = 5: 21.6, between two 200s; n = 7: 43.2, Sobel between two 141.42s, Laplacian 40 (between 0
     * and 200); n = 9: exactly 72, a 0. Only values strictly above count.
     */
    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void percentileRuleOnASingleBrightPixel(KernelDevice device) {
        KernelSession k = session(device);
        int[][] sides = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
        int[][] diagonals = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};
        int[][] centre = {{0, 0}};
        // n = 5: Sobel's percentile is its maximum (200), nothing is above
        assertEdgesAt(5, EdgeMethod.SOBEL, k, new int[0][]);
        assertEdgesAt(5, EdgeMethod.LAPLACIAN, k, centre);
        assertEdgesAt(7, EdgeMethod.SOBEL, k, sides);
        assertEdgesAt(7, EdgeMethod.LAPLACIAN, k, concat(centre, diagonals));
        assertEdgesAt(9, EdgeMethod.SOBEL, k, concat(sides, diagonals));
        assertEdgesAt(9, EdgeMethod.LAPLACIAN, k, concat(centre, diagonals));
    }

    /**
     * Noise of awkward sizes, and two images whose two middle values differ, so that numpy's median
     * is x.5 (see {@link #halfAndHalf}). m = 25.5 gives thresholds 16 and 33, and bumps of 17 (Canny
     * magnitude 34) are edges; taking the upper middle value (26) would give 17 and 34 and no edges.
     * m = 51.5 gives 33 and 68, and bumps of 34 (magnitude 68) are not edges; the lower middle value
     * (51) would give 67 and mark them.
     */
    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void randomImagesGiveTheReferenceMaps(KernelDevice device) {
        KernelSession k = session(device);
        long seed = 3100;
        int[][] sizes = {{1, 1}, {2, 3}, {3, 2}, {1, 9}, {9, 1}, {5, 5}, {37, 29}, {64, 48}, {101, 7}, {200, 150}};
        for (int[] size : sizes) {
            byte[] p = new byte[size[0] * size[1]];
            new Random(seed++).nextBytes(p);
            Mat g = ReferenceEdges.gray(size[0], size[1], p);
            for (EdgeMethod m : EdgeMethod.values()) {
                assertSameMap(ReferenceEdges.edges(g, m), size[0], size[1], m.edges(g, k),
                        m + " on noise " + size[0] + "x" + size[1] + " " + device);
            }
        }
        // {s, d, lo, hi, wrong lo, wrong hi, edges expected}
        int[][] cases = {{25, 17, 16, 33, 17, 34, 1}, {51, 34, 33, 68, 33, 67, 0}};
        for (int[] c : cases) {
            Mat g = halfAndHalf(c[0], c[1]);
            String what = "median " + c[0] + ".5 with bumps of " + c[1];
            assertArrayEquals(new int[] {c[2], c[3]}, ReferenceEdges.cannyThresholds(g), what);
            byte[] expected = ReferenceEdges.edges(g, EdgeMethod.CANNY);
            boolean anyEdge = false;
            for (byte b : expected) {
                anyEdge |= b != 0;
            }
            assertEquals(c[6] == 1, anyEdge, what + ": edges in the reference map");
            assertFalse(Arrays.equals(expected, ReferenceEdges.bytes(ReferenceEdges.canny(g, c[4], c[5]))),
                    what + ": thresholds " + c[4] + ", " + c[5] + " must give another map, or the case proves nothing");
            for (EdgeMethod m : EdgeMethod.values()) {
                assertSameMap(ReferenceEdges.edges(g, m), 64, 48, m.edges(g, k), m + " on " + what + " " + device);
            }
        }
    }

    /** The oracle's percentile and {@link EdgeMethod#lerp} against values numpy 2.4 printed. */
    @Test
    void percentileFollowsNumpy() {
        // np.percentile([0, 1, ..., 11], 90) == 9.9
        double[] twelve = new double[12];
        for (int i = 0; i < 12; i++) {
            twelve[i] = 11 - i;
        }
        assertEquals(9.9, ReferenceEdges.percentile(twelve, 90));
        // np.percentile([0.1, 12.345], 90) == 11.1205 (a + (b - a) t would give 11.120500000000002)
        assertEquals(11.1205, ReferenceEdges.percentile(new double[] {12.345, 0.1}, 90));
        assertEquals(11.1205, EdgeMethod.lerp(0.1, 12.345, 0.9));
        // np.percentile([2.9, 200], 90) == 180.29000000000002; [7, 200] -> 180.7
        assertEquals(180.29000000000002, EdgeMethod.lerp(2.9, 200, 0.9));
        assertEquals(180.7, EdgeMethod.lerp(7, 200, 0.9));
        // np.percentile([0.1, 0.1, 1.1], 90) == 0.9000000000000001 (t = 0.8)
        assertEquals(0.9000000000000001, ReferenceEdges.percentile(new double[] {0.1, 1.1, 0.1}, 90));
        // below one half, from a: t = 0.2 between 0 and 200 (the 7 x 7 Laplacian above) is 40.00000000000057
        double[] lap7 = new double[49];
        lap7[0] = 800;
        Arrays.fill(lap7, 1, 5, 200);
        assertEquals(40.00000000000057, ReferenceEdges.percentile(lap7, 90));
        assertEquals(7.0, ReferenceEdges.percentile(new double[] {7}, 90));
    }

    @Test
    void namesParseAndUnknownOnesAreRefusedWithTheChoices() {
        assertEquals(EdgeMethod.SOBEL, EdgeMethod.parse(" Sobel "));
        assertEquals(EdgeMethod.CONTOUR, EdgeMethod.parse("CONTOUR"));
        for (EdgeMethod m : EdgeMethod.values()) {
            assertEquals(m, EdgeMethod.parse(m.label()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EdgeMethod.parse("prewitt"));
        assertTrue(e.getMessage().contains("prewitt") && e.getMessage().contains("canny, sobel, laplacian or contour"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EdgeMethod.parse(null));
    }

    /** Every method leaves its input alone and answers a new 8-bit map of 0 and 255 of the same size. */
    @Test
    void mapIsANewBinaryImageOfTheSameSize() {
        try (KernelSession k = KernelSession.open(KernelDevice.JAVA)) {
            byte[] p = new byte[41 * 23];
            new Random(77).nextBytes(p);
            Mat g = ReferenceEdges.gray(41, 23, p);
            for (EdgeMethod m : EdgeMethod.values()) {
                Mat e = m.edges(g, k);
                assertEquals(opencv_core.CV_8UC1, e.type(), m.label());
                assertEquals(41, e.cols(), m.label());
                assertEquals(23, e.rows(), m.label());
                assertArrayEquals(p, ReferenceEdges.bytes(g), m + " changed its input");
                assertNotEquals(g.data().address(), e.data().address(), m + " answered its input");
                for (byte b : ReferenceEdges.bytes(e)) {
                    assertTrue(b == 0 || b == (byte) 255, m + " wrote " + (b & 0xff));
                }
            }
        }
    }

    private static void assertEdgesAt(int n, EdgeMethod method, KernelSession k, int[][] offsets) {
        byte[] p = new byte[n * n];
        p[(n / 2) * n + n / 2] = 100;
        Mat g = ReferenceEdges.gray(n, n, p);
        byte[] expected = new byte[n * n];
        for (int[] o : offsets) {
            expected[(n / 2 + o[1]) * n + n / 2 + o[0]] = (byte) 255;
        }
        String what = method + " of a bright pixel in " + n + "x" + n;
        assertArrayEquals(expected, ReferenceEdges.edges(g, method), what + ": the reference");
        assertSameMap(expected, n, n, method.edges(g, k), what + " " + k.policy());
    }

    private static int[][] concat(int[][] a, int[][] b) {
        int[][] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * 64 x 48: left half s, right half s + 1, so the two middle values are s and s + 1. Three
     * isolated bumps to s + d on the left (magnitude 2d on their eight neighbours) and three dips to
     * s on the right (magnitude 2, under every threshold used) keep the halves even.
     */
    private static Mat halfAndHalf(int s, int d) {
        int w = 64;
        int h = 48;
        byte[] p = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                p[y * w + x] = (byte) (x < w / 2 ? s : s + 1);
            }
        }
        int[][] bumps = {{8, 8}, {20, 24}, {10, 40}};
        for (int[] b : bumps) {
            p[b[1] * w + b[0]] = (byte) (s + d);
            p[b[1] * w + w - 1 - b[0]] = (byte) s;
        }
        return ReferenceEdges.gray(w, h, p);
    }

    static void assertSameMap(byte[] expected, int width, int height, Mat actual, String what) {
        assertEquals(opencv_core.CV_8UC1, actual.type(), what + ": type");
        assertEquals(width + "x" + height, actual.cols() + "x" + actual.rows(), what + ": size");
        byte[] a = ReferenceEdges.bytes(actual);
        int differ = 0;
        int first = -1;
        for (int i = 0; i < a.length; i++) {
            if (a[i] != expected[i]) {
                differ++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differ > 0) {
            throw new AssertionError(what + ": " + differ + " of " + a.length + " pixels differ from the reference, first at ("
                    + first % width + ", " + first / width + "): reference " + (expected[first] & 0xff) + ", ours "
                    + (a[first] & 0xff));
        }
    }
}
