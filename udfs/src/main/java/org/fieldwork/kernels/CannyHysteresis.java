package org.fieldwork.kernels;

/**
 * The last step of Canny, in plain Java because it is a flood, not per-pixel work: every strong
 * pixel is an edge, and so is every weak pixel joined to one through a chain of weak pixels
 * (8-connected). The order of the flood does not change the set it reaches, so this equals OpenCV's
 * stripe-parallel tracing.
 */
final class CannyHysteresis {
    private CannyHysteresis() {
    }

    /** Edges (255) and background (0) from {@link CannyNmsKernel}'s classes. */
    static GrayImage trace(int width, int height, byte[] classes) {
        byte[] out = new byte[width * height];
        int[] stack = new int[256];
        int top = 0;
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == CannyNmsKernel.STRONG) {
                out[i] = (byte) 255;
                if (top == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, 2 * top);
                }
                stack[top++] = i;
            }
        }
        while (top > 0) {
            int p = stack[--top];
            int x = p % width;
            int y = p / width;
            for (int ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
                for (int nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
                    int q = ny * width + nx;
                    if (classes[q] == CannyNmsKernel.WEAK && out[q] == 0) {
                        out[q] = (byte) 255;
                        if (top == stack.length) {
                            stack = java.util.Arrays.copyOf(stack, 2 * top);
                        }
                        stack[top++] = q;
                    }
                }
            }
        }
        return new GrayImage(width, height, out);
    }
}
