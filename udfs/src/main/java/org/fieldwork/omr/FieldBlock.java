package org.fieldwork.omr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A block of fields laid out on a regular grid: values step by {@code bubblesGap} along the value
 * axis, fields step by {@code labelsGap} across it.
 */
public final class FieldBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String name;
    public final double originX;
    public final double originY;
    public final int bubbleWidth;
    public final int bubbleHeight;
    public final String emptyValue;
    public final boolean vertical;
    /** Block extent in pixels, as OMRChecker computes it for the inside-the-page check. */
    public final int width;
    public final int height;
    public final List<BubbleField> fields;

    FieldBlock(String name, double originX, double originY, int bubbleWidth, int bubbleHeight, String emptyValue,
            boolean vertical, List<String> bubbleValues, double bubblesGap, double labelsGap, List<String> labels) {
        this.name = name;
        this.originX = originX;
        this.originY = originY;
        this.bubbleWidth = bubbleWidth;
        this.bubbleHeight = bubbleHeight;
        this.emptyValue = emptyValue;
        this.vertical = vertical;
        int along = vertical ? bubbleHeight : bubbleWidth;
        int across = vertical ? bubbleWidth : bubbleHeight;
        int valuesExtent = (int) (bubblesGap * (bubbleValues.size() - 1) + along);
        int fieldsExtent = (int) (labelsGap * (labels.size() - 1) + across);
        this.width = vertical ? fieldsExtent : valuesExtent;
        this.height = vertical ? valuesExtent : fieldsExtent;
        this.fields = List.copyOf(grid(bubbleValues, bubblesGap, labelsGap, labels));
    }

    /*
     * Positions accumulate as doubles by repeated addition and are rounded half-to-even at the end,
     * exactly as OMRChecker does: with gaps like 26.5 the rounding mode decides the pixel.
     */
    private List<BubbleField> grid(List<String> values, double bubblesGap, double labelsGap, List<String> labels) {
        List<BubbleField> out = new ArrayList<>();
        double[] lead = {originX, originY};
        int valueAxis = vertical ? 1 : 0;
        int fieldAxis = 1 - valueAxis;
        for (String label : labels) {
            double[] p = lead.clone();
            List<Bubble> bubbles = new ArrayList<>();
            for (String v : values) {
                bubbles.add(new Bubble((int) Math.rint(p[0]), (int) Math.rint(p[1]), v));
                p[valueAxis] += bubblesGap;
            }
            out.add(new BubbleField(label, bubbles));
            lead[fieldAxis] += labelsGap;
        }
        return out;
    }
}
