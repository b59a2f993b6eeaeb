package org.fieldwork.kernels;

/** An 8-bit single-channel image (values 0..255 stored in Java's signed bytes), row-major. */
public record GrayImage(int width, int height, byte[] pixels) {
    public GrayImage {
        ImageShape.check(width, height, pixels == null ? -1 : pixels.length);
    }

    /** The unsigned value at (x, y). */
    public int at(int x, int y) {
        return pixels[y * width + x] & 0xff;
    }
}
