package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.bytedeco.javacpp.indexer.UByteIndexer;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Renders the shared PTB-XL record (standard 3x4 + rhythm layout, 8 px/mm, 2 px trace), digitizes
 * it and scores it with the Challenge SNR. Floors sit about 1.5 dB under what was measured.
 */
class EcgDigitizerTest {
    static final double PX_PER_MM = 8;
    static WfdbRecord record;

    @BeforeAll
    static void load() throws Exception {
        record = WfdbRecord.read(SharedData.require("ecg/SampleData_PTB_XL_data_00001_lr.hea"));
    }

    record Outcome(SignalScore.Result score, DigitizedEcg digitized, double tracedOnInk) {
    }

    static Outcome roundTrip(EcgRenderer.Options options) {
        RenderedEcg page = EcgRenderer.render(record, EcgLayout.standard(), options);
        DigitizedEcg d;
        double onInk;
        try {
            d = EcgDigitizer.digitize(page.image(), EcgCalibration.standard(options.pxPerMm(), record.sampleRateHz()),
                    EcgLayout.standard());
            onInk = tracedOnInk(page.image(), d);
        } finally {
            page.image().close();
        }
        Map<String, double[]> labels = new LinkedHashMap<>();
        for (RenderedEcg.Panel p : page.panels()) {
            double[] kept = labels.get(p.place().lead());
            if (kept == null || kept.length < p.valuesMv().length) {
                labels.put(p.place().lead(), p.valuesMv());
            }
        }
        return new Outcome(SignalScore.score(labels, d.valuesByLead(), record.sampleRateHz()), d, onInk);
    }

    /** Fraction of traced points (mapped back to the input image) with a dark pixel within 1 px. */
    static double tracedOnInk(Mat image, DigitizedEcg d) {
        int on = 0;
        int total = 0;
        try (UByteIndexer ix = image.createIndexer()) {
            for (DigitizedEcg.Panel p : d.panels()) {
                for (int j = 0; j < p.xs().length; j++) {
                    int x = (int) Math.round(p.xs()[j]);
                    int y = (int) Math.round(p.ys()[j]);
                    boolean dark = false;
                    for (int dy = -1; dy <= 1 && !dark; dy++) {
                        for (int dx = -1; dx <= 1 && !dark; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy >= 0 && xx >= 0 && yy < image.rows() && xx < image.cols()) {
                                dark = Math.max(ix.get(yy, xx, 0), Math.max(ix.get(yy, xx, 1), ix.get(yy, xx, 2))) < 160;
                            }
                        }
                    }
                    total++;
                    on += dark ? 1 : 0;
                }
            }
        }
        return on / (double) total;
    }

    static void assertAbove(double floor, Outcome o, String what) {
        assertEquals(12, o.digitized().leads().size(), what + ": leads");
        assertTrue(o.score().snrDb() > floor, what + ": SNR " + o.score().snrDb() + " dB, floor " + floor + " dB");
    }

    @Test
    void clean() {
        Outcome o = roundTrip(EcgRenderer.Options.clean(PX_PER_MM));
        assertEquals(0, o.digitized().skewDegrees(), "clean render: no rotation");
        var rows = o.digitized().rows("page.png");
        assertEquals(12, rows.size());
        assertEquals(1000, rows.stream().filter(r -> r.lead().equals("II")).findFirst().orElseThrow().values().length);
        assertEquals(250, rows.get(0).values().length);
        assertEquals(100.0, rows.get(0).sampleRateHz());
        assertAbove(13.7, o, "clean render (measured 15.2 dB)");
    }

    @Test
    void cleanAtTwelvePxPerMm() {
        assertAbove(22.0, roundTrip(EcgRenderer.Options.clean(12)), "clean render at 12 px/mm (measured 24.0 dB)");
    }

    @Test
    void blankPageHasNoTrace() {
        Mat blank = new Mat(840, 1188, CV_8UC3, new Scalar(255, 255, 255, 0));
        EcgDigitizer.NoTraceFound e = assertThrows(EcgDigitizer.NoTraceFound.class,
                () -> EcgDigitizer.digitize(blank, EcgCalibration.standard(4, 100), EcgLayout.standard()));
        assertTrue(e.getMessage().contains("layout has 4"), e.getMessage());
    }

    @Test
    void blurred() {
        assertAbove(9.5, roundTrip(EcgRenderer.Options.clean(PX_PER_MM).withBlur(1.2)), "blur sigma 1.2 px (measured 11.1 dB)");
    }

    @Test
    void rotatedThreeDegrees() {
        Outcome o = roundTrip(EcgRenderer.Options.clean(PX_PER_MM).withRotation(3));
        assertEquals(3, o.digitized().skewDegrees(), 0.05, "rotation measured on the grid");
        assertTrue(o.tracedOnInk() > 0.97, "traced points mapped back onto the rotated page's ink (measured 1.0): " + o.tracedOnInk());
        assertAbove(13.4, o, "3 degree rotation (measured 14.9 dB)");
    }

    @Test
    void jpegQuality60() {
        assertAbove(15.6, roundTrip(EcgRenderer.Options.clean(PX_PER_MM).withJpeg(60)), "JPEG quality 60 (measured 17.1 dB)");
    }
}
