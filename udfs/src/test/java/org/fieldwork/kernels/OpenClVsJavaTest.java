package org.fieldwork.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Each kernel run on OpenCL (policy {@link KernelDevice#OPENCL}, so a fallback fails the test)
 * against the same kernel's body run in Java: bit-identical on every pixel. One session serves the
 * whole class, as one serves a task, so kernels and buffers are reused across images of changing sizes.
 */
class OpenClVsJavaTest {
    private static final KernelSession J = KernelSession.open(KernelDevice.JAVA);
    private static final int[][] SOBEL_ORDERS = {{1, 0}, {0, 1}, {1, 1}, {2, 0}, {0, 2}};
    private static KernelSession session;
    private static long calls;

    @BeforeAll
    static void openSession() {
        OpenClRequirement.require();
        session = KernelSession.open(KernelDevice.OPENCL);
    }

    @AfterAll
    static void closeSession() {
        if (session == null) {
            return;
        }
        KernelReport report = session.report();
        session.close();
        // Every call ran on OpenCL: nothing in Java, nothing moved by Aparapi.
        assertEquals(calls, report.totalRuns(), report.summary());
        assertEquals(calls, report.openClRuns(), report.summary());
        assertEquals(0, report.javaRuns(), report.summary());
        assertEquals(0, report.openClFailovers(), report.summary());
    }

    private static void ranOnOpenCl() {
        calls++;
        assertTrue(session.lastDevice().startsWith(KernelReport.OPENCL_PREFIX),
                "expected an OpenCL run, got " + session.lastDevice());
    }

    @Test
    void gaussianBlur() {
        long seed = 10;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (int[] g : new int[][] {{1, 0}, {3, 0}, {5, 1}, {7, 0}, {11, 2}, {31, 5}}) {
                FloatImage cl = session.gaussianBlur(src, g[0], g[1]);
                ranOnOpenCl();
                FilterTaps taps = GaussianKernel.taps(g[0], g[1]);
                PixelAssert.assertSameBits(J.separableFilter(src, taps, taps, Border.REFLECT_101), cl,
                        "OpenCL vs Java Gaussian " + g[0] + " sigma " + g[1] + " on " + s[0] + "x" + s[1]);
            }
            FilterTaps kx = GaussianKernel.taps(5, 1.4);
            FilterTaps ky = GaussianKernel.taps(9, 0);
            FloatImage cl = session.separableFilter(src, kx, ky, Border.REPLICATE);
            ranOnOpenCl();
            PixelAssert.assertSameBits(J.separableFilter(src, kx, ky, Border.REPLICATE), cl,
                    "OpenCL vs Java 5x9 replicate");
        }
    }

    @Test
    void gaussian8Bit() {
        long seed = 50;
        for (int[] s : TestImages.SIZES) {
            GrayImage src = TestImages.randomGray(s[0], s[1], seed++);
            for (int k = 1; k <= 9; k += 2) {
                GrayImage cl = session.gaussianBlur(src, k, 10 - k);
                ranOnOpenCl();
                PixelAssert.assertSame(J.gaussianBlur(src, k, 10 - k), cl,
                        "OpenCL vs Java 8-bit Gaussian " + k + "x" + (10 - k) + " on " + s[0] + "x" + s[1]);
            }
        }
    }

    @Test
    void sobelFloat() {
        long seed = 20;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (int[] o : SOBEL_ORDERS) {
                for (Border b : Border.values()) {
                    FloatImage cl = session.sobel(src, o[0], o[1], b);
                    ranOnOpenCl();
                    PixelAssert.assertSameBits(J.separableFilter(src, SobelTaps.floats(o[0]), SobelTaps.floats(o[1]), b),
                            cl, "OpenCL vs Java float Sobel " + o[0] + "," + o[1] + " " + b + " on " + s[0] + "x" + s[1]);
                }
            }
        }
    }

    @Test
    void sobelInt16() {
        long seed = 30;
        for (int[] s : TestImages.SIZES) {
            GrayImage src = TestImages.randomGray(s[0], s[1], seed++);
            for (int[] o : SOBEL_ORDERS) {
                for (Border b : Border.values()) {
                    ShortImage cl = session.sobel(src, o[0], o[1], b);
                    ranOnOpenCl();
                    PixelAssert.assertSame(J.sobel(src, o[0], o[1], b), cl,
                            "OpenCL vs Java int16 Sobel " + o[0] + "," + o[1] + " " + b + " on " + s[0] + "x" + s[1]);
                }
            }
        }
    }

    @Test
    void boxMeanAndVariance() {
        long seed = 40;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (int[] k : new int[][] {{1, 1}, {3, 3}, {4, 2}, {15, 15}}) {
                for (Border b : Border.values()) {
                    String what = k[0] + "x" + k[1] + " " + b + " on " + s[0] + "x" + s[1];
                    LocalStats java = J.localMeanAndVariance(src, k[0], k[1], b);
                    LocalStats cl = session.localMeanAndVariance(src, k[0], k[1], b);
                    ranOnOpenCl();
                    PixelAssert.assertSameBits(java.mean(), cl.mean(), "OpenCL vs Java local mean " + what);
                    PixelAssert.assertSameBits(java.variance(), cl.variance(), "OpenCL vs Java local variance " + what);
                    FloatImage mean = session.boxMean(src, k[0], k[1], b);
                    ranOnOpenCl();
                    PixelAssert.assertSameBits(java.mean(), mean, "OpenCL vs Java box mean " + what);
                }
            }
        }
    }

    @Test
    void ecgImages() {
        for (String name : TestImages.ECG) {
            GrayImage gray = TestImages.ecgGray(name);
            FloatImage f = FloatImage.of(gray);
            FilterTaps taps = GaussianKernel.taps(5, 1.2);
            FloatImage blurred = session.gaussianBlur(f, 5, 1.2);
            ranOnOpenCl();
            PixelAssert.assertSameBits(J.separableFilter(f, taps, taps, Border.REFLECT_101), blurred,
                    "OpenCL vs Java Gaussian on " + name);
            for (Border b : Border.values()) {
                for (int[] o : new int[][] {{1, 0}, {0, 1}}) {
                    ShortImage d = session.sobel(gray, o[0], o[1], b);
                    ranOnOpenCl();
                    PixelAssert.assertSame(J.sobel(gray, o[0], o[1], b), d,
                            "OpenCL vs Java int16 Sobel " + o[0] + "," + o[1] + " on " + name + " " + b);
                }
            }
            LocalStats java = J.localMeanAndVariance(f, 15, 15, Border.REFLECT_101);
            LocalStats cl = session.localMeanAndVariance(f, 15, 15, Border.REFLECT_101);
            ranOnOpenCl();
            PixelAssert.assertSameBits(java.mean(), cl.mean(), "OpenCL vs Java local mean on " + name);
            PixelAssert.assertSameBits(java.variance(), cl.variance(), "OpenCL vs Java local variance on " + name);
        }
    }

    @Test
    void buffersAreReusedWhileSizesRepeatAndReplacedWhenTheyChange() {
        FloatImage a = TestImages.randomFloat(33, 17, 50);
        FloatImage b = TestImages.randomFloat(33, 17, 51);
        FloatImage c = TestImages.randomFloat(12, 5, 52);
        session.gaussianBlur(a, 3, 0);
        ranOnOpenCl();
        SeparableFilterKernel kernel = session.separable.kernel();
        float[] buffer = kernel.src;
        FloatImage outB = session.gaussianBlur(b, 3, 0);
        ranOnOpenCl();
        assertSame(kernel, session.separable.kernel(), "one kernel instance per session");
        assertSame(buffer, kernel.src, "same-size image reuses the input buffer");
        FloatImage outC = session.gaussianBlur(c, 3, 0);
        ranOnOpenCl();
        assertNotSame(buffer, kernel.src, "a new size gets new buffers");
        FilterTaps taps = GaussianKernel.taps(3, 0);
        PixelAssert.assertSameBits(J.separableFilter(b, taps, taps, Border.REFLECT_101), outB, "reused buffers");
        PixelAssert.assertSameBits(J.separableFilter(c, taps, taps, Border.REFLECT_101), outC, "resized buffers");
        FloatImage outA = session.gaussianBlur(a, 3, 0);
        ranOnOpenCl();
        PixelAssert.assertSameBits(J.separableFilter(a, taps, taps, Border.REFLECT_101), outA, "back to the first size");
    }

    /**
     * Sessions on several threads at once, as a task's threads run them, with the heap churning:
     * every call still runs on OpenCL and equals the Java path (two threads once crashed PoCL).
     */
    @Test
    void sessionsOnSeveralThreadsAtOnce() throws Exception {
        int threads = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            java.util.List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                long seed = 700 + t;
                done.add(pool.submit(() -> {
                    int runs = 0;
                    try (KernelSession cl = KernelSession.open(KernelDevice.OPENCL);
                         KernelSession java = KernelSession.open(KernelDevice.JAVA)) {
                        java.util.Random r = new java.util.Random(seed);
                        for (int i = 0; i < 25; i++) {
                            GrayImage src = TestImages.randomGray(50 + r.nextInt(400), 50 + r.nextInt(400), seed * 100 + i);
                            byte[][] garbage = new byte[64][];
                            for (int g = 0; g < garbage.length; g++) {
                                garbage[g] = new byte[64 << 10];
                            }
                            PixelAssert.assertSame(java.gaussianBlur(src, 5, 3), cl.gaussianBlur(src, 5, 3), "thread " + seed);
                            FloatImage f = TestImages.randomFloat(src.width(), src.height(), seed + i);
                            PixelAssert.assertSameBits(java.gaussianBlur(f, 5, 1.0), cl.gaussianBlur(f, 5, 1.0), "thread " + seed);
                            runs += 2;
                        }
                        assertEquals(runs, cl.report().openClRuns(), cl.report().summary());
                    }
                    return runs;
                }));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(50, f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
