package org.fieldwork.kernels;

/**
 * An 8-bit three-channel image as OpenCV decodes it ({@code imread} with {@code IMREAD_COLOR}):
 * row-major, channels interleaved in B, G, R order, so pixel (x, y) starts at
 * {@code bgr[3 * (y * width + x)]}.
 */
public record ColorImage(int width, int height, byte[] bgr) {
    public ColorImage {
        if (bgr == null || bgr.length % 3 != 0) {
            throw new IllegalArgumentException("BGR array must hold three bytes a pixel, got "
                    + (bgr == null ? "none" : bgr.length + " bytes"));
        }
        ImageShape.check(width, height, bgr.length / 3);
    }
}
