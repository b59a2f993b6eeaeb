package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_core.CV_8U;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_OPEN;
import static org.bytedeco.opencv.global.opencv_imgproc.MORPH_RECT;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_TRUNC;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_imgproc.CLAHE;
import org.fieldwork.io.ImageProbe;
import org.fieldwork.kernels.KernelSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-sheet function: image bytes in, {@link SheetResult} out. Pure and thread-safe: it reads
 * only its arguments, and every OpenCV object it makes is freed before it returns. Steps: decode as
 * gray, resize to the processing size, pre-processors, resize to the template's page size,
 * normalize, read bubbles, concatenate custom labels, score.
 */
public final class SheetProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(SheetProcessor.class);

    private SheetProcessor() {
    }

    /** Processes one sheet with no stage images. */
    public static SheetResult process(FolderConfig folder, byte[] image, String fileName) {
        return process(folder, image, fileName, fileName, 0);
    }

    /**
     * Processes one sheet. {@code inputPath} is what the CSVs print as input_path; {@code stageLevel}
     * (OMRChecker's show_image_level, 0 for none) selects which intermediate images come back as PNG.
     */
    public static SheetResult process(FolderConfig folder, byte[] image, String fileName, String inputPath,
            int stageLevel) {
        return process(folder, image, fileName, inputPath, stageLevel, false);
    }

    /**
     * As above; with {@code checkedImage} the result also carries the sheet with its bubbles drawn,
     * encoded as the file name's extension says (OMRChecker's CheckedOMRs image). The sheet's kernels
     * are a session of their own, opened with the environment's device policy.
     */
    public static SheetResult process(FolderConfig folder, byte[] image, String fileName, String inputPath,
            int stageLevel, boolean checkedImage) {
        try (KernelSession kernels = KernelSession.open()) {
            return process(folder, image, fileName, inputPath, stageLevel, checkedImage, kernels);
        }
    }

    /** As above, with the kernels of the task that runs the sheet. */
    public static SheetResult process(FolderConfig folder, byte[] image, String fileName, String inputPath,
            int stageLevel, boolean checkedImage, KernelSession kernels) {
        SheetTemplate template = folder.template;
        SheetWork stages = new SheetWork(stageLevel, kernels);
        PageRead page;
        try {
            page = readFields(template, folder.tuning, image, stages, checkedImage ? fileName : null);
        } catch (ImageProbe.UnreadableImage e) {
            LOG.warn("{}: {}", inputPath, e.getMessage());
            return SheetResult.failed(fileName, inputPath, template, e.getMessage(), stages.images(), true);
        } catch (PreprocessorFailure | IllegalArgumentException e) {
            LOG.warn("{}: {}", inputPath, e.getMessage());
            return SheetResult.failed(fileName, inputPath, template, e.getMessage(), stages.images(), false);
        } catch (RuntimeException e) {
            // An OpenCV error on a strange image is this sheet's failure, not the run's.
            String message = e.getClass().getName().startsWith("java.") ? e.toString() : org.fieldwork.io.OpenCvMessages.of(e);
            LOG.warn("{}: {}", inputPath, message);
            return SheetResult.failed(fileName, inputPath, template, message, stages.images(), false);
        }
        Map<String, String> concatenated = template.concatenate(page.values());
        SheetResult scored = score(folder, fileName, inputPath, concatenated, page.multiMarked());
        return new SheetResult(fileName, inputPath, scored.columns, scored.score, page.multiMarked(), null,
                page.reading().fields(), scored.explanation, stages.images(), page.reading().globalThreshold(), false,
                page.checkedImage(), concatenated);
    }

    /**
     * The scoring half of a sheet: output columns and, with an evaluation, score and explanation,
     * from the values read (custom labels concatenated). Runs alone when only the answer key changed.
     */
    public static SheetResult score(FolderConfig folder, String fileName, String inputPath, Map<String, String> response,
            boolean multiMarked) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (String c : folder.template.outputColumns) {
            columns.put(c, response.get(c));
        }
        Double score = null;
        List<EvaluationConfig.ExplanationRow> explanation = null;
        if (folder.evaluation != null) {
            EvaluationConfig.ScoreCard card = folder.evaluation.evaluate(response);
            score = card.score();
            explanation = card.explanation();
        }
        return new SheetResult(fileName, inputPath, columns, score, multiMarked, null, List.of(), explanation, List.of(),
                Double.NaN, false, null, response);
    }

    /** What the bubbles say, before custom labels and scoring. */
    record PageRead(BubbleReader.Reading reading, boolean multiMarked, byte[] checkedImage) {
        /** Field label -> value, template order. */
        Map<String, String> values() {
            Map<String, String> out = new LinkedHashMap<>();
            for (FieldReading f : reading.fields()) {
                out.put(f.label(), f.value());
            }
            return out;
        }
    }

    /**
     * Decodes and reads one sheet. Throws IllegalArgumentException for undecodable bytes and
     * PreprocessorFailure when a pre-processor cannot find the page or markers.
     */
    static PageRead readFields(SheetTemplate template, TuningConfig config, byte[] image, SheetWork stages) {
        return readFields(template, config, image, stages, null);
    }

    /** With {@code checkedName}, also draws the reading and encodes it in the format that name's extension says. */
    static PageRead readFields(SheetTemplate template, TuningConfig config, byte[] image, SheetWork stages,
            String checkedName) {
        try (PointerScope scope = new PointerScope()) {
            Mat gray = GrayMats.decode(image);
            stages.add(1, "input", gray);
            Mat img = GrayMats.resize(gray, config.processingWidth, config.processingHeight);
            stages.add(2, "resized to processing size", img);
            for (Preprocessor p : template.preprocessors) {
                img = p.apply(img, stages);
                stages.add(2, p.name(), img);
            }
            Mat page = GrayMats.resize(img, template.pageWidth, template.pageHeight);
            page = normalizeIfVaried(page);
            stages.add(3, "page", page);
            int[] shifts = config.autoAlign ? alignmentShifts(page, template, config, stages) : null;
            byte[] pixels = GrayMats.pixels(page);
            BubbleReader.Reading reading = new BubbleReader(config).read(pixels, page.cols(), page.rows(), template, shifts);
            boolean multi = false;
            for (FieldReading f : reading.fields()) {
                multi |= f.multiMarked();
            }
            byte[] checked = null;
            if (stages.wants(4) || checkedName != null) {
                Mat drawn = drawReading(page, template, reading, shifts);
                stages.add(4, "bubbles read", drawn);
                checked = checkedName != null ? GrayMats.encodeFor(drawn, checkedName) : null;
            }
            return new PageRead(reading, multi, checked);
        }
    }

    private static Mat normalizeIfVaried(Mat page) {
        double[] min = new double[1];
        double[] max = new double[1];
        opencv_core.minMaxLoc(page, min, max, null, null, new Mat());
        return max[0] > min[0] ? GrayMats.normalize(page) : page;
    }

    /**
     * OMRChecker's auto_align: find each block's horizontal shift by walking until the thick vertical
     * column lines detected by morphology sit on both sides of the block.
     */
    static int[] alignmentShifts(Mat page, SheetTemplate template, TuningConfig config, SheetWork stages) {
        Mat morph = page.clone();
        CLAHE clahe = opencv_imgproc.createCLAHE(5.0, new Size(8, 8));
        clahe.apply(morph, morph);
        Mat lut = new Mat(1, 256, CV_8U);
        byte[] table = new byte[256];
        double inv = 1.0 / config.gammaLow;
        for (int i = 0; i < 256; i++) {
            table[i] = (byte) (int) (Math.pow(i / 255.0, inv) * 255);
        }
        lut.data().put(table);
        Mat gamma = new Mat();
        opencv_core.LUT(morph, lut, gamma);
        Mat trunc = new Mat();
        opencv_imgproc.threshold(gamma, trunc, 220, 220, THRESH_TRUNC);
        morph = GrayMats.normalize(trunc);
        stages.add(3, "auto-align morphology", morph);

        Mat vKernel = opencv_imgproc.getStructuringElement(MORPH_RECT, new Size(2, 10));
        Mat opened = new Mat();
        opencv_imgproc.morphologyEx(morph, opened, MORPH_OPEN, vKernel, new Point(-1, -1), 3, BORDER_CONSTANT,
                opencv_imgproc.morphologyDefaultBorderValue());
        Mat t2 = new Mat();
        opencv_imgproc.threshold(opened, t2, 200, 200, THRESH_TRUNC);
        Mat inverted = new Mat();
        opencv_core.bitwise_not(GrayMats.normalize(t2), inverted);
        Mat binary = new Mat();
        opencv_imgproc.threshold(inverted, binary, 60, 255, THRESH_BINARY);
        Mat morphV = new Mat();
        opencv_imgproc.erode(binary, morphV, Mat.ones(5, 5, CV_8U).asMat(), new Point(-1, -1), 2, BORDER_CONSTANT,
                opencv_imgproc.morphologyDefaultBorderValue());
        stages.add(3, "auto-align vertical lines", morphV);

        byte[] px = GrayMats.pixels(morphV);
        int w = morphV.cols();
        int h = morphV.rows();
        int[] shifts = new int[template.fieldBlocks.size()];
        int thk = config.thickness;
        int matchCol = config.matchCol;
        for (int b = 0; b < shifts.length; b++) {
            FieldBlock block = template.fieldBlocks.get(b);
            int s0 = (int) block.originX;
            int s1 = (int) block.originY;
            int d0 = block.width;
            int d1 = block.height;
            int shift = 0;
            for (int steps = 0; steps < config.maxSteps; steps++) {
                double left = sliceMean(px, w, h, s1, s1 + d1, s0 + shift - thk, -thk + s0 + shift + matchCol);
                double right = sliceMean(px, w, h, s1, s1 + d1, s0 + shift - matchCol + d0 + thk, thk + s0 + shift + d0);
                boolean leftShift = left > 100;
                boolean rightShift = right > 100;
                if (leftShift) {
                    if (rightShift) {
                        break;
                    }
                    shift -= config.stride;
                } else {
                    if (!rightShift) {
                        break;
                    }
                    shift += config.stride;
                }
            }
            shifts[b] = shift;
        }
        return shifts;
    }

    /** np.mean(img[r0:r1, c0:c1]) with numpy's slice rules; NaN for an empty slice. */
    private static double sliceMean(byte[] px, int w, int h, int r0, int r1, int c0, int c1) {
        r0 = sliceBound(r0, h);
        r1 = sliceBound(r1, h);
        c0 = sliceBound(c0, w);
        c1 = sliceBound(c1, w);
        if (r1 <= r0 || c1 <= c0) {
            return Double.NaN;
        }
        long sum = 0;
        for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) {
                sum += px[r * w + c] & 0xff;
            }
        }
        return (double) sum / ((long) (r1 - r0) * (c1 - c0));
    }

    private static int sliceBound(int v, int size) {
        if (v < 0) {
            v = Math.max(0, v + size);
        }
        return Math.min(v, size);
    }

    private static Mat drawReading(Mat page, SheetTemplate template, BubbleReader.Reading reading, int[] shifts) {
        Mat out = page.clone();
        int i = 0;
        for (int b = 0; b < template.fieldBlocks.size(); b++) {
            FieldBlock block = template.fieldBlocks.get(b);
            int shift = shifts == null ? 0 : shifts[b];
            for (BubbleField f : block.fields) {
                FieldReading fr = reading.fields().get(i++);
                for (int k = 0; k < f.bubbles().size(); k++) {
                    Bubble bu = f.bubbles().get(k);
                    Point p1 = new Point(bu.x() + shift, bu.y());
                    Point p2 = new Point(bu.x() + shift + block.bubbleWidth, bu.y() + block.bubbleHeight);
                    if (fr.marked()[k]) {
                        opencv_imgproc.rectangle(out, p1, p2, new Scalar(40), -1, opencv_imgproc.LINE_8, 0);
                    } else {
                        opencv_imgproc.rectangle(out, p1, p2, new Scalar(130), 1, opencv_imgproc.LINE_8, 0);
                    }
                }
            }
        }
        return out;
    }
}
