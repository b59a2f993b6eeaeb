package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The fast multi-scale maxima against OpenCV's own matchTemplate, on the shared marker sheets and on noise. */
class MarkerScaleSearchTest {

    private static float exact(Mat image, Mat templ) {
        Mat res = new Mat();
        opencv_imgproc.matchTemplate(image, templ, res, opencv_imgproc.TM_CCOEFF_NORMED);
        double[] max = new double[1];
        org.bytedeco.opencv.global.opencv_core.minMaxLoc(res, null, max, null, null, new Mat());
        return (float) Math.max(0, max[0]);
    }

    /** Maximum |fast - matchTemplate| over the marker at OMRChecker's eleven scales. */
    static double worstDifference(Mat image, Mat marker) {
        List<Mat> templates = new ArrayList<>();
        int largest = 0;
        int smallest = Integer.MAX_VALUE;
        for (int r0 = 100; r0 > 35; r0 -= 6) {
            Mat t = GrayMats.resizeToHeight(marker, (int) (marker.rows() * r0 / 100.0));
            templates.add(t);
            largest = Math.max(largest, Math.max(t.rows(), t.cols()));
            smallest = Math.min(smallest, Math.min(t.rows(), t.cols()));
        }
        float[] fast = new MarkerScaleSearch(image, largest, smallest).maxima(templates);
        double worst = 0;
        for (int i = 0; i < templates.size(); i++) {
            float e = exact(image, templates.get(i));
            worst = Math.max(worst, Math.abs(fast[i] - e));
        }
        return worst;
    }

    @Test
    void agreesWithMatchTemplateOnTheSharedMarkerSheets() throws Exception {
        Path samples = SharedData.require("omr/samples");
        List<Path[]> cases = List.of(
                new Path[] {samples.resolve("sample5/omr_marker.jpg"), samples.resolve("sample5/ScanBatch1/camscanner-1.jpg")},
                new Path[] {samples.resolve("community/UmarFarootAPS/omr_marker.jpg"), samples.resolve("community/UmarFarootAPS/scans/scan-type-1.jpg")});
        for (Path[] c : cases) {
            try (PointerScope scope = new PointerScope()) {
                Mat marker = GrayMats.decode(Files.readAllBytes(c[0]));
                Mat sheet = GrayMats.resize(GrayMats.decode(Files.readAllBytes(c[1])), 1332, 1640);
                Mat m = GrayMats.resize(marker, 78, 78);
                double worst = worstDifference(GrayMats.normalize(sheet), m);
                assertTrue(worst < 1e-4, c[1] + ": fast maxima differ from matchTemplate by " + worst);
            }
        }
    }

    @Test
    void agreesWithMatchTemplateOnNoiseAndFlatAreas() {
        try (PointerScope scope = new PointerScope()) {
            Random r = new Random(5);
            int w = 700;
            int h = 560;
            byte[] px = new byte[w * h];
            for (int i = 0; i < px.length; i++) {
                int x = i % w;
                px[i] = (byte) (x < 200 ? 250 : r.nextInt(256)); // a flat band and noise
            }
            Mat image = GrayMats.fromPixels(px, w, h);
            Mat blurred = new Mat();
            opencv_imgproc.GaussianBlur(image, blurred, new Size(5, 5), 0);
            Mat marker = new Mat(blurred, new org.bytedeco.opencv.opencv_core.Rect(300, 200, 60, 60)).clone();
            double worst = worstDifference(blurred, marker);
            assertTrue(worst < 1e-4, "fast maxima differ from matchTemplate by " + worst);
            assertEquals(1.0, exact(blurred, marker), 1e-5, "the marker is cut from the image");
        }
    }
}
