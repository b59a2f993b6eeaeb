package org.fieldwork.kernels;

import static org.fieldwork.kernels.PixelAssert.U;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Size;
import org.junit.jupiter.api.Test;

/**
 * The kernels (their bodies run in Java) against OpenCV, pixel for pixel.
 *
 * <p>Integer results (Sobel int16, 8-bit Gaussian) and the box mean must be identical. For float filters the kernels
 * use the evaluation order of OpenCV's FMA/SIMD code path (see {@link FilterTaps}); OpenCV's scalar
 * tail loops (last columns of a row) add in another order, so there we allow the worst-case gap
 * between two evaluation orders of the same sums: each pass of n taps is within n*u*S of the exact
 * value (u = 2^-24, S = sum of |tap * pixel| over the window), so two orders differ by at most
 * 2*(nx + ny)*u*max|pixel|*sum|kx|*sum|ky|. For 0..255 images and a 7x7 Gaussian that is 4.3e-4;
 * measured differences are one or two ulps of the result (1.5e-5 to 3e-5).
 * Where OpenCV runs its AVX2+FMA path on every pixel (width a multiple of 8) we require bit-identity.
 */
class KernelsVsOpenCvTest {
    /** The kernels as the Java path runs them (OpenCL runs the same bodies: {@link OpenClVsJavaTest}). */
    private static final KernelSession J = KernelSession.open(KernelDevice.JAVA);

    private static final double[][] GAUSSIANS = {{3, 0}, {3, 0.8}, {5, 0}, {5, 1.1}, {7, 0}, {9, 2.0}, {15, 2.5}, {31, 5.0}};
    private static final int[][] WINDOWS = {{1, 1}, {3, 3}, {4, 4}, {5, 3}, {7, 7}, {15, 1}, {1, 15}};
    private static final int[][] SOBEL_ORDERS = {{1, 0}, {0, 1}, {1, 1}, {2, 0}, {0, 2}, {2, 1}};

    /** Whether OpenCV runs its AVX2+FMA filters here, which is the order our float filters follow. */
    private static boolean openCvUsesFma() {
        return opencv_core.useOptimized() && opencv_core.checkHardwareSupport(opencv_core.CV_CPU_AVX2)
                && opencv_core.checkHardwareSupport(opencv_core.CV_CPU_FMA3);
    }

    private static double orderBound(FilterTaps kx, FilterTaps ky, FloatImage src) {
        return 2.0 * (kx.size() + ky.size()) * U * TestImages.maxAbs(src) * kx.absSum() * ky.absSum();
    }

