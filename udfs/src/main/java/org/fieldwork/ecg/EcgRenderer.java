package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_32SC2;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;
import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_COLOR;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMWRITE_JPEG_QUALITY;
import static org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT;
import static org.bytedeco.opencv.global.opencv_imgproc.FONT_HERSHEY_SIMPLEX;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_8;
import static org.bytedeco.opencv.global.opencv_imgproc.LINE_AA;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Point2f;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.bytedeco.opencv.opencv_core.Size;

/**
 * Draws a WFDB record as a printed ECG: a red millimetre grid (fine lines every 1 mm, bold every
 * 5 mm) on an A4 landscape page, the layout's panels as black antialiased polylines at 25 mm/s and
 * 10 mm/mV, lead names above each panel; then optionally rotation, Gaussian blur and a JPEG round
 * trip. The page is an OpenCV {@link Mat} (BGR), because the digitizer works on Mats and OpenCV's
 * drawing takes sub-pixel coordinates and encodes JPEG at a chosen quality.
 */
public final class EcgRenderer {
    /** Page size and where the panels sit, in mm. */
    static final double PAGE_WIDTH_MM = 297;
    static final double PAGE_HEIGHT_MM = 210;
    static final double LEFT_MM = 23.5;
    static final double FIRST_BASELINE_MM = 45;
    static final double ROW_PITCH_MM = 40;
    private static final int SHIFT = 4;

    /** Rendering choices; a {@code jpegQuality} of 0 keeps the page lossless. */
    public record Options(double pxPerMm, int traceThicknessPx, double blurSigmaPx, double rotationDegrees,
            int jpegQuality, boolean leadNames) {
        public static Options clean(double pxPerMm) {
            return new Options(pxPerMm, 2, 0, 0, 0, true);
        }

        public Options withBlur(double sigma) {
            return new Options(pxPerMm, traceThicknessPx, sigma, rotationDegrees, jpegQuality, leadNames);
        }

        public Options withRotation(double degrees) {
            return new Options(pxPerMm, traceThicknessPx, blurSigmaPx, degrees, jpegQuality, leadNames);
        }

        public Options withJpeg(int quality) {
            return new Options(pxPerMm, traceThicknessPx, blurSigmaPx, rotationDegrees, quality, leadNames);
        }
    }

    private EcgRenderer() {
    }

    /** Renders {@code record} in {@code layout}; the caller owns (and closes) the returned image. */
    public static RenderedEcg render(WfdbRecord record, EcgLayout layout, Options options) {
        double pxmm = options.pxPerMm();
        int width = (int) Math.round(PAGE_WIDTH_MM * pxmm);
        int height = (int) Math.round(PAGE_HEIGHT_MM * pxmm);
        Mat page = new Mat(height, width, CV_8UC3, new Scalar(255, 255, 255, 0));
        drawGrid(page, pxmm);
        double fs = record.sampleRateHz();
        double pxPerSample = pxmm * 25 / fs;
        List<RenderedEcg.Panel> panels = new ArrayList<>();
        for (EcgLayout.Panel place : layout.panels()) {
            double[] lead = record.lead(place.lead());
            int first = (int) Math.round(place.startSeconds() * fs);
            int count = Math.min((int) Math.round(place.seconds() * fs), lead.length - first);
            double[] values = java.util.Arrays.copyOfRange(lead, first, first + count);
            double x0 = (LEFT_MM + place.startSeconds() * 25) * pxmm;
            double baseline = (FIRST_BASELINE_MM + place.row() * ROW_PITCH_MM) * pxmm;
            int[] xy = new int[2 * count];
            for (int i = 0; i < count; i++) {
                xy[2 * i] = (int) Math.round((x0 + i * pxPerSample) * (1 << SHIFT));
                xy[2 * i + 1] = (int) Math.round((baseline - values[i] * 10 * pxmm) * (1 << SHIFT));
            }
            Mat pts = new Mat(count, 1, CV_32SC2);
            new IntPointer(pts.data()).put(xy);
            opencv_imgproc.polylines(page, new MatVector(pts), false, new Scalar(0, 0, 0, 0),
                    options.traceThicknessPx(), LINE_AA, SHIFT);
            if (options.leadNames()) {
                double scale = 3 * pxmm / 22;
                opencv_imgproc.putText(page, place.lead(), new Point((int) Math.round(x0 + 2 * pxmm),
                        (int) Math.round(baseline - 9 * pxmm)), FONT_HERSHEY_SIMPLEX, scale, new Scalar(0, 0, 0, 0),
                        Math.max(1, (int) Math.round(pxmm / 5)), LINE_AA, false);
            }
            panels.add(new RenderedEcg.Panel(place, first, x0, x0 + (count - 1) * pxPerSample, baseline, values));
        }
        Mat out = page;
        if (options.rotationDegrees() != 0) {
            Mat m = opencv_imgproc.getRotationMatrix2D(new Point2f(width / 2f, height / 2f), options.rotationDegrees(), 1);
            Mat rotated = new Mat();
            opencv_imgproc.warpAffine(out, rotated, m, new Size(width, height), INTER_LINEAR, BORDER_CONSTANT,
                    new Scalar(255, 255, 255, 0));
            out = rotated;
        }
        if (options.blurSigmaPx() > 0) {
            Mat blurred = new Mat();
            opencv_imgproc.GaussianBlur(out, blurred, new Size(0, 0), options.blurSigmaPx());
            out = blurred;
        }
        if (options.jpegQuality() > 0) {
            BytePointer buf = new BytePointer();
            if (!opencv_imgcodecs.imencode(".jpg", out, buf, new IntPointer(IMWRITE_JPEG_QUALITY, options.jpegQuality()))) {
                throw new IllegalStateException("JPEG encoding of the rendered ECG failed");
            }
            out = opencv_imgcodecs.imdecode(new Mat(1, (int) buf.limit(), CV_8UC1, buf), IMREAD_COLOR);
        }
        return new RenderedEcg(out, pxmm, List.copyOf(panels));
    }

    /** Fine red lines every millimetre, bold darker ones every 5 mm, from the page's top-left corner. */
    private static void drawGrid(Mat page, double pxmm) {
        Scalar fine = new Scalar(190, 190, 255, 0);
        Scalar bold = new Scalar(110, 110, 235, 0);
        int boldThickness = pxmm >= 6 ? 2 : 1;
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k * pxmm < page.cols(); k++) {
                boolean isBold = k % 5 == 0;
                if (isBold != (pass == 1)) {
                    continue;
                }
                int x = (int) Math.round(k * pxmm);
                opencv_imgproc.line(page, new Point(x, 0), new Point(x, page.rows() - 1), isBold ? bold : fine,
                        isBold ? boldThickness : 1, LINE_8, 0);
            }
            for (int k = 0; k * pxmm < page.rows(); k++) {
                boolean isBold = k % 5 == 0;
                if (isBold != (pass == 1)) {
                    continue;
                }
                int y = (int) Math.round(k * pxmm);
                opencv_imgproc.line(page, new Point(0, y), new Point(page.cols() - 1, y), isBold ? bold : fine,
                        isBold ? boldThickness : 1, LINE_8, 0);
            }
        }
    }
}
