package org.fieldwork.seismic;

import java.nio.IntBuffer;

/**
 * SEG-Y sample format codes (binary header byte 3225) and their conversion to float32. Integer
 * samples become the float nearest to the integer, as numpy's {@code astype(float32)} does with the
 * integer arrays segyio returns; float64 rounds to the nearest float32.
 */
public enum SampleFormat {
    IBM_FLOAT32(1, 4),
    INT32(2, 4),
    INT16(3, 2),
    IEEE_FLOAT32(5, 4),
    IEEE_FLOAT64(6, 8),
    INT24(7, 3),
    INT8(8, 1),
    INT64(9, 8),
    UINT32(10, 4),
    UINT16(11, 2),
    UINT64(12, 8),
    UINT24(15, 3),
    UINT8(16, 1);

    private final int code;
    private final int bytes;

    SampleFormat(int code, int bytes) {
        this.code = code;
        this.bytes = bytes;
    }

    public int code() {
        return code;
    }

    public int bytesPerSample() {
        return bytes;
    }

    /** The format for a code, or null when the code is not one we read. */
    public static SampleFormat fromCode(int code) {
        for (SampleFormat f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }

    /** Decodes {@code count} samples at {@code src[srcOffset]} into {@code dst[dstOffset..]}, allocation-free. */
    public void decode(byte[] src, int srcOffset, boolean bigEndian, float[] dst, int dstOffset, int count) {
        switch (this) {
            case IBM_FLOAT32 -> IbmFloat.convert(src, srcOffset, bigEndian, dst, dstOffset, count);
            case IEEE_FLOAT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Float.intBitsToFloat(Bytes.i32(src, srcOffset + 4 * i, bigEndian));
                }
            }
            case IEEE_FLOAT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = (float) Double.longBitsToDouble(Bytes.i64(src, srcOffset + 8 * i, bigEndian));
                }
            }
            case INT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.i32(src, srcOffset + 4 * i, bigEndian);
                }
            }
            case UINT32 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.i32(src, srcOffset + 4 * i, bigEndian) & 0xffffffffL;
                }
            }
            case INT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.i16(src, srcOffset + 2 * i, bigEndian);
                }
            }
            case UINT16 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.u16(src, srcOffset + 2 * i, bigEndian);
                }
            }
            case INT24, UINT24 -> {
                boolean signed = this == INT24;
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.i24(src, srcOffset + 3 * i, bigEndian, signed);
                }
            }
            case INT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = src[srcOffset + i];
                }
            }
            case UINT8 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = src[srcOffset + i] & 0xff;
                }
            }
            case INT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = Bytes.i64(src, srcOffset + 8 * i, bigEndian);
                }
            }
            case UINT64 -> {
                for (int i = 0; i < count; i++) {
                    dst[dstOffset + i] = unsignedToFloat(Bytes.i64(src, srcOffset + 8 * i, bigEndian));
                }
            }
            default -> throw new IllegalStateException("unhandled format " + this);
        }
    }

    /**
     * IBM and IEEE float32: each 4-byte sample becomes one float32 word, so these decode from and to
     * whole words in buffers ({@link #decodeWords}); the others go through {@link #decode}.
     */
    public boolean wordToWord() {
        return this == IBM_FLOAT32 || this == IEEE_FLOAT32;
    }

    /**
     * Decodes the {@code count} samples at {@code src[srcIndex..]} into float32 bits at
     * {@code dst[dstIndex..]}, for a {@link #wordToWord()} format. {@code src} is in this machine's
     * byte order and {@code swap} says whether the file's is the other; {@code dst} is in the
     * output's order. IEEE floats in the machine's order are one memory copy.
     */
    public void decodeWords(IntBuffer src, boolean swap, int srcIndex, IntBuffer dst, int dstIndex, int count) {
        switch (this) {
            case IBM_FLOAT32 -> IbmFloat.convert(src, swap, srcIndex, dst, dstIndex, count);
            case IEEE_FLOAT32 -> {
                if (!swap) {
                    dst.put(dstIndex, src, srcIndex, count);
                    return;
                }
                int[] block = IbmFloat.scratchWords();
                for (int done = 0; done < count; done += block.length) {
                    int n = Math.min(block.length, count - done);
                    src.get(srcIndex + done, block, 0, n);
                    for (int i = 0; i < n; i++) {
                        block[i] = IbmFloat.swapBytes(block[i]);
                    }
                    dst.put(dstIndex + done, block, 0, n);
                }
            }
            default -> throw new IllegalStateException(this + " samples are not float32 words");
        }
    }

    /** Nearest float to an unsigned 64-bit integer: halve keeping a sticky bit so rounding stays correct. */
    static float unsignedToFloat(long v) {
        if (v >= 0) {
            return v;
        }
        return ((float) ((v >>> 1) | (v & 1))) * 2f;
    }
}
