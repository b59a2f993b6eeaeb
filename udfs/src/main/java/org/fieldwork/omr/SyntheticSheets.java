package org.fieldwork.omr;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

/**
 * Writes an OMRChecker-style exam folder with known answers, for the demo, tests and benchmarks:
 * {@code template.json} (a six-digit roll number and 40 five-choice questions, paper found by
 * CropPage), {@code evaluation.json} (an answer key, a quarter point off per wrong answer) and
 * sheets photographed slightly rotated on a dark desk, as JPEG. Each sheet's true answers are in
 * {@code answers.csv} beside it. Some answers are left blank, a few are marked twice. Same
 * arguments, same bytes.
 */
public final class SyntheticSheets {
    public static final int QUESTIONS = 40;
    public static final int ROLL_DIGITS = 6;
    static final int PAGE_WIDTH = 600;
    static final int PAGE_HEIGHT = 800;
    private static final String CHOICES = "ABCDE";

    private final int sheets;
    private final long seed;

    public SyntheticSheets(int sheets, long seed) {
        if (sheets < 1) {
            throw new IllegalArgumentException("need at least one sheet");
        }
        this.sheets = sheets;
        this.seed = seed;
    }

    /** One sheet's truth: file name, roll number, answers by question (q1..q40; "" blank, "AC" double). */
    public record Sheet(String fileName, String roll, Map<String, String> answers) {
    }

    static String template() {
        return """
                {
                  "pageDimensions": [600, 800],
                  "bubbleDimensions": [18, 18],
                  "preProcessors": [{"name": "CropPage", "options": {"morphKernel": [10, 10]}}],
                  "customLabels": {"Roll": ["roll1..6"]},
                  "fieldBlocks": {
                    "Roll": {"fieldType": "QTYPE_INT", "origin": [330, 60], "fieldLabels": ["roll1..6"],
                             "bubblesGap": 24, "labelsGap": 36},
                    "Left": {"fieldType": "QTYPE_MCQ5", "origin": [60, 330], "fieldLabels": ["q1..20"],
                             "bubblesGap": 30, "labelsGap": 22.5},
                    "Right": {"fieldType": "QTYPE_MCQ5", "origin": [340, 330], "fieldLabels": ["q21..40"],
                              "bubblesGap": 30, "labelsGap": 22.5}
                  }
                }
                """;
    }

    /** The answer key: question i's answer is the (i*7 mod 5)-th choice. */
    static String key(int question) {
        return String.valueOf(CHOICES.charAt(question * 7 % 5));
    }

    static String evaluation() {
        StringBuilder answers = new StringBuilder();
        for (int q = 1; q <= QUESTIONS; q++) {
            answers.append(q == 1 ? "" : ", ").append('"').append(key(q)).append('"');
        }
        return """
                {
                  "source_type": "custom",
                  "options": {"questions_in_order": ["q1..40"], "answers_in_order": [%s]},
                  "marking_schemes": {"DEFAULT": {"correct": "1", "incorrect": "-1/4", "unmarked": "0"}}
                }
                """.formatted(answers);
    }

    /**
     * The truth of a folder this generator already wrote with this many sheets (read from its
     * answers.csv, every sheet present), or null when it must be written.
     */
    public List<Sheet> truthIfWritten(Path folder) throws IOException {
        Path csv = folder.resolve("answers.csv");
        if (!Files.isRegularFile(csv) || !Files.isRegularFile(folder.resolve(OmrFolders.TEMPLATE))) {
            return null;
        }
        List<CsvCells.Row> rows = CsvCells.read(Files.readString(csv, StandardCharsets.UTF_8));
        if (rows.size() != sheets + 1) {
            return null;
        }
        List<Sheet> truth = new ArrayList<>();
        for (CsvCells.Row row : rows.subList(1, rows.size())) {
            List<String> cells = row.cells();
            if (cells.size() != 2 + QUESTIONS || !Files.isRegularFile(folder.resolve(cells.get(0)))) {
                return null;
            }
            Map<String, String> answers = new LinkedHashMap<>();
            for (int q = 1; q <= QUESTIONS; q++) {
                answers.put("q" + q, cells.get(1 + q));
            }
            truth.add(new Sheet(cells.get(0), cells.get(1), answers));
        }
        return truth;
    }

