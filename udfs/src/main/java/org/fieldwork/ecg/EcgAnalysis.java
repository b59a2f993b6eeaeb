package org.fieldwork.ecg;

import java.util.LinkedHashMap;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.io.ImageCodec;
import org.fieldwork.kernels.KernelSession;

/**
 * The ECG processing functions put together for one image, in one place for the bulk job, the SQL
 * functions and the service: the gray image is computed once, the edge map feeds the content box,
 * the colour separation feeds the grid, and the grid feeds the quality gates and digitization.
 */
public final class EcgAnalysis {
    /** Names of the pictures {@link EcgOptions#images} asks for. */
    public static final String EDGES = "edges";
    public static final String CROP = "crop";
    public static final String TRACE = "trace";
    public static final String GRID = "grid";

    private EcgAnalysis() {
    }

    /** Decodes an encoded image (see {@link EcgImage#decode}) and analyses it. */
    public static EcgResult analyze(String name, byte[] encoded, EcgOptions options, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            return analyze(EcgImage.decode(name, encoded), options, kernels);
        }
    }

    /**
     * Runs the asked ops and those they need. Digitization that finds no grid scale or no trace
     * throws, naming the image: an image asked to be digitized and not digitized has failed.
     */
    public static EcgResult analyze(EcgImage image, EcgOptions options, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            long kernelRuns = kernels.report().totalRuns();
            Map<String, byte[]> images = new LinkedHashMap<>();
            Mat gray = options.runs(EcgOp.EDGES) || options.runs(EcgOp.QUALITY) ? image.gray(kernels) : null;
            ContentBox box = null;
            if (options.runs(EcgOp.EDGES)) {
                Mat edges = options.method().edges(gray, kernels);
                if (options.images() && options.ops().contains(EcgOp.EDGES)) {
                    images.put(EDGES, png(edges));
                }
                if (options.runs(EcgOp.CROP)) {
                    box = ContentBox.ofEdges(edges);
                    if (options.images()) {
                        images.put(CROP, png(box.crop(image, options.padding())));
                    }
                }
            }
            ColorSeparation.Result separation = null;
            Grid grid = null;
            if (options.runs(EcgOp.COLOR)) {
                separation = ColorSeparation.separate(image, options.colorMethod());
                if (options.images() && options.ops().contains(EcgOp.COLOR)) {
                    images.put(TRACE, png(separation.traceImage()));
                    images.put(GRID, png(separation.gridMask()));
                }
                if (options.runs(EcgOp.GRID)) {
                    grid = GridDetector.detect(separation);
                }
            }
            QualityReport quality = options.runs(EcgOp.QUALITY) ? QualityGates.check(image, gray, grid, kernels) : null;
            DigitizedEcg digitized = options.runs(EcgOp.DIGITIZE) ? digitize(image, grid, options) : null;
            return new EcgResult(image.name(), image.width(), image.height(), box,
                    separation == null ? null : separation.method(), separation == null ? null : separation.gridColour(),
                    grid, quality, digitized, kernels.report().totalRuns() > kernelRuns ? kernels.lastDevice() : null,
                    images);
        }
    }

    private static DigitizedEcg digitize(EcgImage image, Grid grid, EcgOptions options) {
        if (!(grid.pxPerMm() > 0)) {
            throw image.failure("cannot digitize: no grid spacing found to calibrate time and voltage ("
                    + grid.lineCount() + " grid lines)");
        }
        try {
            return EcgDigitizer.digitize(image.bgr(), EcgCalibration.standard(grid.pxPerMm(), options.sampleRateHz()),
                    EcgLayout.standard());
        } catch (EcgDigitizer.NoTraceFound e) {
            throw image.failure("cannot digitize: " + e.getMessage());
        }
    }

    /** PNG bytes of an 8-bit matrix (gray or BGR). */
    public static byte[] png(Mat m) {
        return ImageCodec.encode(m, ".png");
    }

}
