package org.fieldwork.omr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

/** Builds small OMR folders in a temp dir: JSON files and synthetic sheets with known marks. */
final class OmrTestFolders {
    private OmrTestFolders() {
    }

    /** A 300x400 page with one QTYPE_MCQ5 block of five questions, no pre-processors. */
    static final String TEMPLATE = """
            {
              "pageDimensions": [300, 400],
              "bubbleDimensions": [25, 25],
              "preProcessors": [],
              "fieldBlocks": {
                "MCQ_Block_1": {
                  "fieldType": "QTYPE_MCQ5",
                  "origin": [65, 60],
                  "fieldLabels": ["q1..5"],
                  "labelsGap": 52,
                  "bubblesGap": 41
                }
              }
            }
            """;

    static Path write(Path dir, String name, String text) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.write(p, bytes);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Draws the template's bubbles at page size on white paper: every bubble outlined, the bubbles
     * named in {@code marks} (label -> values) filled dark. Encoded as PNG or JPEG.
     */
    static byte[] sheet(SheetTemplate t, Map<String, Set<String>> marks, String format) {
        BufferedImage img = new BufferedImage(t.pageWidth, t.pageHeight, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setColor(new Color(235, 235, 235));
        g.fillRect(0, 0, t.pageWidth, t.pageHeight);
        for (FieldBlock b : t.fieldBlocks) {
            for (BubbleField f : b.fields) {
                for (Bubble bu : f.bubbles()) {
                    boolean marked = marks.getOrDefault(f.label(), Set.of()).contains(bu.value());
                    if (marked) {
                        g.setColor(new Color(40, 40, 40));
                        g.fillOval(bu.x() + 1, bu.y() + 1, b.bubbleWidth - 2, b.bubbleHeight - 2);
                    } else {
                        g.setColor(new Color(120, 120, 120));
                        g.drawOval(bu.x() + 2, bu.y() + 2, b.bubbleWidth - 4, b.bubbleHeight - 4);
                    }
                }
            }
        }
        // A dark pixel in one corner so the page is never uniform.
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, 2, 2);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
