package org.fieldwork.ecg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.fieldwork.io.OpenCvMessages;
import org.fieldwork.kernels.KernelSession;

/**
 * One processing function over many images, as the reference project's bulk tester offers: which
 * images it worked on, which failed and why, and how long it took (percentiles). Each worker thread
 * has its own kernel session; OpenCV's own pool is off so that the threads do not fight over cores.
 */
public final class EcgFunctionTester {

    /** The functions that can be tested, by the names the service and the SQL functions use. */
    public enum Function {
        GRAYSCALE, EDGES, CONTENT_BOX, CROP, COLOR, GRID, QUALITY, DIGITIZE, ALL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Function parse(String text) {
            for (Function f : values()) {
                if (f.label().equalsIgnoreCase(text == null ? "" : text.trim().replace('-', '_'))) {
                    return f;
                }
            }
            throw new IllegalArgumentException("unknown ECG function '" + text + "' (grayscale, edges, content_box, crop,"
                    + " color, grid, quality, digitize or all)");
        }
    }

    /** An image to test: its name and how to get its bytes (read in the worker thread). */
    public record Input(String name, Supplier<byte[]> bytes) {
    }

    /** One image's outcome: its result summary or its error, and the times. */
    public record Outcome(String image, boolean ok, Map<String, Object> result, String error, double decodeMs,
            double functionMs) {
    }

    private EcgFunctionTester() {
    }

