package org.fieldwork.kernels;

/** Shape checks shared by the image records. */
final class ImageShape {
    private ImageShape() {
    }

    static void check(int width, int height, int length) {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image must be at least 1x1, got " + width + "x" + height);
        }
        if ((long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("image too large for one array: " + width + "x" + height);
        }
        if (length != width * height) {
            throw new IllegalArgumentException(
                    "pixel array has " + length + " values, " + width + "x" + height + " needs " + width * height);
        }
    }
}
