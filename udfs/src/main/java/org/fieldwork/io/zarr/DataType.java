package org.fieldwork.io.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The element types we read and write, each mapped to one Java primitive array type. Unsigned types
 * keep their raw bits in the signed Java type of the same width (a {@code <u2} value 65535 is the
 * {@code short} -1); use {@link Short#toUnsignedInt} or {@link Byte#toUnsignedInt} to widen them.
 */
public enum DataType {
    BOOL('b', 1, boolean[].class, 0, 1),
    INT8('i', 1, byte[].class, Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT8('u', 1, byte[].class, 0, 255),
    INT16('i', 2, short[].class, Short.MIN_VALUE, Short.MAX_VALUE),
    UINT16('u', 2, short[].class, 0, 65535),
    INT32('i', 4, int[].class, Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32('f', 4, float[].class, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
    FLOAT64('f', 8, double[].class, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    private final char kind;
    private final int size;
    private final Class<?> arrayType;
    private final double min;
    private final double max;

    DataType(char kind, int size, Class<?> arrayType, double min, double max) {
        this.kind = kind;
        this.size = size;
        this.arrayType = arrayType;
        this.min = min;
        this.max = max;
    }

    /** Bytes per element. */
    public int size() {
        return size;
    }

    /** The Java array class that holds values of this type, e.g. {@code float[].class}. */
    public Class<?> arrayType() {
        return arrayType;
    }

    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** The numpy type string, e.g. {@code <f4}; single-byte types use {@code |}. */
    public String typestr(ByteOrder order) {
        char o = size == 1 ? '|' : (order == ByteOrder.BIG_ENDIAN ? '>' : '<');
        return "" + o + kind + size;
    }

    /** The byte order a numpy type string names; single-byte types report little-endian (it does not matter). */
    static ByteOrder orderOf(String typestr) {
        return typestr.startsWith(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    /** Parses a numpy type string such as {@code <f4}, {@code >i2} or {@code |u1}; null when unsupported. */
    static DataType parse(String typestr) {
        if (typestr == null || typestr.length() != 3) {
            return null;
        }
        char order = typestr.charAt(0);
        if (order != '<' && order != '>' && order != '|') {
            return null;
        }
        char kind = typestr.charAt(1);
        int size = typestr.charAt(2) - '0';
        for (DataType t : values()) {
            if (t.kind == kind && t.size == size) {
                // '|' (no byte order) only makes sense for one-byte types.
                return order == '|' && size != 1 ? null : t;
            }
        }
        return null;
    }

    /** The type strings we accept, for error messages. */
    static String supportedList() {
        return "|b1 |i1 |u1 <u2 <i2 <i4 <f4 <f8 (and their > big-endian forms)";
    }

    /** Whether {@code value} can be stored exactly in this type (fill values). */
    boolean canHold(double value) {
        if (isFloatingPoint()) {
            return true;
        }
        return value == Math.rint(value) && value >= min && value <= max;
    }

    /** A new array of this type with {@code n} elements. */
    Object newArray(int n) {
        return switch (this) {
            case BOOL -> new boolean[n];
            case INT8, UINT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32 -> new int[n];
            case FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
        };
    }

    /** Element count of an array of this type; fails with a clear message for any other object. */
    int lengthOf(Object array, String what) {
        if (!arrayType.isInstance(array)) {
            throw new IllegalArgumentException(what + ": expected " + arrayType.getSimpleName() + " for dtype "
                    + typestr(ByteOrder.LITTLE_ENDIAN) + " but got "
                    + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        return java.lang.reflect.Array.getLength(array);
    }

    /** One element holding {@code value}, as bytes in {@code order} (the fill pattern of a chunk). */
    byte[] elementBytes(double value, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(size).order(order);
        switch (this) {
            case BOOL -> b.put((byte) (value != 0 ? 1 : 0));
            case INT8, UINT8 -> b.put((byte) (long) value);
            case INT16, UINT16 -> b.putShort((short) (long) value);
            case INT32 -> b.putInt((int) (long) value);
            case FLOAT32 -> b.putFloat((float) value);
            case FLOAT64 -> b.putDouble(value);
        }
        return b.array();
    }

    /**
     * Copies {@code count} elements from {@code src[srcPos..]} into {@code dst} at byte offset {@code dstByte}.
     * Bulk buffer views copy without boxing (a plain memory copy when the order is the machine's).
     */
    void encode(Object src, int srcPos, byte[] dst, int dstByte, int count, ByteOrder order) {
        ByteBuffer view = ByteBuffer.wrap(dst, dstByte, count * size).slice().order(order);
        switch (this) {
            case BOOL -> {
                boolean[] s = (boolean[]) src;
                for (int i = 0; i < count; i++) {
                    dst[dstByte + i] = (byte) (s[srcPos + i] ? 1 : 0);
                }
            }
            case INT8, UINT8 -> System.arraycopy(src, srcPos, dst, dstByte, count);
            case INT16, UINT16 -> view.asShortBuffer().put((short[]) src, srcPos, count);
            case INT32 -> view.asIntBuffer().put((int[]) src, srcPos, count);
            case FLOAT32 -> view.asFloatBuffer().put((float[]) src, srcPos, count);
            case FLOAT64 -> view.asDoubleBuffer().put((double[]) src, srcPos, count);
        }
    }

    /** The reverse of {@link #encode}: {@code count} elements from bytes at {@code srcByte} into {@code dst[dstPos..]}. */
    void decode(byte[] src, int srcByte, Object dst, int dstPos, int count, ByteOrder order) {
        ByteBuffer view = ByteBuffer.wrap(src, srcByte, count * size).slice().order(order);
        switch (this) {
            case BOOL -> {
                boolean[] d = (boolean[]) dst;
                for (int i = 0; i < count; i++) {
                    d[dstPos + i] = src[srcByte + i] != 0;
                }
            }
            case INT8, UINT8 -> System.arraycopy(src, srcByte, dst, dstPos, count);
            case INT16, UINT16 -> view.asShortBuffer().get((short[]) dst, dstPos, count);
            case INT32 -> view.asIntBuffer().get((int[]) dst, dstPos, count);
            case FLOAT32 -> view.asFloatBuffer().get((float[]) dst, dstPos, count);
            case FLOAT64 -> view.asDoubleBuffer().get((double[]) dst, dstPos, count);
        }
    }
}
