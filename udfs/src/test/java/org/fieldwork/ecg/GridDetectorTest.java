package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class GridDetectorTest {
    /**
     * The Hough transform over masks shrunk along the lines finds the scale the reference's transform
     * over the whole masks finds, within 1%, on every shared page whose grid the reference finds at a
     * plausible scale (ecg00003's 1.26 px/mm is the reference's own misreading of that scan).
     */
    @Test
    void shrunkMasksGiveTheReferenceScale() throws Exception {
        int compared = 0;
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(
                org.fieldwork.testing.SharedData.require("ecg"))) {
            for (java.nio.file.Path f : files.filter(p -> p.toString().matches(".*\\.(png|jpg)")).sorted().toList()) {
                org.bytedeco.opencv.opencv_core.Mat mask = ColorSeparation.separate(EcgImage.read(f),
                        ColorSeparation.Method.LAB).gridMask();
                Grid reference = GridDetector.detectAtFullResolution(mask);
                Grid shrunk = GridDetector.detect(mask);
                if (Double.isNaN(reference.pxPerMm())) {
                    assertTrue(Double.isNaN(shrunk.pxPerMm()), f + ": " + shrunk);
                } else if (reference.pxPerMm() >= 2) {
                    assertEquals(reference.pxPerMm(), shrunk.pxPerMm(), 0.01 * reference.pxPerMm(),
                            f + ": " + shrunk + " vs " + reference);
                    assertEquals(reference.horizontalLines() + reference.verticalLines(),
                            shrunk.horizontalLines() + shrunk.verticalLines(), 0.05 * reference.lineCount() + 2, f.toString());
                }
                compared++;
            }
        }
        assertTrue(compared >= 10, compared + " pages");
    }

    @Test
    void sampleGridIsTwentyPixelsFineAndHundredBold() {
        EcgImage sample = SharedEcg.read(SharedEcg.SAMPLE);
        Grid grid = GridDetector.detect(ColorSeparation.separate(sample, ColorSeparation.Method.LAB));
        assertEquals(20.0, grid.fineSpacingPx(), 0.5, grid.toString());
        assertEquals(100.0, grid.boldSpacingPx(), 0.5, grid.toString());
        assertEquals(Grid.Basis.BOLD, grid.basis());
        assertEquals(20.0, grid.pxPerMm(), 0.1);
        // 600 rows / 20 and 800 columns / 20, less the lines at the very edge that are cut off
        assertTrue(grid.horizontalLines() >= 27 && grid.horizontalLines() <= 31, grid.toString());
        assertTrue(grid.verticalLines() >= 37 && grid.verticalLines() <= 41, grid.toString());
        assertTrue(grid.boldHorizontalLines() >= 5 && grid.boldVerticalLines() >= 7, grid.toString());
    }

    @Test
    void blackGridVersionOfTheSampleMeasuresTheSame() {
        EcgImage sample = SharedEcg.read(SharedEcg.SAMPLE);
        ColorSeparation.Result lab = ColorSeparation.separate(sample, ColorSeparation.Method.LAB);
        EcgImage black = SharedEcg.paint(sample, lab.gridMask(), 40, 40, 40, " (grid painted black)");
        ColorSeparation.Result hsv = ColorSeparation.separate(black, ColorSeparation.Method.HSV);
        assertEquals(GridColour.BLACK, hsv.gridColour());
        Grid grid = GridDetector.detect(hsv);
        assertEquals(20.0, grid.fineSpacingPx(), 0.5, grid.toString());
        assertEquals(100.0, grid.boldSpacingPx(), 0.5, grid.toString());
    }

    @Test
    void renderAtTwoHundredDpiGivesItsScale() {
        // 2200 px across 11 in: 200 dpi, 7.87 px per mm
        Grid grid = GridDetector.detect(
                ColorSeparation.separate(SharedEcg.read(SharedEcg.RED_RENDER), ColorSeparation.Method.LAB));
        assertEquals(200 / 25.4, grid.pxPerMm(), 0.2, grid.toString());
    }

    @Test
    void spacingIgnoresMissedLinesAndMergesThickOnes() {
        double[] withThickLine = GridDetector.merge(List.of(10.0, 30.0, 49.0, 50.0, 51.0, 70.0, 130.0));
        assertEquals(5, withThickLine.length);
        assertEquals(50.0, withThickLine[2], 1e-9);
        // the 60 px gap (two missed lines) is dropped
        assertEquals(20.0, GridDetector.spacing(withThickLine, new double[0]), 1e-9);
        assertTrue(Double.isNaN(GridDetector.spacing(new double[] {5}, new double[0])));
        assertTrue(Double.isNaN(GridDetector.spacing(new double[] {5, 905}, new double[0])));
    }

    @Test
    void scaleKeepsTheFractionOfAPixelTheMedianRoundsAway() {
        // lines 7.5 px apart drawn on whole pixels: gaps 7, 8, 7, 8, ...; one missed line (gap 15)
        double[] lines = {0, 7, 15, 22, 30, 37, 45, 60, 67, 75};
        double median = GridDetector.spacing(lines, new double[0]);
        assertEquals(7.5, GridDetector.meanGapNear(median, lines, new double[0]), 1e-9);
    }
}
