package org.fieldwork.io.nd2;

import java.nio.ByteBuffer;

/**
 * How the pixels of one ND2 frame lie in memory: {@code height} rows of {@code widthBytes} bytes
 * (padding included), each row {@code width} pixels of {@code components} interleaved little-endian
 * values. Extracting one channel is one tight loop per value type over absolute buffer reads.
 */
final class Nd2PixelLayout {
    private final int width;
    private final int height;
    private final int widthBytes;
    private final int components;
    private final int bitsInMemory;

    Nd2PixelLayout(Nd2Attributes a) {
        this.width = a.width();
        this.height = a.height();
        this.widthBytes = a.widthBytes();
        this.components = a.components();
        this.bitsInMemory = a.bitsInMemory();
    }

    /** Bytes of the frame's pixels. */
    int bytes() {
        return widthBytes * height;
    }

    /**
     * Copies component {@code channel} of the frame whose first row starts at {@code base} in
     * {@code src} (little-endian) into {@code into}, row after row.
     */
    void extract(ByteBuffer src, int base, int channel, float[] into) {
        switch (bitsInMemory) {
            case 8 -> uint8(src, base, channel, into);
            case 16 -> uint16(src, base, channel, into);
            default -> float32(src, base, channel, into);
        }
    }

    private void uint8(ByteBuffer src, int base, int channel, float[] into) {
        int o = 0;
        for (int y = 0; y < height; y++) {
            int i = base + y * widthBytes + channel;
            for (int x = 0; x < width; x++, i += components) {
                into[o++] = src.get(i) & 0xff;
            }
        }
    }

    private void uint16(ByteBuffer src, int base, int channel, float[] into) {
        int step = components * 2;
        int o = 0;
        for (int y = 0; y < height; y++) {
            int i = base + y * widthBytes + channel * 2;
            for (int x = 0; x < width; x++, i += step) {
                into[o++] = src.getShort(i) & 0xffff;
            }
        }
    }

    private void float32(ByteBuffer src, int base, int channel, float[] into) {
        int step = components * 4;
        int o = 0;
        for (int y = 0; y < height; y++) {
            int i = base + y * widthBytes + channel * 4;
            for (int x = 0; x < width; x++, i += step) {
                into[o++] = src.getFloat(i);
            }
        }
    }
}
