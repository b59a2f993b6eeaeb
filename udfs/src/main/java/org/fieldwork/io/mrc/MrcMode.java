package org.fieldwork.io.mrc;

import java.nio.ByteBuffer;

/**
 * The MRC2014 data modes read and written here, with bulk conversion between stored values and
 * floats. Integer modes store {@code rint(v)} clamped to the type's range (NaN stores 0); float16
 * stores the nearest IEEE half value.
 */
public enum MrcMode {
    INT8(0, 1, "int8"),
    INT16(1, 2, "int16"),
    FLOAT32(2, 4, "float32"),
    UINT16(6, 2, "uint16"),
    FLOAT16(12, 2, "float16");

    /** Values converted per step through a scratch array. */
    private static final int CHUNK = 8192;

    private final int code;
    private final int bytesPerValue;
    private final String typeName;

    MrcMode(int code, int bytesPerValue, String typeName) {
        this.code = code;
        this.bytesPerValue = bytesPerValue;
        this.typeName = typeName;
    }

    /** The mode number in the header's word 4. */
    public int code() {
        return code;
    }

    public int bytesPerValue() {
        return bytesPerValue;
    }

    /** "int8", "int16", "float32", "uint16" or "float16". */
    public String typeName() {
        return typeName;
    }

    /** The mode with this number, or null when it is not one of the five read here. */
    public static MrcMode ofCode(int code) {
        for (MrcMode m : values()) {
            if (m.code == code) {
                return m;
            }
        }
        return null;
    }

    /** What other MRC mode numbers mean, for the message that refuses them. */
    static String describeUnsupported(int code) {
        return switch (code) {
            case 3 -> "complex int16";
            case 4 -> "complex float32";
            case 101 -> "4-bit packed";
            default -> "not an MRC2014 mode";
        };
    }

    /**
     * Decodes {@code count} values from {@code src} (in its byte order, from its position, which
     * moves past them) into {@code dst[offset..]}.
     */
    public void decode(ByteBuffer src, float[] dst, int offset, int count) {
        switch (this) {
            case FLOAT32 -> {
                src.asFloatBuffer().get(dst, offset, count);
                src.position(src.position() + 4 * count);
            }
            case INT8 -> {
                byte[] scratch = new byte[Math.min(CHUNK, count)];
                for (int done = 0; done < count; done += scratch.length) {
                    int n = Math.min(scratch.length, count - done);
                    src.get(scratch, 0, n);
                    for (int i = 0; i < n; i++) {
                        dst[offset + done + i] = scratch[i];
                    }
                }
            }
            default -> decodeShorts(src, dst, offset, count);
        }
    }

    private void decodeShorts(ByteBuffer src, float[] dst, int offset, int count) {
        java.nio.ShortBuffer shorts = src.asShortBuffer();
        short[] scratch = new short[Math.min(CHUNK, count)];
        for (int done = 0; done < count; done += scratch.length) {
            int n = Math.min(scratch.length, count - done);
            shorts.get(scratch, 0, n);
            int base = offset + done;
            if (this == INT16) {
                for (int i = 0; i < n; i++) {
                    dst[base + i] = scratch[i];
                }
            } else if (this == UINT16) {
                for (int i = 0; i < n; i++) {
                    dst[base + i] = scratch[i] & 0xffff;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[base + i] = HalfFloat.toFloat(scratch[i]);
                }
            }
        }
        src.position(src.position() + 2 * count);
    }

    /**
     * Encodes {@code src[offset..offset+count)} into {@code dst} (in its byte order, from its
     * position, which moves past them).
     */
    public void encode(float[] src, int offset, int count, ByteBuffer dst) {
        switch (this) {
            case FLOAT32 -> {
                dst.asFloatBuffer().put(src, offset, count);
                dst.position(dst.position() + 4 * count);
            }
            case INT8 -> {
                byte[] scratch = new byte[Math.min(CHUNK, count)];
                for (int done = 0; done < count; done += scratch.length) {
                    int n = Math.min(scratch.length, count - done);
                    for (int i = 0; i < n; i++) {
                        scratch[i] = (byte) clampRound(src[offset + done + i], -128, 127);
                    }
                    dst.put(scratch, 0, n);
                }
            }
            default -> encodeShorts(src, offset, count, dst);
        }
    }

    private void encodeShorts(float[] src, int offset, int count, ByteBuffer dst) {
        java.nio.ShortBuffer shorts = dst.asShortBuffer();
        short[] scratch = new short[Math.min(CHUNK, count)];
        for (int done = 0; done < count; done += scratch.length) {
            int n = Math.min(scratch.length, count - done);
            int base = offset + done;
            if (this == INT16) {
                for (int i = 0; i < n; i++) {
                    scratch[i] = (short) clampRound(src[base + i], Short.MIN_VALUE, Short.MAX_VALUE);
                }
            } else if (this == UINT16) {
                for (int i = 0; i < n; i++) {
                    scratch[i] = (short) clampRound(src[base + i], 0, 0xffff);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    scratch[i] = HalfFloat.fromFloat(src[base + i]);
                }
            }
            shorts.put(scratch, 0, n);
        }
        dst.position(dst.position() + 2 * count);
    }

    /** The value read back after storing {@code v} in this mode. */
    public float stored(float v) {
        return switch (this) {
            case FLOAT32 -> v;
            case INT8 -> clampRound(v, -128, 127);
            case INT16 -> clampRound(v, Short.MIN_VALUE, Short.MAX_VALUE);
            case UINT16 -> clampRound(v, 0, 0xffff);
            case FLOAT16 -> HalfFloat.toFloat(HalfFloat.fromFloat(v));
        };
    }

    private static int clampRound(float v, int min, int max) {
        if (v != v) {
            return 0;
        }
        double r = Math.rint(v);
        return r <= min ? min : r >= max ? max : (int) r;
    }
}
