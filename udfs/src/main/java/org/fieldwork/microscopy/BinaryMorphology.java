package org.fieldwork.microscopy;

/**
 * Hole filling on masks of 0/1 bytes, as scipy.ndimage's binary_fill_holes defines it: background
 * that is not 4-connected to the outside of the frame becomes foreground. (Erosions and dilations
 * run on packed masks: {@link PackedMorphology}.)
 */
public final class BinaryMorphology {
    private final int width;
    private final int height;
    private final byte[] scratch;

    public BinaryMorphology(int width, int height) {
        this.width = width;
        this.height = height;
        this.scratch = new byte[width * height];
    }

    /**
     * Fills holes: background pixels that are not 4-connected to the outside of the frame become
     * foreground (scipy's binary_fill_holes with its default structure).
     */
    public void fillHoles(byte[] mask) {
        // Flood the background from the frame's edge; whatever background is not reached is a hole.
        byte[] reached = scratch;
        java.util.Arrays.fill(reached, (byte) 0);
        int[] stack = new int[Math.max(16, 2 * (width + height))];
        int top = 0;
        for (int x = 0; x < width; x++) {
            top = seed(mask, reached, x, stack, top);
            top = seed(mask, reached, (height - 1) * width + x, stack, top);
        }
        for (int y = 0; y < height; y++) {
            top = seed(mask, reached, y * width, stack, top);
            top = seed(mask, reached, y * width + width - 1, stack, top);
        }
        while (top > 0) {
            int i = stack[--top];
            int x = i % width;
            if (x > 0) {
                stack = grow(stack, top);
                top = seed(mask, reached, i - 1, stack, top);
            }
            if (x < width - 1) {
                stack = grow(stack, top);
                top = seed(mask, reached, i + 1, stack, top);
            }
            if (i >= width) {
                stack = grow(stack, top);
                top = seed(mask, reached, i - width, stack, top);
            }
            if (i < (height - 1) * width) {
                stack = grow(stack, top);
                top = seed(mask, reached, i + width, stack, top);
            }
        }
        for (int i = 0; i < mask.length; i++) {
            if (reached[i] == 0) {
                mask[i] = 1;
            }
        }
    }

    private static int[] grow(int[] stack, int top) {
        return top < stack.length ? stack : java.util.Arrays.copyOf(stack, stack.length * 2);
    }

    private static int seed(byte[] mask, byte[] reached, int i, int[] stack, int top) {
        if (mask[i] == 0 && reached[i] == 0) {
            reached[i] = 1;
            stack[top++] = i;
        }
        return top;
    }
}
