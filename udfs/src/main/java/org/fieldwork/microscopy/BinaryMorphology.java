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
     * foreground (scipy's binary_fill_holes with its default structure). The background is flooded
     * from the frame's edge a row span at a time; whatever it does not reach is a hole.
     */
    public void fillHoles(byte[] mask) {
        byte[] reached = scratch;
        java.util.Arrays.fill(reached, (byte) 0);
        int[] stack = new int[Math.max(64, 4 * (width + height))];
        int top = 0;
        for (int x = 0; x < width; x++) {
            stack = push(stack, top++, x);
            stack = push(stack, top++, (height - 1) * width + x);
        }
        for (int y = 0; y < height; y++) {
            stack = push(stack, top++, y * width);
            stack = push(stack, top++, y * width + width - 1);
        }
        while (top > 0) {
            int i = stack[--top];
            if (mask[i] != 0 || reached[i] != 0) {
                continue;
            }
            int y = i / width;
            int row = y * width;
            int left = i;
            while (left > row && mask[left - 1] == 0 && reached[left - 1] == 0) {
                left--;
            }
            int right = i;
            while (right < row + width - 1 && mask[right + 1] == 0 && reached[right + 1] == 0) {
                right++;
            }
            java.util.Arrays.fill(reached, left, right + 1, (byte) 1);
            // Seed every run of unreached background above and below the span once.
            for (int dy = -1; dy <= 1; dy += 2) {
                int yy = y + dy;
                if (yy < 0 || yy >= height) {
                    continue;
                }
                int shift = dy * width;
                boolean inRun = false;
                for (int j = left; j <= right; j++) {
                    boolean open = mask[j + shift] == 0 && reached[j + shift] == 0;
                    if (open && !inRun) {
                        stack = push(stack, top++, j + shift);
                    }
                    inRun = open;
                }
            }
        }
        for (int i = 0; i < mask.length; i++) {
            mask[i] |= (byte) (reached[i] ^ 1);
        }
    }

    private static int[] push(int[] stack, int at, int value) {
        int[] s = at < stack.length ? stack : java.util.Arrays.copyOf(stack, stack.length * 2);
        s[at] = value;
        return s;
    }
}
