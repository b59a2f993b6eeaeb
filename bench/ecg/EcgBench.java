import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2Lab;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_CLOSE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY_INV;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.fieldwork.ecg.ColorSeparation;
import org.fieldwork.ecg.ContentBox;
import org.fieldwork.ecg.EcgAnalysis;
import org.fieldwork.ecg.EcgImage;
import org.fieldwork.ecg.EcgLayout;
import org.fieldwork.ecg.EcgOp;
import org.fieldwork.ecg.EcgOptions;
import org.fieldwork.ecg.EcgRenderer;
import org.fieldwork.ecg.EcgResult;
import org.fieldwork.ecg.EdgeMethod;
import org.fieldwork.ecg.Grid;
import org.fieldwork.ecg.GridColour;
import org.fieldwork.ecg.GridDetector;
import org.fieldwork.ecg.WfdbRecord;
import org.fieldwork.kernels.KernelDevice;
import org.fieldwork.kernels.KernelSession;
import org.fieldwork.kernels.KernelUnavailableException;

/**
 * ECG benchmark: edges + crop + colour + grid on 2200x1700 pages, Fieldwork's analysis (its Java
 * kernel path and its OpenCL path) against the same steps called directly in OpenCV, in one JVM.
 *
 * <p>Per image: 8 distinct pages decoded once; each row processes REPS passes over them, one thread,
 * then a fixed pool of one thread per core (each thread with its own KernelSession), the contenders
 * taking turns a pass at a time. Only the processing is timed. OpenCV's own pool is off
 * (setNumThreads 1) in every row but one, so that the threads of a row are the only ones working;
 * that row shows OpenCV with its default threading. Then one thread's time per step, per contender.
 *
 * <p>Bulk (BULK &gt; 0): writes BULK PNG files (copies of the 8 pages) for the script's
 * {@code submit/fieldwork ecg} run, and times two loops over them on all cores, decoding included:
 * OpenCV (imread + the OpenCV steps) and Fieldwork's per-image analysis without Spark
 * (EcgAnalysis.analyze on the file's bytes). OpenCV's seconds go to WORK/opencv-bulk-seconds.
 *   EcgBench SHARED-DATA-FOLDER WORK-FOLDER REPS BULK
 */
public final class EcgBench {
    static final int WIDTH = 2200;
    static final int HEIGHT = 1700;
    static final String OPS = "edges,crop,color,grid";
    static final EcgOptions OPTIONS = EcgOptions.DEFAULT.withOps(EcgOp.parseList(OPS));
    /** The reference's 3x3 structuring element for close and dilate, shared read-only by all threads. */
    static final Mat SQUARE = Mat.ones(3, 3, CV_8U).asMat();

    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int reps = Integer.parseInt(args[2]);
        int bulk = Integer.parseInt(args[3]);
        Files.createDirectories(work);
        int cores = Runtime.getRuntime().availableProcessors();
        int openCvDefaultThreads = opencv_core.getNumThreads();