    /** Writes the exam folder; returns each sheet's truth in file-name order. */
    public List<Sheet> write(Path folder) throws IOException {
        Files.createDirectories(folder);
        Files.writeString(folder.resolve(OmrFolders.TEMPLATE), template(), StandardCharsets.UTF_8);
        Files.writeString(folder.resolve(OmrFolders.EVALUATION), evaluation(), StandardCharsets.UTF_8);
        SheetTemplate template = SheetTemplate.load(folder.resolve(OmrFolders.TEMPLATE), TuningConfig.defaults());
        Random random = new Random(seed);
        List<Sheet> truth = new ArrayList<>();
        StringBuilder csv = new StringBuilder("file,Roll");
        for (int q = 1; q <= QUESTIONS; q++) {
            csv.append(",q").append(q);
        }
        csv.append('\n');
        int digits = String.valueOf(sheets).length();
        for (int i = 0; i < sheets; i++) {
            Sheet s = randomSheet(String.format("sheet-%0" + Math.max(4, digits) + "d.jpg", i + 1), random);
            Files.write(folder.resolve(s.fileName()), render(template, s, random));
            truth.add(s);
            csv.append(s.fileName()).append(',').append(s.roll());
            s.answers().values().forEach(a -> csv.append(',').append(a));
            csv.append('\n');
        }
        Files.writeString(folder.resolve("answers.csv"), csv.toString(), StandardCharsets.UTF_8);
        return truth;
    }

    private static Sheet randomSheet(String name, Random random) {
        StringBuilder roll = new StringBuilder();
        for (int d = 0; d < ROLL_DIGITS; d++) {
            roll.append(random.nextInt(10));
        }
        Map<String, String> answers = new LinkedHashMap<>();
        for (int q = 1; q <= QUESTIONS; q++) {
            double p = random.nextDouble();
            String a;
            if (p < 0.06) {
                a = "";
            } else if (p < 0.065) {
                int x = random.nextInt(5);
                int y = (x + 1 + random.nextInt(4)) % 5;
                a = "" + CHOICES.charAt(Math.min(x, y)) + CHOICES.charAt(Math.max(x, y));
            } else if (p < 0.7) {
                a = key(q);
            } else {
                a = String.valueOf(CHOICES.charAt(random.nextInt(5)));
            }
            answers.put("q" + q, a);
        }
        return new Sheet(name, roll.toString(), answers);
    }

    /** The page at twice its template size, rotated up to 3 degrees on a dark desk, as a phone photo would be. */
    private static byte[] render(SheetTemplate t, Sheet s, Random random) {
        int scale = 2;
        int pw = t.pageWidth * scale;
        int ph = t.pageHeight * scale;
        int margin = 160;
        BufferedImage img = new BufferedImage(pw + 2 * margin, ph + 2 * margin, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(new Color(55, 55, 55));
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        AffineTransform onDesk = new AffineTransform();
        onDesk.translate(margin + random.nextInt(40) - 20, margin + random.nextInt(40) - 20);
        onDesk.rotate(Math.toRadians(random.nextDouble() * 6 - 3), pw / 2.0, ph / 2.0);
        onDesk.scale(scale, scale);
        g.transform(onDesk);
        int paper = 225 + random.nextInt(25);
        g.setColor(new Color(paper, paper, paper));
        g.fillRect(0, 0, t.pageWidth, t.pageHeight);
        g.setStroke(new BasicStroke(1.2f));
        Map<String, String> marks = new LinkedHashMap<>(s.answers());
        for (int d = 0; d < ROLL_DIGITS; d++) {
            marks.put("roll" + (d + 1), String.valueOf(s.roll().charAt(d)));
        }
        for (FieldBlock b : t.fieldBlocks) {
            for (BubbleField f : b.fields) {
                String marked = marks.getOrDefault(f.label(), "");
                for (Bubble bu : f.bubbles()) {
                    Ellipse2D.Double oval = new Ellipse2D.Double(bu.x() + 1, bu.y() + 1, b.bubbleWidth - 2, b.bubbleHeight - 2);
                    if (marked.contains(bu.value())) {
                        int pencil = 30 + random.nextInt(50);
                        g.setColor(new Color(pencil, pencil, pencil));
                        g.fill(oval);
                    } else {
                        g.setColor(new Color(140, 140, 140));
                        g.draw(oval);
                    }
                }
            }
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
