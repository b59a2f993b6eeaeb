package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not what their header says fail at open, with a message that names the file and the fault. */
class MrcDamagedFileTest {
    @TempDir
    Path dir;

    private IOException openFails(Path file) {
        IOException e = assertThrows(IOException.class, () -> MrcReader.open(Storage.defaults(), file.toString()).close());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        return e;
    }

    @Test
    void truncatedFileSaysWhatIsMissing() throws IOException {
        byte[] whole = MrcWriter.encode(MrcTestData.sections(80, 80, 10), 80, 80, MrcMode.FLOAT32, 1);
        Path file = dir.resolve("cut.mrc");
        Files.write(file, Arrays.copyOf(whole, 1024 + 120000));
        IOException e = openFails(file);
        assertTrue(e.getMessage().contains(": truncated: header says 10 frames of 80x80 float32 (256000 data bytes), file holds 120000"),
                e.getMessage());

        Files.write(file, Arrays.copyOf(whole, whole.length - 1));
        assertTrue(openFails(file).getMessage().contains("file holds 255999"));
    }

    @Test
    void otherFilesAreNotTakenForMrc() throws IOException {
        Path text = dir.resolve("notes.mrc");
        Files.write(text, "a text file, not a map\n".repeat(100).getBytes(StandardCharsets.US_ASCII));
        assertTrue(openFails(text).getMessage().contains("not an MRC file: no 'MAP '"), "says why");

        Path small = dir.resolve("small.mrc");
        Files.write(small, new byte[100]);
        assertTrue(openFails(small).getMessage().contains("not an MRC file: 100 bytes, shorter than the 1024-byte MRC header"));

        Path zeros = dir.resolve("zeros.mrc");
        Files.write(zeros, new byte[4096]);
        assertTrue(openFails(zeros).getMessage().contains("not an MRC file"));
    }

    @Test
    void unsupportedModesAreNamed() throws IOException {
        byte[] file = MrcWriter.encode(MrcTestData.sections(8, 8, 2), 8, 8, MrcMode.INT16, 1);
        Path path = dir.resolve("complex.mrc");
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 3);
        Files.write(path, file);
        String m = openFails(path).getMessage();
        assertTrue(m.contains("MRC mode 3 (complex int16) is not supported"), m);

        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(12, 99);
        Files.write(path, file);
        m = openFails(path).getMessage();
        assertTrue(m.contains("MRC mode 99 (not an MRC2014 mode)") && m.contains("supported modes: 0 int8"), m);
    }

    @Test
    void impossibleDimensionsAndFrameIndices() throws IOException {
        byte[] file = MrcWriter.encode(MrcTestData.sections(8, 8, 2), 8, 8, MrcMode.FLOAT32, 1);
        Path path = dir.resolve("frames.mrc");
        Files.write(path, file);
        try (MrcReader r = MrcReader.open(Storage.defaults(), path.toString())) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> r.frame(2));
            assertTrue(e.getMessage().contains("frame 2 is outside 0..1"), e.getMessage());
        }
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(8, -5);
        Files.write(path, file);
        assertTrue(openFails(path).getMessage().contains("impossible dimensions (nx 8, ny 8, nz -5"));
    }

    @Test
    void extendedHeaderMovesTheData() throws IOException {
        float[] values = MrcTestData.sections(8, 8, 1).get(0);
        byte[] plain = MrcWriter.encode(values, 8, 8, MrcMode.FLOAT32, 1);
        int extra = 130;   // not a multiple of 4: the data start unaligned
        byte[] file = new byte[plain.length + extra];
        System.arraycopy(plain, 0, file, 0, 1024);
        Arrays.fill(file, 1024, 1024 + extra, (byte) 0x7f);
        System.arraycopy(plain, 1024, file, 1024 + extra, plain.length - 1024);
        ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(92, extra);
        Path path = dir.resolve("extended.mrc");
        Files.write(path, file);
        try (MrcReader r = MrcReader.open(Storage.defaults(), path.toString())) {
            assertEquals(1024 + extra, r.header().dataOffset());
            org.junit.jupiter.api.Assertions.assertArrayEquals(values, r.frame(0));
        }
    }
}