    /**
     * Runs {@code function} on every input with {@code threads} threads and returns the JSON-ready
     * summary: function, images, successes, failures (image and error), decode and function time
     * percentiles in ms, the kernel device, images per second, and each image's result.
     */
    public static Map<String, Object> run(Function function, List<Input> inputs, EcgOptions options, int threads)
            throws InterruptedException {
        int n = Math.max(1, threads);
        opencv_core.setNumThreads(1);
        long start = System.nanoTime();
        List<Outcome> outcomes = new ArrayList<>();
        String[] device = new String[1];
        ExecutorService pool = Executors.newFixedThreadPool(n);
        ThreadLocal<KernelSession> sessions = ThreadLocal.withInitial(KernelSession::open);
        List<KernelSession> opened = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            List<Future<Outcome>> futures = new ArrayList<>();
            for (Input input : inputs) {
                futures.add(pool.submit(() -> {
                    KernelSession k = sessions.get();
                    if (!opened.contains(k)) {
                        opened.add(k);
                    }
                    Outcome o = one(function, input, options, k);
                    if (k.lastDevice() != null) {
                        device[0] = k.lastDevice();
                    }
                    return o;
                }));
            }
            for (Future<Outcome> f : futures) {
                try {
                    outcomes.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("the tester itself failed: " + e.getCause(), e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
            opened.forEach(KernelSession::close);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return summary(function, outcomes, device[0], n, seconds);
    }

    static Outcome one(Function function, Input input, EcgOptions options, KernelSession kernels) {
        long t0 = System.nanoTime();
        try (PointerScope scope = new PointerScope()) {
            EcgImage image = EcgImage.decode(input.name(), input.bytes().get());
            long t1 = System.nanoTime();
            Map<String, Object> result = apply(function, image, options, kernels);
            long t2 = System.nanoTime();
            return new Outcome(input.name(), true, result, null, (t1 - t0) / 1e6, (t2 - t1) / 1e6);
        } catch (RuntimeException e) {
            String m = OpenCvMessages.describe(e);
            return new Outcome(input.name(), false, null, m.lines().findFirst().orElse(m), Double.NaN,
                    (System.nanoTime() - t0) / 1e6);
        }
    }

    private static Map<String, Object> apply(Function function, EcgImage image, EcgOptions options, KernelSession kernels) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("width", image.width());
        r.put("height", image.height());
        switch (function) {
            case GRAYSCALE -> r.put("mean_gray", opencv_core.mean(image.gray(kernels)).get(0));
            case EDGES -> r.put("edge_pixels", opencv_core.countNonZero(options.method().edges(image.gray(kernels), kernels)));
            case CONTENT_BOX, CROP -> {
                ContentBox b = ContentBox.of(image, options.method(), kernels);
                if (function == Function.CROP) {
                    b = b.padded(options.padding());
                    b.crop(image, 0);
                }
                r.put("box", List.of(b.x(), b.y(), b.width(), b.height()));
            }
            case COLOR -> {
                ColorSeparation.Result s = ColorSeparation.separate(image, options.colorMethod());
                r.put("grid_color", s.gridColour().label());
                r.put("grid_pixels", opencv_core.countNonZero(s.gridMask()));
            }
            case GRID -> grid(r, GridDetector.detect(ColorSeparation.separate(image, options.colorMethod())));
            case QUALITY -> quality(r, QualityGates.check(image,
                    GridDetector.detect(ColorSeparation.separate(image, options.colorMethod())), kernels));
            case DIGITIZE, ALL -> {
                EcgOp last = function == Function.DIGITIZE ? EcgOp.DIGITIZE : EcgOp.QUALITY;
                EcgResult a = EcgAnalysis.analyze(image, options.withOps(java.util.EnumSet.of(last))
                        .withImages(false), kernels);
                if (a.grid() != null) {
                    grid(r, a.grid());
                }
                if (a.quality() != null) {
                    quality(r, a.quality());
                }
                if (a.digitized() != null) {
                    r.put("leads", a.digitized().leads().size());
                    r.put("skew_deg", a.digitized().skewDegrees());
                }
            }
            default -> throw new IllegalStateException(function.toString());
        }
        return r;
    }

    private static void grid(Map<String, Object> r, Grid g) {
        r.put("fine_px", finite(g.fineSpacingPx()));
        r.put("bold_px", finite(g.boldSpacingPx()));
        r.put("lines_h", g.horizontalLines());
        r.put("lines_v", g.verticalLines());
        r.put("px_per_mm", finite(g.pxPerMm()));
    }

    private static void quality(Map<String, Object> r, QualityReport q) {
        r.put("pass", q.passed());
        r.put("failures", q.failures());
        r.put("blur_score", q.blurScore());
        r.put("contrast", q.contrastScore());
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static Map<String, Object> summary(Function function, List<Outcome> outcomes, String device, int threads,
            double seconds) {
        Map<String, Object> s = new LinkedHashMap<>();
        long ok = outcomes.stream().filter(Outcome::ok).count();
        s.put("function", function.label());
        s.put("images", outcomes.size());
        s.put("successes", ok);
        s.put("failures", outcomes.stream().filter(o -> !o.ok())
                .map(o -> Map.of("image", o.image(), "error", o.error())).toList());
        s.put("threads", threads);
        s.put("device", device == null ? "none (no kernel ran)" : device);
        s.put("seconds", seconds);
        s.put("images_per_second", outcomes.isEmpty() ? 0 : outcomes.size() / seconds);
        s.put("function_ms", percentiles(outcomes.stream().filter(Outcome::ok).mapToDouble(Outcome::functionMs).toArray()));
        s.put("decode_ms", percentiles(outcomes.stream().filter(Outcome::ok).mapToDouble(Outcome::decodeMs).toArray()));
        List<Map<String, Object>> each = new ArrayList<>();
        for (Outcome o : outcomes) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("image", o.image());
            m.put("ok", o.ok());
            if (o.ok()) {
                m.put("ms", o.functionMs());
                m.put("result", o.result());
            } else {
                m.put("error", o.error());
            }
            each.add(m);
        }
        s.put("results", each);
        return s;
    }

    /** min, p50, p90, p99, max and mean (nearest rank), or an empty map without values. */
    static Map<String, Double> percentiles(double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        if (values.length == 0) {
            return m;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        m.put("min", v[0]);
        m.put("p50", rank(v, 50));
        m.put("p90", rank(v, 90));
        m.put("p99", rank(v, 99));
        m.put("max", v[v.length - 1]);
        m.put("mean", Arrays.stream(v).average().orElse(Double.NaN));
        return m;
    }

    private static double rank(double[] sorted, double p) {
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }
}
