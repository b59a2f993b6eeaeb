package org.fieldwork.kernels;

/** A signed 16-bit single-channel image (OpenCV's CV_16S), row-major; e.g. Sobel derivatives. */
public record ShortImage(int width, int height, short[] pixels) {
    public ShortImage {
        ImageShape.check(width, height, pixels == null ? -1 : pixels.length);
    }

    public short at(int x, int y) {
        return pixels[y * width + x];
    }
}
