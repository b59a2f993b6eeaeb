package org.fieldwork.io.zarr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** zstd's raw frames against the zstd library's own decoder, at the sizes where block splits change. */
class CompressorTest {

    private static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void rawFramesDecodeWithLibzstdAtEveryBlockBoundary() throws Exception {
        int block = Compressor.Zstd.RAW_BLOCK_BYTES;
        for (int n : new int[] {4 * Compressor.Zstd.SAMPLE_BYTES, block - 1, block, block + 1, 3 * block, 4 << 20, (4 << 20) + 12_345}) {
            byte[] src = random(n, n);
            Compressor c = Compressor.zstd(1);
            byte[] dst = new byte[c.maxCompressedLength(n)];
            int written = c.compress(src, n, dst);
            int blocks = (n + block - 1) / block;
            assertEquals(n + 9 + 3 * blocks, written, "random bytes are stored raw, size " + n);
            assertEquals(n, com.github.luben.zstd.Zstd.decompressedSize(dst, 0, written), "content size in the header");
            byte[] back = new byte[n];
            c.decompress(dst, written, back, n);
            assertArrayEquals(src, back, "size " + n);
        }
    }

    @Test
    void compressibleChunksAreCompressedAndSmallOnesAlways() throws Exception {
        byte[] zeros = new byte[1 << 20];
        Compressor c = Compressor.zstd(1);
        byte[] dst = new byte[c.maxCompressedLength(zeros.length)];
        assertTrue(c.compress(zeros, zeros.length, dst) < 1000);
        // Below four samples the probe is not worth it: zstd decides alone (and emits its own raw blocks).
        byte[] small = random(1000, 3);
        int n = c.compress(small, small.length, dst);
        byte[] back = new byte[small.length];
        c.decompress(dst, n, back, small.length);
        assertArrayEquals(small, back);
    }

