package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ECG pipeline's kernels (grayscale, Laplacian, Sobel with BORDER_REPLICATE and REFLECT_101,
 * Canny) against OpenCV in the same JVM, pixel for pixel, on every image in ../shared/data/ecg and on
 * small random images of awkward sizes, each run once in Java and once on OpenCL ({@link KernelDevice#OPENCL}, so
 * a fallback fails). Images are decoded once, by OpenCV, so decoders cannot differ.
 */
class EcgKernelsTest {
    private static final Logger LOG = LoggerFactory.getLogger(EcgKernelsTest.class);
    private static final Map<KernelDevice, KernelSession> SESSIONS = new EnumMap<>(KernelDevice.class);
    private static List<Sample> samples;

    /** A shared image as OpenCV decodes it, and OpenCV's own gray of it. */
    private record Sample(String name, ColorImage color, GrayImage gray) {
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
                        list.add(new Sample(f.getFileName().toString(), fromMat(bgr), TestImages.fromMat8(gray)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertTrue(list.size() >= 10, "expected the shared ECG images in " + dir + ", found " + list.size());
            LOG.info("{} ECG images decoded; OpenCV {} with {} threads, IPP {}", list.size(),
                    opencv_core.CV_VERSION(), opencv_core.getNumThreads(), opencv_core.useIPP());
            samples = list;
        }
        return samples;
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
        if (cl != null) {
            KernelReport report = cl.report();
            assertTrue(report.totalRuns() > 0, report.summary());
            assertEquals(report.totalRuns(), report.openClRuns(), report.summary());
            assertEquals(0, report.openClFailovers(), report.summary());
        }
    }

    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void grayscaleIsCvtColorBgr2Gray(KernelDevice device) {
        KernelSession k = session(device);
        for (Sample s : samples()) {
            PixelAssert.assertSame(s.gray(), k.grayscale(s.color()), "grayscale on " + s.name() + " " + device);
        }
        long seed = 900;
        for (int[] size : TestImages.SIZES) {
            ColorImage c = randomColor(size[0], size[1], seed++);
            PixelAssert.assertSame(openCvGray(c), k.grayscale(c), "grayscale " + size[0] + "x" + size[1] + " " + device);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void laplacianIsOpenCvs(KernelDevice device) {
        KernelSession k = session(device);
        for (Sample s : samples()) {
            for (int ksize : new int[] {1, 3}) {
                PixelAssert.assertSame(openCvLaplacian(s.gray(), ksize), k.laplacian(s.gray(), ksize),
                        "Laplacian ksize " + ksize + " on " + s.name() + " " + device);
            }
        }
        long seed = 1000;
        for (int[] size : TestImages.SIZES) {
            GrayImage g = TestImages.randomGray(size[0], size[1], seed++);
            for (int ksize : new int[] {1, 3}) {
                PixelAssert.assertSame(openCvLaplacian(g, ksize), k.laplacian(g, ksize),
                        "Laplacian ksize " + ksize + " on " + size[0] + "x" + size[1] + " " + device);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void sobelWithReplicatedBorderIsOpenCvs(KernelDevice device) {
        KernelSession k = session(device);
        for (Sample s : samples()) {
            for (int[] o : new int[][] {{1, 0}, {0, 1}}) {
                PixelAssert.assertSame(KernelsVsOpenCvTest.openCvSobel16(s.gray(), o[0], o[1], Border.REPLICATE),
                        k.sobel(s.gray(), o[0], o[1], Border.REPLICATE),
                        "Sobel dx=" + o[0] + " dy=" + o[1] + " REPLICATE on " + s.name() + " " + device);
            }
        }
    }

    /**
     * OpenCV's default border (index -1 reads index 1), the one the sobel edge map uses; on the
     * shared images and on sizes down to one pixel, where the reflection has nothing to reflect.
     */
    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void sobelWithReflect101BorderIsOpenCvs(KernelDevice device) {
        KernelSession k = session(device);
        int[][] orders = {{1, 0}, {0, 1}};
        for (Sample s : samples()) {
            for (int[] o : orders) {
                PixelAssert.assertSame(KernelsVsOpenCvTest.openCvSobel16(s.gray(), o[0], o[1], Border.REFLECT_101),
                        k.sobel(s.gray(), o[0], o[1], Border.REFLECT_101),
                        "Sobel dx=" + o[0] + " dy=" + o[1] + " REFLECT_101 on " + s.name() + " " + device);
            }
        }
        long seed = 1200;
        for (int[] size : TestImages.SIZES) {
            GrayImage g = TestImages.randomGray(size[0], size[1], seed++);
            for (int[] o : orders) {
                PixelAssert.assertSame(KernelsVsOpenCvTest.openCvSobel16(g, o[0], o[1], Border.REFLECT_101),
                        k.sobel(g, o[0], o[1], Border.REFLECT_101),
                        "Sobel dx=" + o[0] + " dy=" + o[1] + " REFLECT_101 on " + size[0] + "x" + size[1] + " " + device);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void cannyIsOpenCvsOnEcgImages(KernelDevice device) {
        KernelSession k = session(device);
        for (Sample s : samples()) {
            for (double[] t : new double[][] {medianThresholds(s.gray()), {50, 150}}) {
                assertSameEdges(openCvCanny(s.gray(), t[0], t[1]), k.canny(s.gray(), t[0], t[1]),
                        "Canny(" + t[0] + ", " + t[1] + ") on " + s.name() + " " + device);
            }
        }
    }

    /**
     * Awkward sizes, noise (every direction and many ties) and images of three levels (plateaus,
     * where OpenCV's asymmetric &gt; / &gt;= decides); thresholds from below 0 up, one pair swapped
     * and one fractional (OpenCV floors them).
     */
    @ParameterizedTest
    @EnumSource(value = KernelDevice.class, names = {"JAVA", "OPENCL"})
    void cannyIsOpenCvsOnRandomImages(KernelDevice device) {
        KernelSession k = session(device);
        long seed = 1100;
        int[][] sizes = {{1, 1}, {2, 3}, {3, 2}, {1, 9}, {9, 1}, {4, 4}, {5, 5}, {37, 29}, {64, 48}, {101, 7}, {200, 150}};
        double[][] pairs = {{0, 0}, {0, 100}, {100, 300}, {400, 1000}, {-5, 30}, {200, 100}, {20.5, 80.9}};
        for (int[] size : sizes) {
            GrayImage noise = TestImages.randomGray(size[0], size[1], seed++);
            GrayImage levels = threeLevels(size[0], size[1], seed++);
            for (double[] t : pairs) {
                for (GrayImage g : new GrayImage[] {noise, levels}) {
                    assertSameEdges(openCvCanny(g, t[0], t[1]), k.canny(g, t[0], t[1]),
                            "Canny(" + t[0] + ", " + t[1] + ") on " + (g == noise ? "noise " : "levels ")
                                    + size[0] + "x" + size[1] + " " + device);
                }
            }
        }
    }

    @Test
    void colorImageHoldsThreeBytesAPixel() {
        assertThrows(IllegalArgumentException.class, () -> new ColorImage(2, 2, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> new ColorImage(2, 2, new byte[13]));
        assertEquals(4, new ColorImage(2, 2, new byte[12]).bgr().length / 3);
    }

    @Test
    void medianThresholdsFollowNumpy() {
        // 1..4: numpy's median 2.5, lo int(1.65) = 1, hi int(3.325) = 3.
        GrayImage even = new GrayImage(4, 1, new byte[] {4, 1, 3, 2});
        assertArrayEquals(new double[] {1, 3}, medianThresholds(even));
        GrayImage odd = new GrayImage(3, 1, new byte[] {(byte) 250, (byte) 255, (byte) 200});
        assertArrayEquals(new double[] {165, 255}, medianThresholds(odd));
    }

    /**
     * The reference edge detector's thresholds: m = numpy's median of the gray image (the mean of
     * the two middle values for an even count), lo = max(0, int(0.66 m)), hi = min(255, int(1.33 m)).
     */
    static double[] medianThresholds(GrayImage gray) {
        int[] hist = new int[256];
        for (byte b : gray.pixels()) {
            hist[b & 0xff]++;
        }
        int n = gray.pixels().length;
        double m = (rank(hist, (n - 1) / 2) + rank(hist, n / 2)) / 2.0;
        return new double[] {Math.max(0, (int) (0.66 * m)), Math.min(255, (int) (1.33 * m))};
    }

    /** The value at sorted position r. */
    private static int rank(int[] hist, int r) {
        int seen = 0;
        for (int v = 0; v < 256; v++) {
            seen += hist[v];
            if (seen > r) {
                return v;
            }
        }
        throw new IllegalArgumentException("rank " + r + " past " + seen + " pixels");
    }

    private static void assertSameEdges(GrayImage expected, GrayImage actual, String what) {
        byte[] e = expected.pixels();
        byte[] a = actual.pixels();
        assertEquals(e.length, a.length, what + ": size");
        int differ = 0;
        int first = -1;
        for (int i = 0; i < e.length; i++) {
            if (e[i] != a[i]) {
                differ++;
                if (first < 0) {
                    first = i;
                }
            }
        }
        if (differ > 0) {
            int w = expected.width();
            throw new AssertionError(what + ": " + differ + " of " + e.length + " pixels differ, first at ("
                    + first % w + ", " + first / w + "): OpenCV " + (e[first] & 0xff) + ", ours " + (a[first] & 0xff));
        }
    }

    private static GrayImage threeLevels(int w, int h, long seed) {
        Random r = new Random(seed);
        byte[] p = new byte[w * h];
        byte[] levels = {0, (byte) 128, (byte) 255};
        for (int i = 0; i < p.length; i++) {
            p[i] = levels[r.nextInt(3)];
        }
        return new GrayImage(w, h, p);
    }

    private static ColorImage randomColor(int w, int h, long seed) {
        byte[] p = new byte[3 * w * h];
        new Random(seed).nextBytes(p);
        return new ColorImage(w, h, p);
    }

    private static GrayImage openCvGray(ColorImage c) {
        Mat m = new Mat(c.height(), c.width(), opencv_core.CV_8UC3);
        ((ByteBuffer) m.createBuffer()).put(c.bgr());
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(m, gray, opencv_imgproc.COLOR_BGR2GRAY);
        return TestImages.fromMat8(gray);
    }

    private static ShortImage openCvLaplacian(GrayImage g, int ksize) {
        Mat dst = new Mat();
        opencv_imgproc.Laplacian(TestImages.toMat(g), dst, opencv_core.CV_16S, ksize, 1, 0, opencv_core.BORDER_DEFAULT);
        return TestImages.fromMat16(dst);
    }

    private static GrayImage openCvCanny(GrayImage g, double lo, double hi) {
        Mat dst = new Mat();
        opencv_imgproc.Canny(TestImages.toMat(g), dst, lo, hi, 3, false);
        return TestImages.fromMat8(dst);
    }

    private static ColorImage fromMat(Mat m) {
        assertEquals(opencv_core.CV_8UC3, m.type(), "expected an 8-bit BGR Mat");
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] p = new byte[3 * c.rows() * c.cols()];
        ((ByteBuffer) c.createBuffer()).get(p);
        return new ColorImage(c.cols(), c.rows(), p);
    }
}
