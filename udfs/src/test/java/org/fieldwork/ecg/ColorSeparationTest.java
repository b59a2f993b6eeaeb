package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ColorSeparationTest {
    @ParameterizedTest
    @ValueSource(strings = {SharedEcg.RED_SCAN, SharedEcg.RED_RENDER, "ecg/ecg00003.png"})
    void labCallsRedGridsRed(String file) {
        EcgImage image = SharedEcg.read(file);
        ColorSeparation.Result r = ColorSeparation.separate(image, ColorSeparation.Method.LAB);
        assertEquals(GridColour.RED, r.gridColour(), file + " mean a " + r.decisionScore());
        assertEquals(image.width(), r.gridMask().cols());
        assertEquals(image.height(), r.traceImage().rows());
        assertTrue(opencv_core.countNonZero(r.gridMask()) > 0);
    }

    @Test
    void blackGridIsBlackByHsv() {
        EcgImage black = blackGridSample();
        ColorSeparation.Result r = ColorSeparation.separate(black, ColorSeparation.Method.HSV);
        assertEquals(GridColour.BLACK, r.gridColour());
        assertEquals("black", r.gridColour().label());
        // mask is V < 100: the painted grid (V = 40) and the trace
        double share = opencv_core.countNonZero(r.gridMask()) / (double) (black.width() * black.height());
        assertTrue(share > 0.1 && share < 0.3, "mask share " + share);
    }

    @Test
    void greenRenderIsBlackByLab() {
        // ecg-image-kit's green grid: mean a below 127, so the reference's black branch
        ColorSeparation.Result r = ColorSeparation.separate(
                SharedEcg.read("ecg/SampleData_GeneratedData_sel100-0.png"), ColorSeparation.Method.LAB);
        assertEquals(GridColour.BLACK, r.gridColour());
    }

    /**
     * The reference rules' blind spots, kept as they are: neutral colours have a = 128 in 8-bit Lab,
     * above the 127 threshold, so LAB calls a black grid red; white paper keeps mean(S) far under
     * 100, so HSV calls a red grid black.
     */
    @Test
    void referenceRulesMisjudgeBlackByLabAndRedByHsv() {
        assertEquals(GridColour.RED, ColorSeparation.separate(blackGridSample(), ColorSeparation.Method.LAB).gridColour());
        assertEquals(GridColour.BLACK,
                ColorSeparation.separate(SharedEcg.read(SharedEcg.RED_SCAN), ColorSeparation.Method.HSV).gridColour());
    }

    @Test
    void traceImageIsLightnessOrValue() {
        EcgImage sample = SharedEcg.read(SharedEcg.SAMPLE);
        Mat l = ColorSeparation.separate(sample, ColorSeparation.Method.LAB).traceImage();
        Mat v = ColorSeparation.separate(sample, ColorSeparation.Method.HSV).traceImage();
        assertEquals(opencv_core.CV_8UC1, l.type());
        assertEquals(opencv_core.CV_8UC1, v.type());
        // white paper: L and V both 255 at the corner pixel of a grid cell's interior
        assertEquals(255, l.ptr(10, 10).get() & 0xff);
        assertEquals(255, v.ptr(10, 10).get() & 0xff);
    }

    @Test
    void hsvRedMaskTakesBothEndsOfTheHueCircle() {
        // saturated orange paper (hue 15: red by mean S, outside the mask), a pure red line (hue 0)
        // and a crimson line (hue 175); a dark red line (V 40) stays out of the mask
        Mat paper = new Mat(60, 80, opencv_core.CV_8UC3, new Scalar(0, 128, 255, 0));
        paper.rowRange(10, 12).put(new Scalar(0, 0, 255, 0));
        paper.rowRange(30, 31).put(new Scalar(43, 0, 255, 0));
        paper.rowRange(50, 51).put(new Scalar(0, 0, 40, 0));
        ColorSeparation.Result r = ColorSeparation.separate(EcgImage.of("orange", paper), ColorSeparation.Method.HSV);
        assertEquals(GridColour.RED, r.gridColour(), "mean S " + r.decisionScore());
        assertEquals(3 * 80, opencv_core.countNonZero(r.gridMask()));
        assertEquals(80, opencv_core.countNonZero(r.gridMask().rowRange(30, 31)));
    }

    @Test
    void methodNamesParse() {
        assertEquals(ColorSeparation.Method.HSV, ColorSeparation.Method.parse("hsv"));
        assertEquals(ColorSeparation.Method.LAB, ColorSeparation.Method.parse("LAB"));
        assertThrows(IllegalArgumentException.class, () -> ColorSeparation.Method.parse("rgb"));
    }

    /** sample_ecg.png with its (blue) grid painted dark gray: a black grid with a black trace. */
    static EcgImage blackGridSample() {
        EcgImage sample = SharedEcg.read(SharedEcg.SAMPLE);
        Mat mask = ColorSeparation.separate(sample, ColorSeparation.Method.LAB).gridMask();
        return SharedEcg.paint(sample, mask, 40, 40, 40, " (grid painted black)");
    }
}
