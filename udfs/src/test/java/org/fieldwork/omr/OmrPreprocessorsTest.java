package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import javax.imageio.ImageIO;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pre-processors that the shared samples do not use, on synthetic sheets. */
class OmrPreprocessorsTest {
    @TempDir
    Path dir;

    private static final Map<String, Set<String>> MARKS = Map.of("q1", Set.of("B"), "q2", Set.of("E"), "q3", Set.of("A"),
            "q4", Set.of("C"), "q5", Set.of("D"));

    private FolderConfig withPreprocessors(String sub, String preprocessors) {
        OmrTestFolders.write(dir, sub + "/template.json",
                OmrTestFolders.TEMPLATE.replace("\"preProcessors\": []", "\"preProcessors\": " + preprocessors));
        return FolderConfig.load(dir, dir.resolve(sub));
    }

    @Test
    void levelsLookupTable() {
        FolderConfig f = withPreprocessors("levels", "[{\"name\": \"Levels\", \"options\": {\"low\": 0.2, \"high\": 0.8, \"gamma\": 1.0}}]");
        Preprocessor levels = f.template.preprocessors.get(0);
        byte[] ramp = new byte[256];
        for (int i = 0; i < 256; i++) {
            ramp[i] = (byte) i;
        }
        try (PointerScope scope = new PointerScope()) {
            byte[] out = GrayMats.pixels(levels.apply(GrayMats.fromPixels(ramp, 256, 1), new SheetWork(0, null)));
            assertEquals(0, out[51] & 0xff); // int(255 * 0.2) = 51 and below: black
            assertEquals(255, out[204] & 0xff); // int(255 * 0.8) = 204 and above: white
            assertEquals(126, out[127] & 0xff); // (127-51)/(204-51)*255 = 126.67, truncated
        }
    }

    @Test
    void blursAndLevelsKeepTheAnswers() {
        FolderConfig f = withPreprocessors("blur", "[{\"name\": \"GaussianBlur\", \"options\": {\"kSize\": [5, 5], \"sigmaX\": 1}},"
                + " {\"name\": \"MedianBlur\", \"options\": {\"kSize\": 3}},"
                + " {\"name\": \"Levels\", \"options\": {\"low\": 0.1, \"high\": 0.95, \"gamma\": 0.8}}]");
        SheetResult r = SheetProcessor.process(f, OmrTestFolders.sheet(f.template, MARKS, "png"), "s.png");
        assertNull(r.error);
        assertEquals(List.of("B", "E", "A", "C", "D"), r.values());
    }

    /** The template's bubbles plus fixed-seed "print" (boxes and bars) that gives ORB corners to find. */
    private static BufferedImage form(SheetTemplate t, Map<String, Set<String>> marks) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(OmrTestFolders.sheet(t, marks, "png")));
        Graphics2D g = img.createGraphics();
        Random rnd = new Random(7);
        g.setColor(Color.BLACK);
        for (int i = 0; i < 60; i++) {
            int x = rnd.nextInt(t.pageWidth - 20);
            int y = rnd.nextBoolean() ? rnd.nextInt(50) : 330 + rnd.nextInt(60);
            g.fillRect(x, y, 3 + rnd.nextInt(12), 3 + rnd.nextInt(8));
        }
        g.dispose();
        return img;
    }

    private static byte[] png(BufferedImage img) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void featureBasedAlignmentUndoesAShiftAndTurn() throws Exception {
        SheetTemplate plain = SheetTemplate.load(OmrTestFolders.write(dir, "t/template.json", OmrTestFolders.TEMPLATE),
                TuningConfig.defaults());
        OmrTestFolders.write(dir, "fba/reference.png", png(form(plain, Map.of())));
        FolderConfig f = withPreprocessors("fba", "[{\"name\": \"FeatureBasedAlignment\", \"options\": "
                + "{\"reference\": \"reference.png\", \"maxFeatures\": 1000, \"goodMatchPercent\": 0.3}}]");
        BufferedImage marked = form(plain, MARKS);
        BufferedImage moved = new BufferedImage(marked.getWidth(), marked.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = moved.createGraphics();
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, moved.getWidth(), moved.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        AffineTransform at = new AffineTransform();
        at.translate(14, -9);
        at.rotate(Math.toRadians(2.5), 150, 200);
        g.drawImage(marked, at, null);
        g.dispose();
        byte[] movedPng = png(moved);

        FolderConfig none = FolderConfig.load(dir, dir.resolve("t"));
        assertNotEquals(List.of("B", "E", "A", "C", "D"), SheetProcessor.process(none, movedPng, "m.png").values(),
                "the shift must matter, or this test proves nothing");
        SheetResult r = SheetProcessor.process(f, movedPng, "m.png");
        assertNull(r.error);
        assertEquals(List.of("B", "E", "A", "C", "D"), r.values());
        // The reference image beside the template is not a sheet.
        assertEquals(0, OmrFolders.folder(dir, dir.resolve("fba")).images().size());
        try (PointerScope scope = new PointerScope()) {
            Mat m = GrayMats.decode(movedPng);
            assertEquals(300, m.cols());
        }
    }
}
