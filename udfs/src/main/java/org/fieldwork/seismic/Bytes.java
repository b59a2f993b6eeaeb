package org.fieldwork.seismic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Unaligned big/little-endian reads from byte arrays; VarHandles compile to single loads (plus a byte swap). */
final class Bytes {
    static final VarHandle I16_BE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle I16_LE = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle I32_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I64_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    static final VarHandle I64_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Bytes() {
    }

    static int i16(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (short) I16_BE.get(b, at) : (short) I16_LE.get(b, at);
    }

    static int u16(byte[] b, int at, boolean bigEndian) {
        return i16(b, at, bigEndian) & 0xffff;
    }

    static int i32(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (int) I32_BE.get(b, at) : (int) I32_LE.get(b, at);
    }

    static long i64(byte[] b, int at, boolean bigEndian) {
        return bigEndian ? (long) I64_BE.get(b, at) : (long) I64_LE.get(b, at);
    }

    /** Three bytes as a signed (sign-extended) or unsigned integer. */
    static int i24(byte[] b, int at, boolean bigEndian, boolean signed) {
        int b0 = b[at] & 0xff;
        int b1 = b[at + 1] & 0xff;
        int b2 = b[at + 2] & 0xff;
        int v = bigEndian ? (b0 << 16) | (b1 << 8) | b2 : (b2 << 16) | (b1 << 8) | b0;
        return signed ? (v << 8) >> 8 : v;
    }
}
