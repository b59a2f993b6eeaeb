package org.fieldwork.microscopy;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The pictures a user looks at before reading numbers: the cell outlines drawn over a phase-contrast
 * frame, and each good cell's intensity over time.
 */
public final class FovPictures {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private FovPictures() {
    }

    /**
     * The frame, contrast-stretched between its 0.5th and 99.5th percentiles, at most 1024 px wide,
     * with the outline of every cell of the mask in yellow and tracked cells' ids in cyan.
     *
     * @param labelsToIds per label of the mask's regions, the cell id to print (0: none)
     */
    public static byte[] overlay(float[] frame, byte[] mask, int width, int height, int[] labelsToIds) throws IOException {
        int step = Math.max(1, (Math.max(width, height) + 1023) / 1024);
        int w = width / step;
        int h = height / step;
        // Percentiles from a grid of at most about 65,000 pixels.
        int sampleStep = Math.max(step, (int) Math.sqrt((double) width * height / 65536));
        float[] sorted = new float[(width / sampleStep + 1) * (height / sampleStep + 1)];
        int n = 0;
        for (int y = 0; y < height; y += sampleStep) {
            for (int x = 0; x < width; x += sampleStep) {
                sorted[n++] = frame[y * width + x];
            }
        }
        java.util.Arrays.sort(sorted, 0, n);
        float lo = sorted[(int) (0.005 * (n - 1))];
        float hi = sorted[(int) (0.995 * (n - 1))];
        float span = hi > lo ? hi - lo : 1;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgbs = ((java.awt.image.DataBufferInt) img.getRaster().getDataBuffer()).getData();
        int outline = 0xFFD700;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int sx = x * step;
                int sy = y * step;
                int i = sy * width + sx;
                int rgb;
                if (mask[i] != 0 && isEdge(mask, sx, sy, width, height, step)) {
                    rgb = outline;
                } else {
                    int g = (int) Math.max(0, Math.min(255, (frame[i] - lo) / span * 255));
                    rgb = g << 16 | g << 8 | g;
                }
                rgbs[y * w + x] = rgb;
            }
        }
        if (labelsToIds != null) {
            CellRegions regions = CellRegions.of(mask, width, height);
            Graphics2D g = img.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
            g.setColor(Color.CYAN);
            for (int l = 1; l <= regions.count() && l < labelsToIds.length; l++) {
                if (labelsToIds[l] > 0) {
                    g.drawString(Integer.toString(labelsToIds[l]), (int) (regions.centroidX(l) / step) - 4,
                            (int) (regions.centroidY(l) / step) + 4);
                }
            }
            g.dispose();
        }
        return png(img);
    }

    private static boolean isEdge(byte[] mask, int x, int y, int width, int height, int step) {
        int r = step;
        return x - r < 0 || y - r < 0 || x + r >= width || y + r >= height
                || mask[y * width + x - r] == 0 || mask[y * width + x + r] == 0
                || mask[(y - r) * width + x] == 0 || mask[(y + r) * width + x] == 0;
    }

    /** Each good cell's mean intensity over time (frames where it is good), one line per cell. */
    public static byte[] tracePlot(String title, List<TraceRow> rows, int channel, double[] frameTimes) throws IOException {
        Map<Integer, List<TraceRow>> cells = new LinkedHashMap<>();
        for (TraceRow r : rows) {
            if (r.good()) {
                cells.computeIfAbsent(r.cellId(), k -> new ArrayList<>()).add(r);
            }
        }
        boolean minutes = frameTimes.length > 0;
        double xMin = Double.POSITIVE_INFINITY, xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY, yMax = Double.NEGATIVE_INFINITY;
        for (List<TraceRow> c : cells.values()) {
            for (TraceRow r : c) {
                double x = xOf(r, frameTimes);
                double v = r.intensityMean(channel);
                if (Double.isFinite(v)) {
                    xMin = Math.min(xMin, x);
                    xMax = Math.max(xMax, x);
                    yMin = Math.min(yMin, v);
                    yMax = Math.max(yMax, v);
                }
            }
        }
        int w = 900, h = 500, left = 80, right = 20, top = 40, bottom = 50;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(title + " (" + cells.size() + " good cells)", left, 24);
        g.drawRect(left, top, w - left - right, h - top - bottom);
        g.drawString(minutes ? "time (min)" : "frame", w / 2 - 30, h - 12);
        if (cells.isEmpty() || !Double.isFinite(xMin)) {
            g.drawString("no good cell", w / 2 - 40, h / 2);
            g.dispose();
            return png(img);
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (yMax == yMin) {
            yMax = yMin + 1;
        }
        double pad = (yMax - yMin) * 0.05;
        yMin -= pad;
        yMax += pad;
        g.drawString(String.format("%.4g", yMax), 4, top + 10);
        g.drawString(String.format("%.4g", yMin), 4, h - bottom);
        g.drawString(String.format("%.4g", xMin), left, h - bottom + 16);
        g.drawString(String.format("%.4g", xMax), w - right - 50, h - bottom + 16);
        g.setStroke(new BasicStroke(1.2f));
        int k = 0;
        for (List<TraceRow> c : cells.values()) {
            g.setColor(Color.getHSBColor((k++ * 0.618034f) % 1f, 0.8f, 0.75f));
            Path2D.Double path = new Path2D.Double();
            boolean started = false;
            for (TraceRow r : c) {
                double v = r.intensityMean(channel);
                if (!Double.isFinite(v)) {
                    continue;
                }
                double px = left + (xOf(r, frameTimes) - xMin) / (xMax - xMin) * (w - left - right);
                double py = h - bottom - (v - yMin) / (yMax - yMin) * (h - top - bottom);
                if (started) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    started = true;
                }
            }
            g.draw(path);
        }
        g.dispose();
        return png(img);
    }

    private static double xOf(TraceRow r, double[] frameTimes) {
        return r.frame() < frameTimes.length ? frameTimes[r.frame()] / 60.0 : r.frame();
    }

    /** PNG with fast deflate: these pictures are looked at, not archived, and the best compression costs 3x the time. */
    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        javax.imageio.ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (javax.imageio.stream.ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            if (param.canWriteCompressed()) {
                param.setCompressionMode(javax.imageio.ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.8f);
            }
            writer.write(null, new javax.imageio.IIOImage(img, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
