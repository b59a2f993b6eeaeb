package org.fieldwork.kernels;

import com.aparapi.Kernel;
import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.exception.CompileFailedException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernels of one Spark partition (or one test): open once, run any number of units through it,
 * close in {@code finally} (try-with-resources). Each kernel is created on first use, keeps its
 * buffers while image sizes repeat, and is disposed on {@link #close()}.
 *
 * <p>Every call goes through one path that applies the {@link KernelDevice} policy and records the
 * device that actually ran in {@link #report()}. Not thread-safe: one session per task thread.
 *
 * <pre>{@code
 * try (KernelSession kernels = KernelSession.open(KernelDevice.parse(options.kernels))) {
 *     for (EcgImage unit : units) {
 *         FloatImage smooth = kernels.gaussianBlur(unit.gray(), 5, 1.2);
 *         ...
 *     }
 *     kernelRunsAccumulator.add(kernels.report());
 * }
 * }</pre>
 */
public final class KernelSession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KernelSession.class);
    /** Work-group size: a multiple of every GPU's SIMD width, well under every device's limit. */
    private static final int GROUP = 64;
    /**
     * OpenCL runs one kernel call at a time in this JVM: Aparapi shares native state between kernel
     * instances of one class (two sessions on two task threads crashed PoCL setting arguments at once),
     * and one call already uses every core of a CPU device and the whole of a GPU.
     */
    private static final Object OPENCL = new Object();

    private final KernelDevice policy;
    private final OpenCLDevice device;
    private final KernelReport report = new KernelReport();
    private final List<Slot<?>> slots = new ArrayList<>();
    final Slot<SeparableFilterKernel> separable =
            slot("separable-filter", SeparableFilterKernel::new, SeparableFilterKernel.InJava::new);
    final Slot<BoxStatsKernel> boxStats = slot("box-stats", BoxStatsKernel::new, BoxStatsKernel.InJava::new);
    final Slot<SobelU8Kernel> sobelU8 = slot("sobel-u8", SobelU8Kernel::new, SobelU8Kernel::new);
    final Slot<GaussianU8Kernel> gaussianU8 = slot("gaussian-u8", GaussianU8Kernel::new, GaussianU8Kernel::new);
    final Slot<GrayscaleKernel> grayscale = slot("grayscale", GrayscaleKernel::new, GrayscaleKernel::new);
    final Slot<LaplacianU8Kernel> laplacianU8 = slot("laplacian-u8", LaplacianU8Kernel::new, LaplacianU8Kernel::new);
    final Slot<CannyNmsKernel> cannyNms = slot("canny-nms", CannyNmsKernel::new, CannyNmsKernel::new);
    private String lastDevice;
    private boolean closed;

    private KernelSession(KernelDevice policy, OpenCLDevice device) {
        this.policy = policy;
        this.device = device;
    }

    /**
     * Opens a session. With {@link KernelDevice#OPENCL} and no OpenCL device this fails at once with
     * {@link KernelUnavailableException}, before any unit runs.
     */
    public static KernelSession open(KernelDevice policy) {
        OpenCLDevice cl = null;
        if (policy != KernelDevice.JAVA) {
            cl = OpenClDevices.best().orElse(null);
            if (cl == null && policy == KernelDevice.OPENCL) {
                throw new KernelUnavailableException(
                        "kernel device 'opencl' was required but " + OpenClDevices.unavailableReason());
            }
        }
        return new KernelSession(policy, cl);
    }

    /** Opens a session with the policy from {@link KernelDevice#fromEnvironment()}. */
    public static KernelSession open() {
        return open(KernelDevice.fromEnvironment());
    }

    public KernelDevice policy() {
        return policy;
    }

    /** Label of the OpenCL device this session tries ({@code opencl:<name>}), or {@value KernelReport#JAVA}. */
    public String plannedDevice() {
        return device == null ? KernelReport.JAVA : OpenClDevices.label(device);
    }

    /** Device label of the most recent call, null before the first. */
    public String lastDevice() {
        return lastDevice;
    }

    /** A snapshot of the runs so far. */
    public KernelReport report() {
        return report.copy();
    }

    // ---------------------------------------------------------------- operations

    /**
     * Gaussian blur like OpenCV's {@code GaussianBlur(src, dst, Size(ksize, ksize), sigma, sigma,
     * BORDER_REFLECT_101)} on a float image. ksize 0 derives it from sigma; sigma &lt;= 0 derives sigma
     * from ksize.
     */
    public FloatImage gaussianBlur(FloatImage src, int ksize, double sigma) {
        int n = ksize > 0 ? ksize : GaussianKernel.sizeForSigma(sigma);
        FilterTaps taps = GaussianKernel.taps(n, sigma);
        return separableFilter(src, taps, taps, Border.REFLECT_101);
    }

    /**
     * Gaussian blur of an 8-bit image, equal to OpenCV's {@code GaussianBlur(src, dst, Size(kw, kh), 0)}
     * on every pixel (its bit-exact 8-bit path, border REFLECT_101). Window sides 1, 3, 5, 7 or 9:
     * {@link #hasExactGaussian} says whether a size is one.
     */
    public GrayImage gaussianBlur(GrayImage src, int kw, int kh) {
        int[] kx = GaussianKernel.fixedPointTaps(kw);
        int[] ky = GaussianKernel.fixedPointTaps(kh);
        return run(gaussianU8, "gaussian-u8", src.width() * src.height(), 2,
                k -> k.prepare(src, kx, ky),
                k -> new GrayImage(src.width(), src.height(), k.result()));
    }

    /** Whether {@link #gaussianBlur(GrayImage, int, int)} takes a kw x kh window with sigma 0. */
    public static boolean hasExactGaussian(int kw, int kh, double sigma) {
        return sigma == 0 && GaussianKernel.hasFixedPointTaps(kw) && GaussianKernel.hasFixedPointTaps(kh);
    }

    /** Row taps then column taps over a float image (the general form behind blur and float Sobel). */
    public FloatImage separableFilter(FloatImage src, FilterTaps rowTaps, FilterTaps columnTaps, Border border) {
        return run(separable, "separable-filter", src.width() * src.height(), 2,
                k -> k.prepare(src, rowTaps, columnTaps, border),
                k -> new FloatImage(src.width(), src.height(), k.result()));
    }

    /** 3x3 Sobel of a float image into float, like OpenCV's {@code Sobel(src, dst, CV_32F, dx, dy, 3)}. */
    public FloatImage sobel(FloatImage src, int dx, int dy, Border border) {
        SobelTaps.checkOrders(dx, dy);
        return separableFilter(src, SobelTaps.floats(dx), SobelTaps.floats(dy), border);
    }

    /** 3x3 Sobel of an 8-bit image into int16, like OpenCV's {@code Sobel(src, dst, CV_16S, dx, dy, 3)}. */
    public ShortImage sobel(GrayImage src, int dx, int dy, Border border) {
        SobelTaps.checkOrders(dx, dy);
        return run(sobelU8, "sobel-u8", src.width() * src.height(), 1,
                k -> k.prepare(src, dx, dy, border),
                k -> new ShortImage(src.width(), src.height(), k.result()));
    }

    /** 8-bit BGR to gray, equal to OpenCV's {@code cvtColor(src, dst, COLOR_BGR2GRAY)} on every pixel. */
    public GrayImage grayscale(ColorImage src) {
        return run(grayscale, "grayscale", src.width() * src.height(), 1,
                k -> k.prepare(src),
                k -> new GrayImage(src.width(), src.height(), k.result()));
    }

    /**
     * Laplacian of an 8-bit image into int16, equal to OpenCV's {@code Laplacian(src, dst, CV_16S,
     * ksize)} (border REFLECT_101) on every pixel; ksize 1 or 3.
     */
    public ShortImage laplacian(GrayImage src, int ksize) {
        LaplacianU8Kernel.checkSize(ksize);
        return run(laplacianU8, "laplacian-u8", src.width() * src.height(), 1,
                k -> k.prepare(src, ksize),
                k -> new ShortImage(src.width(), src.height(), k.result()));
    }

    /**
     * Canny edges (255) of an 8-bit image, equal to OpenCV's {@code Canny(src, dst, lo, hi, 3, false)}
     * on every pixel: Sobel with BORDER_REPLICATE and {@link CannyNmsKernel} as kernels, then
     * {@link CannyHysteresis} in Java. Thresholds are swapped when lo &gt; hi and floored, as OpenCV does.
     */
    public GrayImage canny(GrayImage src, double lo, double hi) {
        if (Double.isNaN(lo) || Double.isNaN(hi)) {
            throw new IllegalArgumentException("Canny thresholds must be numbers, got " + lo + " and " + hi);
        }
        int low = cannyThreshold(Math.min(lo, hi));
        int high = cannyThreshold(Math.max(lo, hi));
        ShortImage dx = sobel(src, 1, 0, Border.REPLICATE);
        ShortImage dy = sobel(src, 0, 1, Border.REPLICATE);
        byte[] classes = run(cannyNms, "canny-nms", src.width() * src.height(), 2,
                k -> k.prepare(dx, dy, low, high),
                CannyNmsKernel::result);
        return CannyHysteresis.trace(src.width(), src.height(), classes);
    }

    /**
     * OpenCV's cvFloor of a threshold, clamped where the clamp changes nothing: magnitudes lie in
     * 0..8160, so every threshold below 0 acts as -1 and every one above 8160 as 8160.
     */
    private static int cannyThreshold(double t) {
        return (int) Math.floor(Math.max(-1, Math.min(8160, t)));
    }

    /** Box mean, like OpenCV's {@code blur(src, dst, Size(kw, kh), Point(-1,-1), border)}. */
    public FloatImage boxMean(FloatImage src, int kw, int kh, Border border) {
        return boxStats(src, kw, kh, border, false).mean();
    }

    /** Box mean and variance over a kw x kh window; definition on {@link BoxStats}. */
    public LocalStats localMeanAndVariance(FloatImage src, int kw, int kh, Border border) {
        return boxStats(src, kw, kh, border, true);
    }

    private LocalStats boxStats(FloatImage src, int kw, int kh, Border border, boolean variance) {
        BoxStats.checkWindow(kw, kh);
        return run(boxStats, variance ? "box-mean-variance" : "box-mean", src.width() * src.height(), 2,
                k -> k.prepare(src, kw, kh, border, variance),
                k -> new LocalStats(new FloatImage(src.width(), src.height(), k.meanResult()),
                        variance ? new FloatImage(src.width(), src.height(), k.varianceResult()) : null));
    }

    // ---------------------------------------------------------------- the one execution path

    /**
     * Runs one kernel call under the policy: on OpenCL, checking afterwards that OpenCL really ran,
     * or in Java, where the same kernel body runs in a loop over the work items and passes.
     */
    <K extends Kernel & PixelKernel, R> R run(Slot<K> slot, String name, int workItems, int passes,
            Consumer<K> prepare, Function<K, R> collect) {
        if (closed) {
            throw new IllegalStateException("kernel session is closed");
        }
        if (device == null || slot.javaOnly) {
            return runInJava(slot, name, workItems, passes, prepare, collect);
        }
        K kernel;
        try {
            kernel = slot.compiled();
        } catch (CompileFailedException | RuntimeException e) {
            return failover(slot, name, "does not compile for " + device.getName() + ": " + e, e,
                    workItems, passes, prepare, collect);
        }
        R result;
        String ran;
        try {
            prepare.accept(kernel);
            Device target;
            synchronized (OPENCL) {
                int global = (workItems + GROUP - 1) / GROUP * GROUP;
                kernel.execute(Range.create(global, GROUP), passes);
                target = kernel.getTargetDevice();
            }
            if (!kernel.isRunningCL() || !(target instanceof OpenCLDevice)) {
                return failover(slot, name, "was moved by Aparapi to "
                        + (target == null ? "an unknown device" : target.getShortDescription()), null,
                        workItems, passes, prepare, collect);
            }
            ran = OpenClDevices.label((OpenCLDevice) target);
            result = collect.apply(kernel);
        } catch (RuntimeException e) {
            if (e instanceof KernelUnavailableException) {
                throw e;
            }
            return failover(slot, name, "failed on OpenCL: " + e, e, workItems, passes, prepare, collect);
        }
        record(name, ran);
        return result;
    }

    /** The kernel's own body, item by item and pass by pass, on this thread (one per task). */
    private <K extends Kernel & PixelKernel, R> R runInJava(Slot<K> slot, String name, int workItems, int passes,
            Consumer<K> prepare, Function<K, R> collect) {
        K kernel = slot.instance();
        prepare.accept(kernel);
        for (int pass = 0; pass < passes; pass++) {
            kernel.atRange(0, workItems, pass);
        }
        R r = collect.apply(kernel);
        record(name, KernelReport.JAVA);
        return r;
    }

    /** OPENCL: the error. AUTO: log once per kernel, redo the call in Java, and stay in Java for it. */
    private <K extends Kernel & PixelKernel, R> R failover(Slot<K> slot, String name, String why, Throwable cause,
            int workItems, int passes, Consumer<K> prepare, Function<K, R> collect) {
        String message = "kernel " + name + " " + why;
        if (policy == KernelDevice.OPENCL) {
            throw new KernelUnavailableException(message + " (kernel device 'opencl' allows no fallback)", cause);
        }
        LOG.warn("{}; running it in Java from now on in this session", message);
        slot.javaOnly = true;
        report.recordFailover();
        return runInJava(slot, name, workItems, passes, prepare, collect);
    }

    private void record(String name, String device) {
        report.record(name, device);
        lastDevice = device;
    }

    /** Disposes every kernel created; safe to call twice. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Slot<?> s : slots) {
            s.dispose();
        }
    }

    /**
     * Registers a kernel class with this session: {@code forOpenCl} makes the instance Aparapi
     * compiles, {@code inJava} the one whose body the Java path runs (the same class, or a subclass
     * that gives an OpenCL built-in its exact Java meaning). Created on first use, disposed on close.
     */
    <K extends Kernel & PixelKernel> Slot<K> slot(String name, Supplier<K> forOpenCl, Supplier<? extends K> inJava) {
        Slot<K> s = new Slot<>(name, forOpenCl, inJava);
        slots.add(s);
        return s;
    }

    /** One kernel class in this session: created on first use, compiled for the device on first OpenCL use. */
    final class Slot<K extends Kernel & PixelKernel> {
        private final String name;
        private final Supplier<K> forOpenCl;
        private final Supplier<? extends K> inJava;
        private K kernel;
        private K javaKernel;
        boolean javaOnly;

        Slot(String name, Supplier<K> forOpenCl, Supplier<? extends K> inJava) {
            this.name = name;
            this.forOpenCl = forOpenCl;
            this.inJava = inJava;
        }

        /** The instance for the Java path. */
        K instance() {
            if (javaKernel == null) {
                javaKernel = inJava.get();
            }
            return javaKernel;
        }

        K compiled() throws CompileFailedException {
            if (kernel == null) {
                K k = forOpenCl.get();
                // Compiling up front turns "cannot translate / cannot build" into an exception
                // instead of Aparapi's silent switch to its Java thread pool. An instance whose
                // build failed is dropped, never disposed: Aparapi's dispose of it crashes the JVM
                // (clReleaseCommandQueue on a queue it never made).
                synchronized (OPENCL) {
                    k.compile(device);
                }
                kernel = k;
            }
            return kernel;
        }

        /** The kernel instance, null before first use and after close (tests check buffer reuse). */
        K kernel() {
            return kernel;
        }

        void dispose() {
            if (kernel != null) {
                try {
                    synchronized (OPENCL) {
                        kernel.dispose();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("disposing kernel {} failed: {}", name, e.toString());
                }
                kernel = null;
            }
            javaKernel = null;
        }
    }
}
