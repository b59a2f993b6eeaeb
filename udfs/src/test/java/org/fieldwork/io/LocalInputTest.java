package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A local file's views hold the file's bytes, whatever their size and order, and a file that shrinks is named. */
class LocalInputTest {

    @Test
    void viewsEqualPositionedReads(@TempDir Path dir) throws IOException {
        byte[] data = new byte[3_000_001];
        new SplittableRandom(5).nextBytes(data);
        Path file = dir.resolve("f.bin");
        Files.write(file, data);
        // Small, backwards, larger than the first buffer (it grows), at the very end, empty.
        long[][] ranges = {{0, 10}, {65_530, 20}, {1000, 2_000_000}, {2_999_990, 11}, {131_072, 65_536}, {5, 0}};
        try (LocalInput in = new LocalInput(file)) {
            for (long[] r : ranges) {
                ByteBuffer view = in.view(r[0], (int) r[1]);
                assertTrue(view.isDirect() && view.isReadOnly(), "an off-heap, read-only view");
                assertEquals(0, view.position());
                assertEquals(r[1], view.remaining());
                byte[] got = new byte[(int) r[1]];
                view.get(got);
                byte[] want = new byte[(int) r[1]];
                in.readFully(r[0], want, 0, want.length);
                assertArrayEquals(want, got, "view at " + r[0]);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), got);
            }
            EOFException past = assertThrows(EOFException.class, () -> in.view(2_999_990, 12));
            assertTrue(past.getMessage().contains(file.toString()) && past.getMessage().contains("3000001"), past.getMessage());
            assertThrows(EOFException.class, () -> in.readFully(2_999_990, new byte[12], 0, 12));
        }
    }

    /** A range longer than a view reads whole through readFully (in slices), and has no view. */
    @Test
    void longRangesHaveNoViewAndReadWhole(@TempDir Path dir) throws IOException {
        byte[] data = new byte[LocalInput.MAX_VIEW + (3 << 20)];
        new SplittableRandom(9).nextBytes(data);
        Path file = dir.resolve("long.bin");
        Files.write(file, data);
        try (LocalInput in = new LocalInput(file)) {
            assertNull(in.view(0, LocalInput.MAX_VIEW + 1));
            byte[] whole = new byte[data.length - 5];
            in.readFully(5, whole, 0, whole.length);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 5, data.length), whole);
            ByteBuffer longest = in.view(3, LocalInput.MAX_VIEW);
            byte[] got = new byte[LocalInput.MAX_VIEW];
            longest.get(got);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 3, 3 + LocalInput.MAX_VIEW), got);
        }
    }

    @Test
    void aFileThatShrinksWhileReadIsNamed(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("s.bin");
        Files.write(file, new byte[100_000]);
        try (LocalInput in = new LocalInput(file)) {
            in.view(0, 50_000);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(60_000);
            }
            EOFException e = assertThrows(EOFException.class, () -> in.view(40_000, 50_000));
            assertTrue(e.getMessage().startsWith(file + ": the file ends at byte 60000 though it had 100000 bytes"), e.getMessage());
            EOFException r = assertThrows(EOFException.class, () -> in.readFully(40_000, new byte[50_000], 0, 50_000));
            assertTrue(r.getMessage().contains("changed"), r.getMessage());
        }
    }

    @Test
    void inputsOpenAtOnceOnOneThreadKeepTheirOwnViews(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a.bin");
        Path b = dir.resolve("b.bin");
        Files.write(a, new byte[] {1, 1, 1, 1});
        Files.write(b, new byte[] {2, 2, 2, 2});
        try (LocalInput in = new LocalInput(a)) {
            in.view(0, 4); // leaves its buffer to the thread's next input
        }
        try (LocalInput x = new LocalInput(a); LocalInput y = new LocalInput(b)) {
            ByteBuffer vx = x.view(0, 4);
            ByteBuffer vy = y.view(0, 4);
            assertEquals(1, vx.get(3), "the first input's view is not overwritten by the second's read");
            assertEquals(2, vy.get(3));
        }
    }

    @Test
    void storageOpensLocalFilesWithViews(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("g.bin");
        Files.write(file, new byte[] {1, 2, 3, 4, 5});
        try (SeekableInput in = Storage.defaults().openInput(file.toString())) {
            ByteBuffer v = in.view(1, 3);
            assertFalse(v == null, "local files have views");
            assertEquals(2, v.get(0));
            assertEquals(4, v.get(2));
        }
    }
}
