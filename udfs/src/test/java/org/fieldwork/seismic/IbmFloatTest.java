package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.fieldwork.io.Storage;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IbmFloatTest {

    /** The mathematical value of an IBM float, the slow obvious way (exact in double). */
    static double exact(int ibm) {
        int exponent = (ibm >>> 24) & 0x7f;
        int fraction = ibm & 0xffffff;
        return (ibm < 0 ? -1 : 1) * Math.scalb((double) fraction, 4 * (exponent - 64) - 24);
    }

    /** Normalised (leading hex digit not 0) and within the normal float range: here conversion is exact. */
    static boolean exactDomain(int ibm) {
        double m = Math.abs(exact(ibm));
        return (ibm & 0xf00000) != 0 && m >= Float.MIN_NORMAL && m <= Float.MAX_VALUE;
    }

    /**
     * segyio's result outside the exact domain, modelled from its observed behaviour (see
     * matchesSegyioOnAGeneratedFile): flush below 0x21200000 to +0, 0x7fffffff above 0x611fffff,
     * normalise by at most 3 bits.
     */
    static int segyioModel(int ibm) {
        if ((ibm & 0x7fffffff) < 0x21200000) {
            return 0;
        }
        if ((ibm & 0x7fffffff) > 0x611fffff) {
            return 0x7fffffff | (ibm & 0x80000000);
        }
        int fraction = ibm & 0xffffff;
        int shift = fraction >= 0x800000 ? 0 : fraction >= 0x400000 ? 1 : fraction >= 0x200000 ? 2 : 3;
        long exponent = 4L * ((ibm >>> 24) & 0x7f) - 130 - shift;
        long bits = ((long) fraction << shift) - (1L << 23) + (exponent << 23);
        return (int) bits | (ibm & 0x80000000);
    }

    static int expected(int ibm) {
        return exactDomain(ibm) ? Float.floatToRawIntBits((float) exact(ibm)) : segyioModel(ibm);
    }

    private static boolean check(int ibm) {
        int want = expected(ibm);
        int got = IbmFloat.toIeeeBits(ibm);
        if (want != got) {
            assertEquals(Integer.toHexString(want), Integer.toHexString(got), "IBM " + Integer.toHexString(ibm));
        }
        return exactDomain(ibm);
    }

    @Test
    void matchesReferenceOnEverySignAndExponentWithManyFractions() {
        SplittableRandom random = new SplittableRandom(1);
        long checked = 0;
        long exactOnes = 0;
        for (int signExp = 0; signExp < 256; signExp++) {
            for (int high = 0; high < 1 << 16; high++) {
                // every top-16-bit fraction pattern, with random and extreme low bytes
                int fraction = (high << 8) | random.nextInt(256);
                exactOnes += check(signExp << 24 | fraction) ? 1 : 0;
                exactOnes += check(signExp << 24 | (high << 8)) ? 1 : 0;
                exactOnes += check(signExp << 24 | (high << 8) | 0xff) ? 1 : 0;
                checked += 3;
            }
            for (int shift = 0; shift < 24; shift++) {
                check(signExp << 24 | (1 << shift));
                check(signExp << 24 | (0xffffff >>> shift));
            }
        }
        assertTrue(checked > 50_000_000);
        assertTrue(exactOnes > 20_000_000, "most patterns checked against the exact value: " + exactOnes);
    }

    @Test
    void matchesReferenceOnRandomBitPatterns() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 30_000_000; i++) {
            check(random.nextInt());
        }
    }

    @Test
    void edgeCases() {
        assertEquals(0, IbmFloat.toIeeeBits(0));
        assertEquals(0, IbmFloat.toIeeeBits(0x80000000));                     // segyio: -0 reads as +0
        assertEquals(0xc1000000, IbmFloat.toIeeeBits(0xC2000000));             // zero fraction, as segyio: not zero
        assertEquals(0x7fffffff, IbmFloat.toIeeeBits(0x7fffffff));             // beyond the range: segyio's clamp
        assertEquals(0xffffffff, IbmFloat.toIeeeBits(0xe1800000));
        assertEquals(0x7f800000, IbmFloat.toIeeeBits(0x61100000));             // 16^32 = 2^128: infinity
        assertEquals(1.0f, IbmFloat.toFloat(0x41100000));
        assertEquals(-118.625f, IbmFloat.toFloat(0xC276A000));                 // the textbook example
        assertEquals(Float.MAX_VALUE, IbmFloat.toFloat(0x60ffffff));          // (1 - 2^-24) * 16^32
        assertEquals(-Float.MAX_VALUE, IbmFloat.toFloat(0xe0ffffff));
        assertEquals(Float.MIN_NORMAL, IbmFloat.toFloat(0x21400000));         // 0.25 * 16^-31 = 2^-126
        assertEquals(0, IbmFloat.toIeeeBits(0x211fffff));                      // below segyio's cut: +0
        assertEquals(0, IbmFloat.toIeeeBits(0xa11fffff));
        assertEquals(0x1000008, IbmFloat.toIeeeBits(0x22000001));              // unnormalised, as segyio reads it
    }

    /** Big-endian words on a little-endian machine go through the vectorised swap: bit for bit the scalar path. */
    @Test
    void swappedBlocksEqualScalarOfReversedBytes() {
        SplittableRandom random = new SplittableRandom(11);
        int n = 4099;
        int[] words = new int[n];
        for (int i = 0; i < n; i++) {
            words[i] = i < 64 ? Integer.reverseBytes(new int[] {0, 0x80000000, 0x21200000, 0x211fffff, 0x611fffff, 0x61200000,
                    0x41100000, 0xC276A000, 0x22000001, 0x7fffffff, 0xffffffff}[i % 11] + (i / 11)) : random.nextInt();
        }
        int[] swapped = words.clone();
        IbmFloat.toIeeeBitsOfSwapped(swapped, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Integer.reverseBytes(words[i]), IbmFloat.swapBytes(words[i]));
            assertEquals(IbmFloat.toIeeeBits(Integer.reverseBytes(words[i])), swapped[i], "word " + i);
        }
    }

    @Test
    void blockConversionEqualsScalar() {
        SplittableRandom random = new SplittableRandom(7);
        int n = 10_001;
        byte[] be = new byte[4 * n + 3];
        byte[] le = new byte[4 * n + 3];
        int[] words = new int[n];
        ByteBuffer bbe = ByteBuffer.wrap(be).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer ble = ByteBuffer.wrap(le).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            words[i] = random.nextInt();
            bbe.putInt(3 + 4 * i, words[i]);
            ble.putInt(3 + 4 * i, words[i]);
        }
        float[] a = new float[n + 5];
        float[] b = new float[n + 5];
        IbmFloat.convert(be, 3, true, a, 5, n);
        IbmFloat.convert(le, 3, false, b, 5, n);
        // The import's path: words from a buffer in the file's order (heap, or direct as a local
        // file's view is) to a little-endian buffer, at word offsets.
        ByteBuffer direct = ByteBuffer.allocateDirect(be.length);
        direct.put(be).clear();
        ByteBuffer c = ByteBuffer.allocate(4 * n + 12).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer d = ByteBuffer.allocateDirect(4 * n + 12).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer e = ByteBuffer.allocate(4 * n + 12).order(ByteOrder.LITTLE_ENDIAN);
        boolean littleMachine = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        IbmFloat.convert(ByteBuffer.wrap(be, 3, 4 * n).slice().order(ByteOrder.nativeOrder()).asIntBuffer(), littleMachine, 0, c.asIntBuffer(), 3, n);
        IbmFloat.convert(direct.position(3).slice().order(ByteOrder.nativeOrder()).asIntBuffer(), littleMachine, 0, d.asIntBuffer(), 3, n);
        IbmFloat.convert(ByteBuffer.wrap(le, 3, 4 * n).slice().order(ByteOrder.nativeOrder()).asIntBuffer(), !littleMachine, 0, e.asIntBuffer(), 3, n);
        int[] inPlace = words.clone();
        IbmFloat.toIeeeBits(inPlace, 3, n - 6);
        for (int i = 0; i < n; i++) {
            assertEquals(IbmFloat.toIeeeBits(words[i]), Float.floatToRawIntBits(a[5 + i]));
            assertEquals(IbmFloat.toIeeeBits(words[i]), Float.floatToRawIntBits(b[5 + i]));
            assertEquals(IbmFloat.toIeeeBits(words[i]), c.getInt(12 + 4 * i), "little-endian bytes, big-endian source");
            assertEquals(IbmFloat.toIeeeBits(words[i]), d.getInt(12 + 4 * i), "little-endian bytes, big-endian direct source");
            assertEquals(IbmFloat.toIeeeBits(words[i]), e.getInt(12 + 4 * i), "little-endian bytes, little-endian source");
            assertEquals(i >= 3 && i < n - 3 ? IbmFloat.toIeeeBits(words[i]) : words[i], inPlace[i], "in place, only the range");
        }
    }

    /** segyio reads a generated file of edge cases and random patterns; every bit must agree. */
    @Test
    void matchesSegyioOnAGeneratedFile(@TempDir Path dir) throws Exception {
        Python.requireModule("segyio");
        int ns = 1000;
        int traces = 120;
        int[] words = new int[ns * traces];
        SplittableRandom random = new SplittableRandom(99);
        int k = 0;
        for (int signExp = 0; signExp < 256; signExp++) { // every exponent with small, large, unnormalised fractions
            for (int f : new int[] {0, 1, 0xf, 0x10, 0xff, 0x0fffff, 0x100000, 0x7fffff, 0x800000, 0xffffff, 0x000100, 0x00ffff}) {
                words[k++] = signExp << 24 | f;
            }
        }
        while (k < words.length) {
            words[k++] = random.nextInt();
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            boolean little = order == ByteOrder.LITTLE_ENDIAN;
            Path file = dir.resolve(little ? "ibm-lsb.sgy" : "ibm.sgy");
            Files.write(file, SegyTestFiles.ibmFile(words, ns, order));
            Path out = dir.resolve(little ? "lsb.f32" : "msb.f32");
            Python.check("import segyio, numpy as np, sys\n"
                    + "with segyio.open(sys.argv[1], ignore_geometry=True, endian=sys.argv[3]) as f:\n"
                    + "    np.asarray(f.trace.raw[:], dtype='<f4').tofile(sys.argv[2])\n",
                    file.toString(), out.toString(), little ? "little" : "big");
            ByteBuffer theirs = ByteBuffer.wrap(Files.readAllBytes(out)).order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(words.length * 4, theirs.remaining());
            try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
                assertEquals(!little, reader.layout().bigEndian());
                TraceBlock block = TraceBlock.allFields(traces, ns);
                reader.read(0, traces, block);
                for (int i = 0; i < words.length; i++) {
                    int want = theirs.getInt(4 * i);
                    int got = Float.floatToRawIntBits(block.samples()[i]);
                    if (want != got) {
                        assertEquals(Integer.toHexString(want), Integer.toHexString(got), "IBM " + Integer.toHexString(words[i]) + " (" + order + ")");
                    }
                    assertEquals(want, expected(words[i]), "reference vs segyio for " + Integer.toHexString(words[i]));
                }
            }
        }
    }
}
