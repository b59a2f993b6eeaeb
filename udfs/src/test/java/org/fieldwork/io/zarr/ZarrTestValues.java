package org.fieldwork.io.zarr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/**
 * Test values per dtype and an encoder to little-endian bytes written independently of
 * {@link DataType#encode} (element by element), so a byte-order bug in the code under test shows.
 */
final class ZarrTestValues {
    private ZarrTestValues() {
    }

    /** n pseudo-random values of the dtype's Java type, with the awkward ones (NaN, -0, extremes) first. */
    static Object random(DataType type, int n, long seed) {
        Random r = new Random(seed);
        switch (type) {
            case BOOL: {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextBoolean();
                }
                return a;
            }
            case INT8:
            case UINT8: {
                byte[] a = new byte[n];
                r.nextBytes(a);
                a[0] = (byte) 0xff;
                return a;
            }
            case INT16:
            case UINT16: {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) r.nextInt();
                }
                a[0] = (short) 0xffff;
                a[1] = Short.MIN_VALUE;
                return a;
            }
            case INT32: {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextInt();
                }
                a[0] = Integer.MIN_VALUE;
                return a;
            }
            case FLOAT32: {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) (r.nextGaussian() * 1000);
                }
                a[0] = Float.NaN;
                a[1] = -0.0f;
                a[2] = Float.POSITIVE_INFINITY;
                a[3] = Float.MIN_VALUE;
                return a;
            }
            case FLOAT64: {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = r.nextGaussian() * 1e6;
                }
                a[0] = Double.NaN;
                a[1] = -0.0;
                a[2] = Double.NEGATIVE_INFINITY;
                a[3] = Double.MAX_VALUE;
                return a;
            }
            default:
                throw new AssertionError(type);
        }
    }

    /** A fill value that is not zero, so "missing chunk reads as fill" cannot pass by accident. */
    static Double fill(DataType type) {
        return switch (type) {
            case BOOL -> 1.0;
            case INT8 -> -7.0;
            case UINT8 -> 200.0;
            case INT16 -> -300.0;
            case UINT16 -> 60000.0;
            case INT32 -> -100000.0;
            case FLOAT32 -> Double.NaN;
            case FLOAT64 -> -1.5;
        };
    }

    /** Sets element i of a primitive array to a value given as a double (fill values). */
    static void set(Object a, int i, double v) {
        if (a instanceof boolean[] b) {
            b[i] = v != 0;
        } else if (a instanceof byte[] b) {
            b[i] = (byte) (long) v;
        } else if (a instanceof short[] s) {
            s[i] = (short) (long) v;
        } else if (a instanceof int[] x) {
            x[i] = (int) (long) v;
        } else if (a instanceof float[] f) {
            f[i] = (float) v;
        } else {
            ((double[]) a)[i] = v;
        }
    }

    /** Little-endian bytes of a primitive array, one element at a time (numpy's tobytes for a '<' dtype). */
    static byte[] littleEndian(Object a) {
        int n = java.lang.reflect.Array.getLength(a);
        int size = a instanceof boolean[] || a instanceof byte[] ? 1 : a instanceof short[] ? 2
                : a instanceof int[] || a instanceof float[] ? 4 : 8;
        ByteBuffer b = ByteBuffer.allocate(n * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            if (a instanceof boolean[] x) {
                b.put((byte) (x[i] ? 1 : 0));
            } else if (a instanceof byte[] x) {
                b.put(x[i]);
            } else if (a instanceof short[] x) {
                b.putShort(x[i]);
            } else if (a instanceof int[] x) {
                b.putInt(x[i]);
            } else if (a instanceof float[] x) {
                b.putFloat(x[i]);
            } else {
                b.putDouble(((double[]) a)[i]);
            }
        }
        return b.array();
    }

    static Compressor[] compressors() {
        return new Compressor[] {Compressor.zstd(3), Compressor.zlib(5), Compressor.none()};
    }

    static String name(Compressor c) {
        return c.id() == null ? "none" : c.id();
    }
}
