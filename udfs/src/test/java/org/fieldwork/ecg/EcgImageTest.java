package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

class EcgImageTest {
    @Test
    void undecodableFileIsNamedInTheError() {
        Path header = SharedData.require("ecg/SampleData_GeneratedData_sel100.hea");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> EcgImage.read(header));
        assertTrue(e.getMessage().contains("SampleData_GeneratedData_sel100.hea"), e.getMessage());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> EcgImage.read(Path.of("no-such-ecg.png")));
        assertTrue(missing.getMessage().contains("no-such-ecg.png"), missing.getMessage());
    }

    @Test
    void grayAndBgraBecomeBgrAndOtherDepthsAreRefused() {
        EcgImage gray = EcgImage.of("gray", new Mat(4, 5, opencv_core.CV_8UC1, new Scalar(7)));
        assertEquals(3, gray.bgr().channels());
        assertEquals(5, gray.width());
        EcgImage bgra = EcgImage.of("bgra", new Mat(4, 5, opencv_core.CV_8UC4, new Scalar(1, 2, 3, 4)));
        assertEquals(3, bgra.bgr().channels());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EcgImage.of("floats.tif", new Mat(4, 5, opencv_core.CV_32FC1)));
        assertTrue(e.getMessage().contains("floats.tif"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EcgImage.of("empty", new Mat()));
    }

    @Test
    void grayHistogramMedianAndSpreadFollowNumpy() {
        Mat m = new Mat(1, 4, opencv_core.CV_8UC1);
        byte[] px = {10, 20, 30, (byte) 200};
        m.data().put(px);
        GrayHistogram h = GrayHistogram.of(m);
        assertEquals(25.0, h.median(), 1e-12);
        // counts: four bins hold 1, 252 hold 0; mean 1/64
        double mean = 4 / 256.0;
        double expected = Math.sqrt((4 * (1 - mean) * (1 - mean) + 252 * mean * mean) / 256);
        assertEquals(expected, h.countsStd(), 1e-12);
    }
}
