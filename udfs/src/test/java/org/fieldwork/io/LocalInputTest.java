package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** A local file's mapped views hold the file's bytes wherever they fall against the windows. */
class LocalInputTest {

    @Test
    void viewsEqualPositionedReadsAcrossWindows(@TempDir Path dir) throws IOException {
        byte[] data = new byte[300_001];
        new SplittableRandom(5).nextBytes(data);
        Path file = dir.resolve("f.bin");
        Files.write(file, data);
        // Windows of 64 KB: views inside one, straddling two, longer than a window, at the very end.
        long[][] ranges = {{0, 10}, {65_530, 20}, {1000, 200_000}, {299_990, 11}, {131_072, 65_536}, {5, 0}};
        try (LocalInput in = new LocalInput(file, 64 << 10)) {
            for (long[] r : ranges) {
                ByteBuffer view = in.view(r[0], (int) r[1]);
                assertTrue(view.isDirect() && view.isReadOnly() || r[1] == 0, "a mapped, read-only view");
                assertEquals(0, view.position());
                assertEquals(r[1], view.remaining());
                byte[] got = new byte[(int) r[1]];
                view.get(got);
                byte[] want = new byte[(int) r[1]];
                in.readFully(r[0], want, 0, want.length);
                assertArrayEquals(want, got, "view at " + r[0]);
                assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) r[0], (int) (r[0] + r[1])), got);
            }
            EOFException past = assertThrows(EOFException.class, () -> in.view(299_990, 12));
            assertTrue(past.getMessage().contains(file.toString()) && past.getMessage().contains("300001"), past.getMessage());
            assertThrows(EOFException.class, () -> in.readFully(299_990, new byte[12], 0, 12));
        }
    }

    @Test
    void storageOpensLocalFilesMapped(@TempDir Path dir) throws IOException {
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