    /** Little-endian floats with noisy mantissas: zstd saves a few percent, under an eighth. */
    private static byte[] noisyFloats(int n) {
        Random r = new Random(4);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * n).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat((float) (r.nextGaussian() * 300));
        }
        return b.array();
    }

    @Test
    void aSmallSavingIsStoredRawUnlessEveryChunkIsToBeCompressed() throws Exception {
        byte[] src = noisyFloats(1 << 18); // 1 MB, eight raw blocks
        Compressor adaptive = Compressor.zstd(1);
        Compressor always = Compressor.zstd(1, 0);
        byte[] dst = new byte[always.maxCompressedLength(src.length)];
        int stored = adaptive.compress(src, src.length, dst);
        assertEquals(src.length + 9 + 3 * 8, stored, "raw frame");
        int compressed = always.compress(src, src.length, dst);
        assertTrue(compressed < src.length * 0.98, "zstd-always compresses what zstd can shrink at all: " + compressed);
        assertTrue(compressed > src.length * (1 - Compressor.Zstd.DEFAULT_MIN_SAVING), "the saving is under an eighth");
        byte[] back = new byte[src.length];
        always.decompress(dst, compressed, back, src.length);
        assertArrayEquals(src, back);
    }

    /**
     * The import compresses from and into direct buffers (its chunks are off-heap, aligned for
     * direct I/O): the same bytes as from arrays, for each codec and both zstd outcomes, and neither
     * buffer's position or limit moves.
     */
    @Test
    void directBuffersCompressToTheSameBytesAsArrays() throws Exception {
        byte[] noisy = noisyFloats(1 << 18);
        byte[] smooth = new byte[1 << 20];
        for (int i = 0; i < smooth.length; i++) {
            smooth[i] = (byte) (i / 4096);
        }
        for (Compressor c : new Compressor[] {Compressor.none(), Compressor.zstd(1), Compressor.zstd(3, 0), Compressor.zlib(1)}) {
            for (byte[] src : new byte[][] {noisy, smooth}) {
                int n = src.length - 5;   // not a whole number of floats or blocks
                byte[] expected = new byte[c.maxCompressedLength(n)];
                int expectedLength = c.compress(src, n, expected);
                java.nio.ByteBuffer in = java.nio.ByteBuffer.allocateDirect(src.length + 8);
                in.put(src).position(3).limit(9);
                java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(c.maxCompressedLength(n));
                out.position(1).limit(2);
                int length = c.compress(in, n, out);
                assertEquals(expectedLength, length, c + ": compressed size");
                byte[] got = new byte[length];
                out.duplicate().clear().get(0, got);
                assertArrayEquals(java.util.Arrays.copyOf(expected, expectedLength), got, c + ": compressed bytes");
                assertEquals(3, in.position());
                assertEquals(9, in.limit());
                assertEquals(1, out.position());
                assertEquals(2, out.limit());
            }
        }
        assertThrows(IllegalStateException.class, () -> Compressor.zstd(1).compress(java.nio.ByteBuffer.allocateDirect(1 << 20), 1 << 20,
                java.nio.ByteBuffer.allocate(Compressor.zstd(1).maxCompressedLength(1 << 20))), "heap and direct mixed");
    }

    /**
     * What the chunk writer stores: the pieces of {@code encode}, one after another, are the bytes
     * {@code compress} gives; a raw frame's content pieces are the source's own bytes, not a copy.
     */
    @Test
    void encodedPiecesAreTheCompressedBytesAndRawFramesReferToTheSource() throws Exception {
        byte[] noisy = noisyFloats(1 << 20); // 4 MB: 32 raw blocks
        byte[] smooth = new byte[1 << 20];
        for (int i = 0; i < smooth.length; i++) {
            smooth[i] = (byte) (i / 4096);
        }
        for (boolean direct : new boolean[] {false, true}) {
            for (Compressor c : new Compressor[] {Compressor.zstd(1), Compressor.zstd(3, 0), Compressor.zlib(1)}) {
                for (byte[] src : new byte[][] {noisy, smooth}) {
                    int n = src.length - 5;
                    byte[] expected = new byte[c.maxCompressedLength(n)];
                    int expectedLength = c.compress(src, n, expected);
                    java.nio.ByteBuffer in = direct ? java.nio.ByteBuffer.allocateDirect(src.length) : java.nio.ByteBuffer.allocate(src.length);
                    in.put(src).position(7).limit(11);
                    java.nio.ByteBuffer scratch = direct ? java.nio.ByteBuffer.allocateDirect(c.maxCompressedLength(n))
                            : java.nio.ByteBuffer.allocate(c.maxCompressedLength(n));
                    java.util.List<Integer> asked = new java.util.ArrayList<>();
                    java.nio.ByteBuffer[] pieces = c.encode(in, n, bytes -> {
                        asked.add(bytes);
                        return scratch;
                    });
                    java.io.ByteArrayOutputStream joined = new java.io.ByteArrayOutputStream();
                    for (java.nio.ByteBuffer piece : pieces) {
                        byte[] b = new byte[piece.remaining()];
                        piece.duplicate().get(b);
                        joined.write(b);
                    }
                    String what = c + (direct ? " direct" : " heap") + (src == noisy ? " noisy" : " smooth");
                    assertArrayEquals(java.util.Arrays.copyOf(expected, expectedLength), joined.toByteArray(), what);
                    assertEquals(7, in.position(), what);
                    assertEquals(11, in.limit(), what);
                    boolean raw = c.equals(Compressor.zstd(1)) && src == noisy;
                    if (raw) {
                        assertTrue(asked.stream().allMatch(b -> b < 64 << 10), what + ": a raw chunk asks for a sample's scratch only: " + asked);
                        int blocks = (n + Compressor.Zstd.RAW_BLOCK_BYTES - 1) / Compressor.Zstd.RAW_BLOCK_BYTES;
                        assertEquals(2 * blocks, pieces.length, what);
                        in.put(0, (byte) ~in.get(0));
                        assertEquals(in.get(0), pieces[1].get(0), what + ": the first block is the source itself");
                    } else {
                        assertEquals(1, pieces.length, what);
                        assertEquals(c.maxCompressedLength(n), asked.get(asked.size() - 1), what + ": compressed into a whole chunk's scratch");
                    }
                }
            }
        }
    }

    @Test
    void savingsOutsideZeroToOneAreRejectedAndTheDefaultIsAnEighth() {
        assertThrows(IllegalArgumentException.class, () -> Compressor.zstd(1, 1.5));
        assertThrows(IllegalArgumentException.class, () -> Compressor.zstd(1, -0.1));
        assertEquals(Compressor.zstd(1), Compressor.zstd(1, Compressor.Zstd.DEFAULT_MIN_SAVING));
    }
}