    @Test
    void gaussianTapsAreOpenCvs() {
        int[] sizes = {1, 3, 5, 7, 9, 11, 15, 21, 31, 51};
        double[] sigmas = {0, -1, 0.3, 0.5, 0.8, 1, 1.2, 1.5, 2, 3.7, 5, 10};
        for (int n : sizes) {
            for (double sigma : sigmas) {
                Mat k = opencv_imgproc.getGaussianKernel(n, sigma, opencv_core.CV_32F);
                float[] expected = TestImages.fromMat32(k.reshape(1, 1)).pixels();
                float[] actual = GaussianKernel.taps(n, sigma).taps();
                for (int i = 0; i < n; i++) {
                    assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                            "tap " + i + " of n=" + n + " sigma=" + sigma + ": OpenCV " + expected[i] + " ours " + actual[i]);
                }
            }
        }
    }

    @Test
    void gaussianBlurMatchesOpenCvOnRandomImages() {
        long seed = 1;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (double[] g : GAUSSIANS) {
                int n = (int) g[0];
                FilterTaps taps = GaussianKernel.taps(n, g[1]);
                FloatImage ours = J.separableFilter(src, taps, taps, Border.REFLECT_101);
                FloatImage cv = openCvGaussian(src, n, g[1]);
                String what = "GaussianBlur " + n + "x" + n + " sigma " + g[1] + " on " + s[0] + "x" + s[1];
                if (s[0] % 8 == 0 && openCvUsesFma()) {
                    PixelAssert.assertSameBits(cv, ours, what);
                } else {
                    PixelAssert.assertWithin(cv, ours, orderBound(taps, taps, src), what);
                }
            }
        }
    }

    @Test
    void gaussianKernelSizeFromSigmaIsOpenCvs() {
        FloatImage src = TestImages.randomFloat(40, 24, 7);
        for (double sigma : new double[] {0.4, 0.7, 1.3, 2.2}) {
            int n = GaussianKernel.sizeForSigma(sigma);
            Mat dst = new Mat();
            opencv_imgproc.GaussianBlur(TestImages.toMat(src), dst, new Size(0, 0), sigma, sigma,
                    opencv_core.BORDER_REFLECT_101);
            FilterTaps taps = GaussianKernel.taps(n, sigma);
            PixelAssert.assertSameBits(TestImages.fromMat32(dst), J.separableFilter(src, taps, taps, Border.REFLECT_101),
                    "GaussianBlur sigma " + sigma + " with size from sigma (" + n + ")");
        }
    }

    @Test
    void gaussianBlurMatchesOpenCvOnEcgImages() {
        for (String name : TestImages.ECG) {
            FloatImage src = FloatImage.of(TestImages.ecgGray(name));
            FilterTaps taps = GaussianKernel.taps(5, 1.2);
            FloatImage ours = J.separableFilter(src, taps, taps, Border.REFLECT_101);
            PixelAssert.assertWithin(openCvGaussian(src, 5, 1.2), ours, orderBound(taps, taps, src),
                    "GaussianBlur 5x5 sigma 1.2 on " + name);
        }
    }

    @Test
    void boxMeanIsOpenCvsBlurAndBoxFilter() {
        long seed = 100;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (int[] k : WINDOWS) {
                for (Border b : Border.values()) {
                    FloatImage ours = J.boxMean(src, k[0], k[1], b);
                    String what = k[0] + "x" + k[1] + " " + b + " on " + s[0] + "x" + s[1];
                    Mat blurred = new Mat();
                    opencv_imgproc.blur(TestImages.toMat(src), blurred, new Size(k[0], k[1]), new Point(-1, -1),
                            TestImages.openCvBorder(b));
                    PixelAssert.assertSameBits(TestImages.fromMat32(blurred), ours, "blur " + what);
                    Mat boxed = new Mat();
                    opencv_imgproc.boxFilter(TestImages.toMat(src), boxed, -1, new Size(k[0], k[1]), new Point(-1, -1),
                            true, TestImages.openCvBorder(b));
                    PixelAssert.assertSameBits(TestImages.fromMat32(boxed), ours, "boxFilter " + what);
                }
            }
        }
    }

    @Test
    void localVarianceIsOpenCvCompositionWithinOneRounding() {
        long seed = 200;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            checkVariance(src, 5, 5, "random " + s[0] + "x" + s[1]);
        }
        checkVariance(FloatImage.of(TestImages.ecgGray("ecg/sample_ecg.png")), 15, 15, "sample_ecg.png");
    }

    /**
     * OpenCV: v = blur(x*x) - blur(x)*blur(x), two roundings after the (identical) box means; ours
     * rounds fma(-m, m, blur(x*x)) once. They differ by at most one rounding of m*m and one of the
     * result: ulp(m^2) + ulp(v) / 2, bounded here by 2 ulp(max(m^2, blur(x*x))).
     */
    private static void checkVariance(FloatImage src, int kw, int kh, String what) {
        LocalStats ours = J.localMeanAndVariance(src, kw, kh, Border.REFLECT_101);
        Mat x = TestImages.toMat(src);
        Mat sq = new Mat();
        opencv_core.multiply(x, x, sq);
        Mat mean = new Mat();
        Mat sqMean = new Mat();
        opencv_imgproc.blur(x, mean, new Size(kw, kh));
        opencv_imgproc.blur(sq, sqMean, new Size(kw, kh));
        Mat mean2 = new Mat();
        opencv_core.multiply(mean, mean, mean2);
        Mat var = new Mat();
        opencv_core.subtract(sqMean, mean2, var);
        FloatImage cvMean = TestImages.fromMat32(mean);
        FloatImage cvSqMean = TestImages.fromMat32(sqMean);
        FloatImage cvVar = TestImages.fromMat32(var);
        PixelAssert.assertSameBits(cvMean, ours.mean(), "local mean " + what);
        float[] v = ours.variance().pixels();
        for (int i = 0; i < v.length; i++) {
            float m = cvMean.pixels()[i];
            float expected = Math.max(0f, cvVar.pixels()[i]);
            double tol = 2 * Math.ulp(Math.max(m * m, cvSqMean.pixels()[i]));
            assertEquals(expected, v[i], tol, "local variance " + what + " at pixel " + i);
        }
    }

    @Test
    void sobelInt16IsOpenCvsOnRandomImages() {
        long seed = 300;
        for (int[] s : TestImages.SIZES) {
            GrayImage src = TestImages.randomGray(s[0], s[1], seed++);
            for (int[] o : SOBEL_ORDERS) {
                for (Border b : Border.values()) {
                    PixelAssert.assertSame(openCvSobel16(src, o[0], o[1], b), J.sobel(src, o[0], o[1], b),
                            "Sobel CV_16S dx=" + o[0] + " dy=" + o[1] + " " + b + " on " + s[0] + "x" + s[1]);
                }
            }
        }
    }

    @Test
    void sobelInt16IsOpenCvsOnEcgImages() {
        for (String name : TestImages.ECG) {
            GrayImage src = TestImages.ecgGray(name);
            for (Border b : Border.values()) {
                for (int[] o : new int[][] {{1, 0}, {0, 1}}) {
                    PixelAssert.assertSame(openCvSobel16(src, o[0], o[1], b), J.sobel(src, o[0], o[1], b),
                            "Sobel CV_16S dx=" + o[0] + " dy=" + o[1] + " " + b + " on " + name);
                }
            }
        }
    }

    @Test
    void sobelFloatMatchesOpenCv() {
        long seed = 400;
        for (int[] s : TestImages.SIZES) {
            FloatImage src = TestImages.randomFloat(s[0], s[1], seed++);
            for (int[] o : SOBEL_ORDERS) {
                for (Border b : Border.values()) {
                    FilterTaps kx = SobelTaps.floats(o[0]);
                    FilterTaps ky = SobelTaps.floats(o[1]);
                    FloatImage ours = J.separableFilter(src, kx, ky, b);
                    Mat dst = new Mat();
                    opencv_imgproc.Sobel(TestImages.toMat(src), dst, opencv_core.CV_32F, o[0], o[1], 3, 1, 0,
                            TestImages.openCvBorder(b));
                    String what = "Sobel CV_32F dx=" + o[0] + " dy=" + o[1] + " " + b + " on " + s[0] + "x" + s[1];
                    if (s[0] % 8 == 0 && openCvUsesFma()) {
                        PixelAssert.assertSameBits(TestImages.fromMat32(dst), ours, what);
                    } else {
                        PixelAssert.assertWithin(TestImages.fromMat32(dst), ours, orderBound(kx, ky, src), what);
                    }
                }
            }
        }
    }

    /** OpenCV's 8-bit GaussianBlur with sigma 0 is exact integer arithmetic: ours must equal it everywhere. */
    @Test
    void gaussian8BitIsOpenCvsOnRandomImagesOfEverySize() {
        long seed = 500;
        int[][] sizes = {{1, 1}, {2, 3}, {3, 2}, {5, 7}, {17, 9}, {64, 33}, {100, 1}, {1, 40}};
        for (int[] s : sizes) {
            GrayImage src = TestImages.randomGray(s[0], s[1], seed++);
            for (int kw = 1; kw <= 9; kw += 2) {
                for (int kh = 1; kh <= 9; kh += 2) {
                    PixelAssert.assertSame(openCvGaussian8(src, kw, kh), J.gaussianBlur(src, kw, kh),
                            "GaussianBlur 8-bit " + kw + "x" + kh + " on " + s[0] + "x" + s[1]);
                }
            }
        }
    }

    @Test
    void gaussian8BitIsOpenCvsOnRealImages() {
        for (String name : TestImages.ECG) {
            GrayImage src = TestImages.ecgGray(name);
            for (int k : new int[] {3, 5}) {
                PixelAssert.assertSame(openCvGaussian8(src, k, k), J.gaussianBlur(src, k, k),
                        "GaussianBlur 8-bit " + k + "x" + k + " on " + name);
            }
        }
    }

    static GrayImage openCvGaussian8(GrayImage src, int kw, int kh) {
        Mat dst = new Mat();
        opencv_imgproc.GaussianBlur(TestImages.toMat(src), dst, new Size(kw, kh), 0);
        return TestImages.fromMat8(dst);
    }

    static FloatImage openCvGaussian(FloatImage src, int n, double sigma) {
        Mat dst = new Mat();
        opencv_imgproc.GaussianBlur(TestImages.toMat(src), dst, new Size(n, n), sigma, sigma,
                opencv_core.BORDER_REFLECT_101);
        return TestImages.fromMat32(dst);
    }

    static ShortImage openCvSobel16(GrayImage src, int dx, int dy, Border b) {
        Mat dst = new Mat();
        opencv_imgproc.Sobel(TestImages.toMat(src), dst, opencv_core.CV_16S, dx, dy, 3, 1, 0, TestImages.openCvBorder(b));
        return TestImages.fromMat16(dst);
    }
}
