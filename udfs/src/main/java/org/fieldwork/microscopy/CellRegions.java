package org.fieldwork.microscopy;

/**
 * The 4-connected regions of a cell mask, labelled 1..n in raster order of each region's first
 * pixel (as scipy.ndimage.label numbers them), with each region's area, coordinate sums and
 * whether it touches the frame's border.
 */
public final class CellRegions {
    private final int width;
    private final int height;
    private final int[] labels;
    private int count;
    private int[] area = new int[64];
    private long[] sumX = new long[64];
    private long[] sumY = new long[64];
    private boolean[] border = new boolean[64];

    private CellRegions(int width, int height) {
        this.width = width;
        this.height = height;
        this.labels = new int[width * height];
    }

    /** Labels the mask (1 = cell). */
    public static CellRegions of(byte[] mask, int width, int height) {
        CellRegions r = new CellRegions(width, height);
        r.label(mask);
        return r;
    }

    private void label(byte[] mask) {
        int[] stack = new int[1024];
        for (int start = 0; start < mask.length; start++) {
            if (mask[start] == 0 || labels[start] != 0) {
                continue;
            }
            int id = ++count;
            if (id >= area.length) {
                int n = area.length * 2;
                area = java.util.Arrays.copyOf(area, n);
                sumX = java.util.Arrays.copyOf(sumX, n);
                sumY = java.util.Arrays.copyOf(sumY, n);
                border = java.util.Arrays.copyOf(border, n);
            }
            int top = 0;
            labels[start] = id;
            stack[top++] = start;
            while (top > 0) {
                int i = stack[--top];
                int x = i % width;
                int y = i / width;
                area[id]++;
                sumX[id] += x;
                sumY[id] += y;
                if (x == 0 || y == 0 || x == width - 1 || y == height - 1) {
                    border[id] = true;
                }
                if (top + 4 > stack.length) {
                    stack = java.util.Arrays.copyOf(stack, stack.length * 2);
                }
                if (x > 0 && mask[i - 1] != 0 && labels[i - 1] == 0) {
                    labels[i - 1] = id;
                    stack[top++] = i - 1;
                }
                if (x < width - 1 && mask[i + 1] != 0 && labels[i + 1] == 0) {
                    labels[i + 1] = id;
                    stack[top++] = i + 1;
                }
                if (y > 0 && mask[i - width] != 0 && labels[i - width] == 0) {
                    labels[i - width] = id;
                    stack[top++] = i - width;
                }
                if (y < height - 1 && mask[i + width] != 0 && labels[i + width] == 0) {
                    labels[i + width] = id;
                    stack[top++] = i + width;
                }
            }
        }
    }

    /** Number of regions; labels run 1..count(). */
    public int count() {
        return count;
    }

    /** The label image, 0 outside every region. */
    public int[] labels() {
        return labels;
    }

    public int area(int label) {
        return area[label];
    }

    /** Mean column of the region's pixels. */
    public double centroidX(int label) {
        return (double) sumX[label] / area[label];
    }

    /** Mean row of the region's pixels. */
    public double centroidY(int label) {
        return (double) sumY[label] / area[label];
    }

    public boolean touchesBorder(int label) {
        return border[label];
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }
}
