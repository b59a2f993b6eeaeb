package org.fieldwork.io.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.EOFException;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The ImageIO stream over a SeekableInput returns the file's bytes wherever reads start, end or cross its window. */
class SeekableImageStreamTest {
    private static final int SIZE = 200_000;

    private static byte[] bytes() {
        byte[] b = new byte[SIZE];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void readsMatchTheFileAcrossWindowsAndLargeReads() throws Exception {
        byte[] file = bytes();
        ByteArrayInput input = new ByteArrayInput("mem://random.bin", file);
        try (SeekableImageStream in = new SeekableImageStream(input)) {
            assertEquals(SIZE, in.length());
            // small reads crossing the 64 KiB window edge, a read larger than the window, backwards seeks
            int[][] reads = {{65_530, 12}, {10, 3}, {65_536, 1}, {1000, 100_000}, {131_070, 5}, {0, 1}, {SIZE - 7, 7}};
            for (int[] r : reads) {
                byte[] got = new byte[r[1]];
                in.seek(r[0]);
                in.readFully(got);
                assertArrayEquals(Arrays.copyOfRange(file, r[0], r[0] + r[1]), got, "bytes " + r[0] + "+" + r[1]);
                assertEquals(r[0] + r[1], in.getStreamPosition());
            }
            in.seek(65_535);
            assertEquals(file[65_535] & 0xff, in.read());
            assertEquals(file[65_536] & 0xff, in.read());
            in.setByteOrder(ByteOrder.LITTLE_ENDIAN);
            in.seek(4);
            assertEquals((file[4] & 0xff) | (file[5] & 0xff) << 8, in.readUnsignedShort());

            in.seek(SIZE - 2);
            byte[] tail = new byte[10];
            assertEquals(2, in.read(tail, 0, 10));
            assertEquals(-1, in.read());
            assertEquals(-1, in.read(tail, 0, 10));
            in.seek(SIZE - 2);
            assertThrows(EOFException.class, () -> in.readFully(new byte[10]));
        }
        assertFalse(input.closed(), "closing the stream leaves the input to its owner");
    }
}
