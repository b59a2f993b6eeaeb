package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Loops and channels read from metadata trees shaped as NIS-Elements shapes them. */
class Nd2ExperimentTest {

    /** One loop level: eType, uLoopPars, extra fields, and the next level inside ppNextLevelEx. */
    private static Nd2Variant loop(int type, List<Nd2Variant> pars, Nd2Variant next, Nd2Variant... extra) {
        List<Nd2Variant> fields = new ArrayList<>();
        fields.add(Nd2Variant.u32("eType", type));
        fields.add(Nd2Variant.level("uLoopPars", pars));
        fields.addAll(List.of(extra));
        fields.add(Nd2Variant.level("ppNextLevelEx", next == null ? List.of() : List.of(next)));
        return Nd2Variant.level("SLxExperiment", fields);
    }

    private static Nd2Variant item(Nd2Variant level) {
        return Nd2Variant.level("", level.children());
    }

    private static List<Nd2Variant> count(int n) {
        return List.of(Nd2Variant.u32("uiCount", n));
    }

    @Test
    void timeInPhasesCountsTheValidPhases() throws Nd2FormatException {
        Nd2Variant phases = Nd2Variant.level("pPeriod",
                Nd2Variant.level("", Nd2Variant.u32("uiCount", 5)),
                Nd2Variant.level("", Nd2Variant.u32("uiCount", 7)),
                Nd2Variant.level("", Nd2Variant.u32("uiCount", 100)));
        Nd2Variant valid = Nd2Variant.bytes("pPeriodValid", new byte[] {1, 1, 0});
        Nd2Variant exp = loop(8, List.of(Nd2Variant.u32("uiCount", 3), phases, valid), item(loop(4, count(3), null)));
        Nd2Experiment e = Nd2Experiment.from(exp, "f.nd2", "ImageMetadataLV!");
        assertEquals("T(12) Z(3)", e.describe());
        assertEquals(2L * 3 + 1, e.sequenceIndex(0, 2, 1));
    }

    @Test
    void spectralLoopsAddNoIndexAndWrappersAreSeenThrough() throws Nd2FormatException {
        // XY(2 valid of 3) > spectral > T(4); the time level sits inside an SLxExperiment wrapper,
        // and its parameters inside one list item, as version 2 files write them.
        Nd2Variant time = loop(1, List.of(Nd2Variant.level("i0000000000", count(4))), null);
        Nd2Variant spectral = loop(6, count(3), Nd2Variant.level("", time));
        Nd2Variant points = Nd2Variant.level("Points",
                Nd2Variant.level("", Nd2Variant.string("dPosName", "A1")),
                Nd2Variant.level("", Nd2Variant.string("dPosName", "A2")),
                Nd2Variant.level("", Nd2Variant.string("pPosName", "A3")));
        Nd2Variant valid = Nd2Variant.level("pItemValid", Nd2Variant.bool("", true), Nd2Variant.bool("", false),
                Nd2Variant.bool("", true));
        Nd2Variant xy = loop(2, List.of(Nd2Variant.u32("uiCount", 3), points), item(spectral), valid);
        Nd2Experiment e = Nd2Experiment.from(xy, "f.nd2", "ImageMetadata!");
        assertEquals("XY(2) T(4)", e.describe());
        Nd2Experiment.Loop positions = e.loop(Nd2Experiment.Axis.POSITION);
        assertEquals(List.of("A1", "A3"), positions.names());
        assertEquals(2, positions.points()[1], "position 1 is the third point of the list");
        assertEquals(1L * 4 + 3, e.sequenceIndex(1, 3, 0));
    }

    @Test
    void anAcquisitionStoppedEarlyKeepsTheFramesItRecorded() throws Nd2FormatException {
        Nd2Variant exp = loop(1, count(100), item(loop(2, count(3), null)));
        Nd2Experiment e = Nd2Experiment.from(exp, "f.nd2", "ImageMetadataLV!");
        assertEquals("T(100) XY(3)", e.describe());
        assertEquals("T(4) XY(3)", e.fittedTo(11).describe(), "11 frames: 3 full time points and part of a 4th");
        assertEquals("T(100) XY(3)", e.fittedTo(300).describe());
        assertEquals("T(7)", Nd2Experiment.none().fittedTo(7).describe(), "frames without loops are a time series");
        assertEquals("none", Nd2Experiment.none().fittedTo(1).describe());
    }

    @Test
    void loopsItCannotIndexAreRefused() {
        Nd2Variant custom = loop(7, count(5), null);
        Nd2FormatException e = assertThrows(Nd2FormatException.class,
                () -> Nd2Experiment.from(custom, "f.nd2", "ImageMetadataLV!"));
        assertEquals("f.nd2: unsupported experiment in chunk ImageMetadataLV!: loop type 7 with 5 items", e.getMessage());
        Nd2Variant twoTimes = loop(1, count(5), item(loop(1, count(2), null)));
        e = assertThrows(Nd2FormatException.class, () -> Nd2Experiment.from(twoTimes, "f.nd2", "ImageMetadataLV!"));
        assertTrue(e.getMessage().endsWith("two T loops"), e.getMessage());
    }

    @Test
    void channelNamesFollowThePlanes() {
        Nd2Variant rgbAndMono = Nd2Variant.level("SLxPictureMetadata",
                Nd2Variant.level("sPicturePlanes",
                        Nd2Variant.u32("uiCount", 2),
                        Nd2Variant.level("sPlaneNew",
                                Nd2Variant.level("a1", Nd2Variant.u32("uiCompCount", 1), Nd2Variant.string("sDescription", "Cy5")),
                                Nd2Variant.level("a0", Nd2Variant.u32("uiCompCount", 3), Nd2Variant.string("sDescription", "Color")))),
                Nd2Variant.f64("dCalibration", 0.5),
                Nd2Variant.bool("bCalibrated", true),
                Nd2Variant.string("wsObjectiveName", "Plan Fluor 10x Ph1 DLL"),
                Nd2Variant.f64("dObjectiveMag", -1),
                Nd2Variant.f64("dObjectiveNA", 0.3));
        Nd2PictureMetadata m = Nd2PictureMetadata.from(rgbAndMono, 4);
        assertEquals(List.of("Color 1", "Color 2", "Color 3", "Cy5"), m.channels(), "planes in key order a0, a1");
        assertEquals(0.5, m.pixelSizeUm());
        assertEquals(10.0, m.magnification(), "from the objective's name when dObjectiveMag is unset");
        assertEquals(0.3, m.numericalAperture());

        // Planes that do not add up to the components give generic names; no calibration gives NaN.
        Nd2Variant uncalibrated = Nd2Variant.level("SLxPictureMetadata",
                Nd2Variant.level("sPicturePlanes", Nd2Variant.level("sPlane",
                        Nd2Variant.level("a0", Nd2Variant.string("sDescription", "Only")))),
                Nd2Variant.f64("dCalibration", 1.0),
                Nd2Variant.bool("bCalibrated", false));
        Nd2PictureMetadata u = Nd2PictureMetadata.from(uncalibrated, 2);
        assertEquals(List.of("Channel 0", "Channel 1"), u.channels());
        assertTrue(Double.isNaN(u.pixelSizeUm()));
        assertEquals(List.of("Only"), Nd2PictureMetadata.from(uncalibrated, 1).channels());
    }
}
