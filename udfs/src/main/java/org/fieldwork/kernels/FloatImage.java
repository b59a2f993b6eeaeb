package org.fieldwork.kernels;

/** A single-channel float image, row-major: pixel (x, y) is {@code pixels[y * width + x]}. */
public record FloatImage(int width, int height, float[] pixels) {
    public FloatImage {
        ImageShape.check(width, height, pixels == null ? -1 : pixels.length);
    }

    public float at(int x, int y) {
        return pixels[y * width + x];
    }

    /** Widens an 8-bit image exactly (0..255). */
    public static FloatImage of(GrayImage gray) {
        float[] out = new float[gray.pixels().length];
        byte[] in = gray.pixels();
        for (int i = 0; i < in.length; i++) {
            out[i] = in[i] & 0xff;
        }
        return new FloatImage(gray.width(), gray.height(), out);
    }
}