        List<Page> pages = pages(shared);
        System.out.println("ecg bench: pages " + pages.stream()
                .map(p -> String.format(Locale.ROOT, "%s (%s, %.0f kB PNG)", p.name(), p.source(), p.png().length / 1e3))
                .reduce((x, y) -> x + ", " + y).orElse(""));
        boolean openCl = openClUsable();
        checkAgreement(pages, openCl);
        List<Row> rows = perImageRows(pages, reps, cores, openCl, openCvDefaultThreads);
        printTable(rows, pages.size(), reps, cores);
        printSteps(pages, Math.max(1, reps / 2), openCl);
        if (bulk > 0) {
            bulk(pages, work, bulk, cores);
        }
    }

    // ---------------------------------------------------------------- the pages

    /** A decoded 2200x1700 BGR page, where it came from, and its PNG file's bytes (for the bulk folder). */
    record Page(String name, Mat bgr, String source, byte[] png) {
        /** A page made here: its PNG at zlib level 6, as most writers store them (OpenCV's default, 1, gives files 5x larger). */
        static Page made(String name, Mat bgr, String source) {
            try (IntPointer level = new IntPointer(opencv_imgcodecs.IMWRITE_PNG_COMPRESSION, 6);
                    BytePointer buf = new BytePointer()) {
                if (!opencv_imgcodecs.imencode(".png", bgr, buf, level)) {
                    throw new IllegalStateException("cannot encode " + name);
                }
                byte[] png = new byte[(int) buf.limit()];
                buf.get(png);
                return new Page(name, bgr, source, png);
            }
        }
    }

    /**
     * 8 pages: the four 2200x1700 ECG-Image-Kit samples as they are, three renders of the PTB-XL
     * record (clean; rotated and blurred; blurred and JPEG-compressed), and a scan resized to 2200x1700.
     */
    static List<Page> pages(Path shared) throws IOException {
        Path ecg = shared.resolve("ecg");
        List<Page> pages = new ArrayList<>();
        for (String kit : List.of("SampleData_12lead_generated_JS00001-0.png",
                "SampleData_DistortionData_Wrinkles_Creases_00001_hr-0.png", "SampleData_GeneratedData_sel100-0.png",
                "SampleData_PTB_XL_op_00002_hr-0.png")) {
            pages.add(new Page(kit, read(ecg.resolve(kit)), "ECG-Image-Kit sample", Files.readAllBytes(ecg.resolve(kit))));
        }
        WfdbRecord record = WfdbRecord.read(ecg.resolve("SampleData_PTB_XL_data_00001_lr.hea"));
        EcgRenderer.Options clean = EcgRenderer.Options.clean(WIDTH / 297.0);
        pages.add(Page.made("ptbxl-clean", render(record, clean), "rendered"));
        pages.add(Page.made("ptbxl-rotated", render(record, clean.withRotation(1.5).withBlur(1.0)), "rendered"));
        pages.add(Page.made("ptbxl-jpeg", render(record, clean.withBlur(0.8).withJpeg(75)), "rendered"));
        pages.add(Page.made("ecg00001.png", resized(read(ecg.resolve("ecg00001.png"))), "scan resized"));
        for (Page p : pages) {
            if (p.bgr().cols() != WIDTH || p.bgr().rows() != HEIGHT || p.bgr().channels() != 3) {
                throw new IllegalStateException(p.name() + " is " + p.bgr().cols() + "x" + p.bgr().rows());
            }
        }
        return pages;
    }

    static Mat read(Path file) {
        Mat m = opencv_imgcodecs.imread(file.toString(), opencv_imgcodecs.IMREAD_COLOR);
        if (m == null || m.empty()) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        return m;
    }

    /** An A4 render 2200 px wide (7.41 px/mm, 2200x1556) centred on a white 2200x1700 sheet, grid kept square. */
    static Mat render(WfdbRecord record, EcgRenderer.Options options) {
        Mat a4 = EcgRenderer.render(record, EcgLayout.standard(), options).image();
        int top = (HEIGHT - a4.rows()) / 2;
        Mat page = new Mat();
        opencv_core.copyMakeBorder(a4, page, top, HEIGHT - a4.rows() - top, 0, 0, BORDER_CONSTANT,
                new Scalar(255, 255, 255, 0));
        return page;
    }

    static Mat resized(Mat scan) {
        Mat out = new Mat();
        opencv_imgproc.resize(scan, out, new Size(WIDTH, HEIGHT), 0, 0, INTER_LINEAR);
        return out;
    }

    // ---------------------------------------------------------------- the contenders

    /** What the agreement check compares: the content box, grid colour and grid each path found. */
    record Summary(ContentBox box, GridColour colour, Grid grid) {
    }

    /** The same box and colour, and scales within 1% (both NaN: no grid found by either). */
    static boolean agree(Summary a, Summary b) {
        double pa = a.grid().pxPerMm();
        double pb = b.grid().pxPerMm();
        boolean scale = Double.isNaN(pa) ? Double.isNaN(pb) : Math.abs(pa - pb) <= 0.01 * pb;
        return a.box().equals(b.box()) && a.colour() == b.colour() && scale;
    }

    /** One thread's processor of decoded pages; Fieldwork's holds that thread's KernelSession. */
    interface Worker extends AutoCloseable {
        Summary process(Page page);

        /** Where the work ran: "opencv", "java" or the OpenCL device. */
        String device();

        @Override
        void close();
    }

    /** Fieldwork's analysis with the given kernel device: exactly what the bulk job runs per image. */
    static final class FieldworkWorker implements Worker {
        private final KernelSession kernels;
        private String device;

        FieldworkWorker(KernelDevice policy) {
            kernels = KernelSession.open(policy);
            device = kernels.plannedDevice();
        }

        @Override
        public Summary process(Page page) {
            return summary(EcgAnalysis.analyze(EcgImage.of(page.name(), page.bgr()), OPTIONS, kernels));
        }

        Summary process(String name, byte[] encoded) {
            return summary(EcgAnalysis.analyze(name, encoded, OPTIONS, kernels));
        }

        private Summary summary(EcgResult r) {
            device = r.device();
            return new Summary(r.contentBox(), r.gridColour(), r.grid());
        }

        @Override
        public String device() {
            return device;
        }

        @Override
        public void close() {
            kernels.close();
        }
    }

    /** The same steps called directly in OpenCV: no state. */
    static final class OpenCvWorker implements Worker {
        @Override
        public Summary process(Page page) {
            return OpenCvPeer.analyze(page.bgr());
        }

        @Override
        public String device() {
            return "opencv";
        }

        @Override
        public void close() {
        }
    }

    /** A row's contender: a label and how each thread makes its worker. */
    record Contender(String label, Supplier<Worker> worker) {
    }

    static Contender openCv() {
        return new Contender("opencv", OpenCvWorker::new);
    }

    static Contender fieldwork(KernelDevice device) {
        return new Contender("fieldwork " + device.optionValue(), () -> new FieldworkWorker(device));
    }

    // ---------------------------------------------------------------- the OpenCV peer

    /**
     * edges + crop + colour + grid as the reference writes them with OpenCV: BGR2GRAY, the median
     * from a 256-bin calcHist, Canny(0.66 m, 1.33 m), close and dilate 3x3, the largest external
     * contour's bounding box, the padded crop (a view: Fieldwork's analysis without pictures only
     * finds the box too), Lab separation, and the reference's grid step on this mask: the openings
     * and HoughLinesP over the whole opened masks (GridDetector.detectAtFullResolution; Fieldwork's
     * own grid step shrinks the opened masks along the lines before the Hough transform).
     */
    static final class OpenCvPeer {
        static Summary analyze(Mat bgr) {
            return analyze(bgr, new Steps());
        }

        static Summary analyze(Mat bgr, Steps steps) {
            try (PointerScope scope = new PointerScope()) {
                steps.start();
                Mat gray = new Mat();
                opencv_imgproc.cvtColor(bgr, gray, COLOR_BGR2GRAY);
                steps.lap(Steps.GRAY);
                Mat edges = cannyEdges(gray);
                steps.lap(Steps.EDGES);
                ContentBox box = largestContourBox(edges);
                ContentBox padded = box.padded(ContentBox.DEFAULT_PADDING);
                Mat crop = bgr.apply(new Rect(padded.x(), padded.y(), padded.width(), padded.height()));
                if (crop.empty()) {
                    throw new IllegalStateException("empty crop");
                }
                steps.lap(Steps.BOX);
                Mat trace = new Mat();
                Mat mask = new Mat();
                GridColour colour = labSeparation(bgr, trace, mask);
                steps.lap(Steps.COLOUR);
                Grid grid = GridDetector.detectAtFullResolution(mask);
                steps.lap(Steps.GRID);
                return new Summary(box, colour, grid);
            }
        }

        /** median, Canny, close and dilate: the step Fieldwork's EdgeMethod.CANNY.edges is. */
        static Mat cannyEdges(Mat gray) {
            double m = median(gray);
            Mat edges = new Mat();
            opencv_imgproc.Canny(gray, edges, Math.max(0, (int) (0.66 * m)), Math.min(255, (int) (1.33 * m)), 3, false);
            opencv_imgproc.morphologyEx(edges, edges, MORPH_CLOSE, SQUARE);
            opencv_imgproc.dilate(edges, edges, SQUARE);
            return edges;
        }

        /** numpy's median of the gray levels (mean of the two middle ones for an even count) from calcHist. */
        static double median(Mat gray) {
            Mat hist = new Mat();
            opencv_imgproc.calcHist(gray, 1, new int[] {0}, new Mat(), hist, 1, new int[] {256}, new float[] {0, 256});
            long[] counts = new long[256];
            try (FloatIndexer ix = hist.createIndexer()) {
                for (int v = 0; v < 256; v++) {
                    counts[v] = (long) ix.get(v, 0);
                }
            }
            long total = (long) gray.rows() * gray.cols();
            int upper = levelAtRank(counts, total / 2);
            return total % 2 == 1 ? upper : (levelAtRank(counts, total / 2 - 1) + upper) / 2.0;
        }

        static int levelAtRank(long[] counts, long rank) {
            long seen = 0;
            for (int v = 0; v < 256; v++) {
                seen += counts[v];
                if (seen > rank) {
                    return v;
                }
            }
            return 255;
        }

        static ContentBox largestContourBox(Mat edges) {
            MatVector contours = new MatVector();
            opencv_imgproc.findContours(edges, contours, new Mat(), RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
            long best = -1;
            double bestArea = -1;
            for (long i = 0; i < contours.size(); i++) {
                double area = opencv_imgproc.contourArea(contours.get(i));
                if (area > bestArea) {
                    bestArea = area;
                    best = i;
                }
            }
            if (best < 0) {
                return new ContentBox(0, 0, edges.cols(), edges.rows(), edges.cols(), edges.rows());
            }
            Rect r = opencv_imgproc.boundingRect(contours.get(best));
            return new ContentBox(r.x(), r.y(), r.width(), r.height(), edges.cols(), edges.rows());
        }

        /**
         * Lab: mean(a) &gt; 127 is a red grid, mask a &gt; 140; else black, mask L &lt; 127. Fills the
         * trace image (L, a copy, as Fieldwork's separation returns it) and the mask.
         */
        static GridColour labSeparation(Mat bgr, Mat trace, Mat mask) {
            Mat lab = new Mat();
            opencv_imgproc.cvtColor(bgr, lab, COLOR_BGR2Lab);
            MatVector planes = new MatVector();
            opencv_core.split(lab, planes);
            planes.get(0).copyTo(trace);
            Mat a = planes.get(1);
            if (opencv_core.mean(a).get(0) > 127) {
                opencv_imgproc.threshold(a, mask, 140, 255, THRESH_BINARY);
                return GridColour.RED;
            }
            opencv_imgproc.threshold(planes.get(0), mask, 126, 255, THRESH_BINARY_INV);
            return GridColour.BLACK;
        }
    }

    // ---------------------------------------------------------------- agreement

    static boolean openClUsable() {
        try (KernelSession s = KernelSession.open(KernelDevice.OPENCL)) {
            return true;
        } catch (KernelUnavailableException e) {
            System.out.println("ecg bench: no OpenCL rows: " + e.getMessage());
            return false;
        }
    }

    /** Every page once through each contender (also their first warm-up); differences are printed. */
    static void checkAgreement(List<Page> pages, boolean openCl) {
        opencv_core.setNumThreads(1);
        List<Contender> fieldwork = new ArrayList<>(List.of(fieldwork(KernelDevice.JAVA)));
        if (openCl) {
            fieldwork.add(fieldwork(KernelDevice.OPENCL));
        }
        Summary[] reference = new Summary[pages.size()];
        try (Worker w = openCv().worker().get()) {
            for (int i = 0; i < pages.size(); i++) {
                reference[i] = w.process(pages.get(i));
            }
        }
        for (Contender c : fieldwork) {
            int same = 0;
            try (Worker w = c.worker().get()) {
                for (int i = 0; i < pages.size(); i++) {
                    Summary s = w.process(pages.get(i));
                    if (agree(s, reference[i])) {
                        same++;
                    } else {
                        System.out.println("ecg bench: DIFFERENT on " + pages.get(i).name() + ": " + c.label() + " " + s
                                + " vs opencv " + reference[i]);
                    }
                }
            }
            System.out.printf("ecg bench: %s and opencv find the same content box and grid colour, and px/mm within 1%%,"
                    + " on %d of %d pages%n",
                    c.label(), same, pages.size());
        }
    }

    // ---------------------------------------------------------------- per-image timing

    /** One row of the table: per-image times and the wall time of the row's rounds added up. */
    record Row(String label, String device, int threads, long[] nanos, double wallSeconds) {
        double medianMs() {
            long[] s = nanos.clone();
            Arrays.sort(s);
            int n = s.length;
            return (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0) / 1e6;
        }

        double meanMs() {
            return Arrays.stream(nanos).average().orElse(Double.NaN) / 1e6;
        }

        double imagesPerSecond() {
            return nanos.length / wallSeconds;
        }
    }

    /**
     * One thread, then one per core. Within each, the contenders take turns a round at a time (a
     * round: every page once), REPS rounds, so that a machine shared with others slows them alike.
     * OpenCV with its default threads is one more single-caller contender.
     */
    static List<Row> perImageRows(List<Page> pages, int reps, int cores, boolean openCl, int openCvDefaultThreads)
            throws Exception {
        List<Row> rows = new ArrayList<>();
        for (int threads : cores > 1 ? new int[] {1, cores} : new int[] {1}) {
            List<Pool> pools = new ArrayList<>();
            try {
                pools.add(new Pool(openCv(), threads, 1, pages));
                pools.add(new Pool(fieldwork(KernelDevice.JAVA), threads, 1, pages));
                if (openCl) {
                    pools.add(new Pool(fieldwork(KernelDevice.OPENCL), threads, 1, pages));
                }
                if (threads == 1 && openCvDefaultThreads > 1) {
                    pools.add(new Pool(new Contender("opencv, its own " + openCvDefaultThreads + " threads",
                            OpenCvWorker::new), 1, openCvDefaultThreads, pages));
                }
                for (int round = 0; round < reps; round++) {
                    for (Pool pool : pools) {
                        pool.round();
                    }
                }
                pools.forEach(pool -> rows.add(pool.row()));
            } finally {
                pools.forEach(Pool::close);
            }
        }
        opencv_core.setNumThreads(openCvDefaultThreads);
        return rows;
    }

    /**
     * A contender's fixed pool: {@code threads} threads, each with its own worker, warmed on one page
     * (the agreement check warmed the JIT; this builds each session's OpenCL kernels). A round
     * processes every page once, spread over the threads; only the rounds are timed.
     */
    static final class Pool implements AutoCloseable {
        private final Contender contender;
        private final int threads;
        private final int openCvThreads;
        private final List<Page> pages;
        private final ExecutorService executor;
        private final ThreadLocal<Worker> worker = new ThreadLocal<>();
        private final List<Worker> workers = new CopyOnWriteArrayList<>();
        private final List<Long> nanos = new ArrayList<>();
        private double wallSeconds;

        Pool(Contender contender, int threads, int openCvThreads, List<Page> pages) throws Exception {
            this.contender = contender;
            this.threads = threads;
            this.openCvThreads = openCvThreads;
            this.pages = pages;
            this.executor = Executors.newFixedThreadPool(threads);
            opencv_core.setNumThreads(openCvThreads);
            onEveryThread(() -> {
                Worker w = contender.worker().get();
                workers.add(w);
                worker.set(w);
                return w.process(pages.get(workers.size() % pages.size()));
            });
        }

        /**
         * Runs {@code task} once on each of the pool's threads: each task waits for the others, so no
         * thread takes two. A thread that fails still arrives, so the others do not wait forever.
         */
        private void onEveryThread(Callable<?> task) throws Exception {
            CyclicBarrier all = new CyclicBarrier(threads);
            List<Future<Object>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(executor.submit(() -> {
                    try {
                        return task.call();
                    } finally {
                        all.await();
                    }
                }));
            }
            for (Future<Object> f : done) {
                f.get();
            }
        }

        /** Every page once, spread over the threads; each image's time and the round's wall time are kept. */
        void round() throws Exception {
            opencv_core.setNumThreads(openCvThreads);
            long[] times = new long[pages.size()];
            AtomicInteger next = new AtomicInteger();
            List<Future<Object>> done = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < threads; t++) {
                done.add(executor.submit(() -> {
                    for (int i = next.getAndIncrement(); i < times.length; i = next.getAndIncrement()) {
                        long a = System.nanoTime();
                        worker.get().process(pages.get(i));
                        times[i] = System.nanoTime() - a;
                    }
                    return null;
                }));
            }
            for (Future<Object> f : done) {
                f.get();
            }
            wallSeconds += (System.nanoTime() - t0) / 1e9;
            for (long n : times) {
                nanos.add(n);
            }
        }

        Row row() {
            return new Row(contender.label(), workers.get(0).device(), threads,
                    nanos.stream().mapToLong(Long::longValue).toArray(), wallSeconds);
        }

        @Override
        public void close() {
            workers.forEach(Worker::close);
            executor.shutdown();
        }
    }

    // ---------------------------------------------------------------- per step

    /** Time spent in each step, added up over images: a lap closes the step since the previous lap. */
    static final class Steps {
        static final int GRAY = 0;
        static final int EDGES = 1;
        static final int BOX = 2;
        static final int COLOUR = 3;
        static final int GRID = 4;
        static final String[] NAMES = {"gray", "edges", "box", "colour", "grid"};
        final long[] nanos = new long[NAMES.length];
        private long last;

        void start() {
            last = System.nanoTime();
        }

        void lap(int step) {
            long now = System.nanoTime();
            nanos[step] += now - last;
            last = now;
        }
    }

    /**
     * Fieldwork's analysis taken apart at its public steps, as EcgAnalysis.analyze runs them: gray
     * (kernel), edges (median, kernel Canny, close, dilate), box (contours), colour (Lab), grid.
     */
    static void fieldworkSteps(Page page, KernelSession kernels, Steps steps) {
        try (PointerScope scope = new PointerScope()) {
            EcgImage image = EcgImage.of(page.name(), page.bgr());
            steps.start();
            Mat gray = image.gray(kernels);
            steps.lap(Steps.GRAY);
            Mat edges = EdgeMethod.CANNY.edges(gray, kernels);
            steps.lap(Steps.EDGES);
            ContentBox.ofEdges(edges);
            steps.lap(Steps.BOX);
            ColorSeparation.Result separation = ColorSeparation.separate(image, ColorSeparation.Method.LAB);
            steps.lap(Steps.COLOUR);
            GridDetector.detect(separation);
            steps.lap(Steps.GRID);
        }
    }

    /** One thread, OpenCV's pool off: mean ms of each step over the pages, per contender. */
    static void printSteps(List<Page> pages, int reps, boolean openCl) {
        opencv_core.setNumThreads(1);
        System.out.printf(Locale.ROOT, "%none thread, mean ms per step over %d images (ops as above):%n", reps * pages.size());
        System.out.printf(Locale.ROOT, "%-30s%s %9s%n", "path", Arrays.stream(Steps.NAMES)
                .map(n -> String.format(Locale.ROOT, " %9s", n)).reduce("", String::concat), "total");
        Steps cv = new Steps();
        for (int r = 0; r < reps; r++) {
            pages.forEach(p -> OpenCvPeer.analyze(p.bgr(), cv));
        }
        printStepRow("opencv", cv, reps * pages.size());
        Steps java = null;
        for (KernelDevice device : openCl ? List.of(KernelDevice.JAVA, KernelDevice.OPENCL) : List.of(KernelDevice.JAVA)) {
            Steps fw = new Steps();
            try (KernelSession kernels = KernelSession.open(device)) {
                for (int r = 0; r < reps; r++) {
                    pages.forEach(p -> fieldworkSteps(p, kernels, fw));
                }
            }
            printStepRow("fieldwork " + device.optionValue(), fw, reps * pages.size());
            java = java == null ? fw : java;
        }
        double cvOwn = (Arrays.stream(cv.nanos).sum() - cv.nanos[Steps.GRID]) / 1e6 / (reps * pages.size());
        double javaOwn = (Arrays.stream(java.nanos).sum() - java.nanos[Steps.GRID]) / 1e6 / (reps * pages.size());
        System.out.printf(Locale.ROOT, "steps before the grid: opencv %.1f ms,"
                + " fieldwork java %.1f ms, %.2fx%n", cvOwn, javaOwn, javaOwn / cvOwn);
    }

    static void printStepRow(String label, Steps steps, int images) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-30s", label));
        for (long n : steps.nanos) {
            line.append(String.format(Locale.ROOT, " %9.1f", n / 1e6 / images));
        }
        System.out.println(line.append(String.format(Locale.ROOT, " %9.1f",
                Arrays.stream(steps.nanos).sum() / 1e6 / images)));
    }

    static void printTable(List<Row> rows, int pageCount, int reps, int cores) {
        System.out.printf(Locale.ROOT, "%necg per image: %dx%d, ops %s, %d pages x %d passes = %d images a row, %d cores;"
                + " only processing timed (pages decoded once); OpenCV setNumThreads(1) except where said;"
                + " OpenCV's grid step is the reference's Hough over the whole masks, Fieldwork's over masks shrunk 4x along"
                + " the lines; x opencv = time per image (from"
                + " images/s) over OpenCV's at the same thread count, > 1 slower%n", WIDTH, HEIGHT, OPS, pageCount, reps,
                pageCount * reps, cores);
        System.out.printf(Locale.ROOT, "%-30s %-42s %7s %10s %10s %9s %11s%n", "path", "device", "threads", "median ms",
                "mean ms", "images/s", "x opencv");
        for (Row r : rows) {
            Row peer = rows.stream().filter(o -> o.label().equals("opencv") && o.threads() == r.threads()).findFirst()
                    .orElseThrow();
            double ratio = peer.imagesPerSecond() / r.imagesPerSecond();
            System.out.printf(Locale.ROOT, "%-30s %-42s %7d %10.1f %10.1f %9.2f %11.2f%n", r.label(), r.device(),
                    r.threads(), r.medianMs(), r.meanMs(), r.imagesPerSecond(), ratio);
        }
        Row cv1 = find(rows, "opencv", 1);
        Row java1 = find(rows, "fieldwork java", 1);
        System.out.printf(Locale.ROOT, "goal: fieldwork java, one thread, %.2fx OpenCV's one-thread time (median %.2fx);"
                + " goal 1.5x or less: %s%n", java1.meanMs() / cv1.meanMs(), java1.medianMs() / cv1.medianMs(),
                java1.meanMs() / cv1.meanMs() <= 1.5 ? "met" : "NOT met");
    }

    static Row find(List<Row> rows, String label, int threads) {
        return rows.stream().filter(r -> r.label().equals(label) && r.threads() == threads).findFirst().orElseThrow();
    }

    // ---------------------------------------------------------------- bulk

    /**
     * Writes the bulk folder and the job's warm-up folder, then times the two in-JVM loops over the
     * files on all cores, decoding included.
     */
    static void bulk(List<Page> pages, Path work, int count, int cores) throws Exception {
        List<Path> files = writeCopies(pages, work.resolve("in"), count);
        writeCopies(pages, work.resolve("warm"), pages.size());
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        System.out.printf(Locale.ROOT, "%necg bulk: %d PNG files, %.0f MB, in %s (copies of the %d pages, each with its"
                + " own PNG text chunk, so no two files are equal; pixels as the page's)%n", count, bytes / 1e6,
                work.resolve("in"), pages.size());
        opencv_core.setNumThreads(1);
        double cv = loop(files, cores, () -> null, (w, f) -> OpenCvPeer.analyze(read(f)));
        Files.writeString(work.resolve("opencv-bulk-seconds"), String.format(Locale.ROOT, "%.3f%n", cv));
        KernelDevice device = KernelDevice.fromEnvironment();
        AtomicReference<String> ran = new AtomicReference<>();
        double fw = loop(files, cores, () -> new FieldworkWorker(device),
                (w, f) -> ran.set(process((FieldworkWorker) w, f)));
        System.out.printf(Locale.ROOT, "ecg bulk in this JVM, %d threads, decoding included: opencv imread + steps"
                + " %.1f s (%.2f images/s); fieldwork EcgAnalysis.analyze(bytes) with kernels %s (%s) %.1f s"
                + " (%.2f images/s), %.2fx OpenCV's time%n", cores, cv, count / cv, device.optionValue(), ran.get(), fw,
                count / fw, fw / cv);
    }

    static String process(FieldworkWorker w, Path f) {
        try {
            w.process(f.getFileName().toString(), Files.readAllBytes(f));
            return w.device();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A step of the bulk loop: one file through one thread's worker (null for OpenCV). */
    interface FileStep {
        void run(Worker w, Path file) throws Exception;
    }

    /** Seconds for {@code threads} threads to take every file once through {@code step}. */
    static double loop(List<Path> files, int threads, Supplier<Worker> worker, FileStep step) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Throwable> error = new AtomicReference<>();
        List<Thread> pool = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            pool.add(new Thread(() -> {
                Worker w = worker.get();
                try {
                    for (int i = next.getAndIncrement(); i < files.size() && error.get() == null; i = next.getAndIncrement()) {
                        try (PointerScope perFile = new PointerScope()) {
                            step.run(w, files.get(i));
                        }
                    }
                } catch (Throwable e) {
                    error.compareAndSet(null, e);
                } finally {
                    if (w != null) {
                        w.close();
                    }
                }
            }, "ecg-bulk-" + t));
        }
        pool.forEach(Thread::start);
        for (Thread t : pool) {
            t.join();
        }
        if (error.get() != null) {
            throw new IllegalStateException("bulk loop failed", error.get());
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** {@code count} files ecg-00000.png ... in {@code folder}: page i % 8, with a tEXt chunk naming the copy. */
    static List<Path> writeCopies(List<Page> pages, Path folder, int count) throws IOException {
        Files.createDirectories(folder);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Path f = folder.resolve(String.format(Locale.ROOT, "ecg-%05d.png", i));
            Files.write(f, withText(pages.get(i % pages.size()).png(), "Comment",
                    "fieldwork ecg bench copy " + i + " of " + pages.get(i % pages.size()).name()));
            files.add(f);
        }
        return files;
    }

    /** The PNG with a tEXt chunk inserted right after IHDR (8-byte signature + 25-byte IHDR chunk). */
    static byte[] withText(byte[] png, String keyword, String text) {
        byte[] data = (keyword + '\0' + text).getBytes(StandardCharsets.ISO_8859_1);
        byte[] type = "tEXt".getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(type);
        crc.update(data);
        int at = 8 + 25;
        byte[] out = new byte[png.length + 12 + data.length];
        System.arraycopy(png, 0, out, 0, at);
        int p = at;
        p = putInt(out, p, data.length);
        System.arraycopy(type, 0, out, p, 4);
        System.arraycopy(data, 0, out, p + 4, data.length);
        p = putInt(out, p + 4 + data.length, (int) crc.getValue());
        System.arraycopy(png, at, out, p, png.length - at);
        return out;
    }

    static int putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
        return at + 4;
    }
}
