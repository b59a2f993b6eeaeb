package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFilesTest {
    @Test
    void abandonedTemporariesAreRemovedAndNothingElse(@TempDir Path dir) throws Exception {
        OutputFiles files = new OutputFiles(Storage.defaults());
        OutputFiles.writeLocal(dir.resolve("0.0"), new byte[] {1, 2, 3}, 3);
        Files.write(dir.resolve(".zarray"), new byte[] {4});
        Files.write(dir.resolve("partial"), new byte[] {5}); // a chunk may have any name; only the rule's are temporaries
        // What a process killed between the write and the rename leaves.
        Files.write(dir.resolve(OutputFiles.temporaryName("1.0")), new byte[8192]);
        Files.write(dir.resolve(OutputFiles.temporaryName("2.0")), new byte[0]);

        assertEquals(2, files.removeAbandonedTemporaries(dir.toString()));
        assertEquals(List.of(".zarray", "0.0", "partial"), files.list(dir.toString()));
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("0.0")));
        assertEquals(0, files.removeAbandonedTemporaries(dir.toString()));
        assertEquals(0, files.removeAbandonedTemporaries(dir.resolve("absent").toString()));
    }

    /** A buffer's remaining bytes, heap or direct, become the whole file; the buffer is left as it was. */
    @Test
    void buffersAreWrittenAtomicallyFromTheirRemainingBytes(@TempDir Path dir) throws Exception {
        OutputFiles files = new OutputFiles(Storage.defaults());
        byte[] bytes = new byte[(1 << 20) + 3];
        new java.util.Random(5).nextBytes(bytes);
        for (java.nio.ByteBuffer b : List.of(java.nio.ByteBuffer.allocate(bytes.length + 10),
                OffHeap.allocate(bytes.length + 10))) {
            b.put(7, bytes).position(7).limit(7 + bytes.length);
            Path file = dir.resolve(b.isDirect() ? "sub/direct.f32" : "sub/heap.f32");
            files.writeAtomically(file.toString(), b);
            assertArrayEquals(bytes, Files.readAllBytes(file));
            assertEquals(7, b.position());
            assertEquals(7 + bytes.length, b.limit());
        }
        assertEquals(List.of("direct.f32", "heap.f32"), files.list(dir.resolve("sub").toString()), "no temporaries left");
    }

    /** Whole files read into arrays and into heap and direct buffers, in slices larger files need. */
    @Test
    void wholeFilesReadIntoArraysAndBuffers(@TempDir Path dir) throws Exception {
        OutputFiles files = new OutputFiles(Storage.defaults());
        byte[] bytes = new byte[(1 << 20) + 17];
        new java.util.Random(3).nextBytes(bytes);
        Path file = dir.resolve("piece.f32");
        Files.write(file, bytes);
        assertArrayEquals(bytes, files.read(file.toString()));
        assertArrayEquals(new byte[0], files.read(Files.write(dir.resolve("empty"), new byte[0]).toString()));

        for (java.nio.ByteBuffer into : List.of(java.nio.ByteBuffer.allocate(bytes.length + 100),
                java.nio.ByteBuffer.allocateDirect(bytes.length + 100))) {
            into.position(60);
            assertEquals(bytes.length, files.readInto(file.toString(), into));
            assertEquals(60 + bytes.length, into.position());
            assertEquals(bytes.length + 100, into.limit(), "the limit is left as it was");
            byte[] back = new byte[bytes.length];
            into.get(60, back);
            assertArrayEquals(bytes, back);
        }
        java.nio.ByteBuffer small = java.nio.ByteBuffer.allocateDirect(bytes.length - 1);
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> files.readInto(file.toString(), small));
        assertTrue(e.getMessage().contains("piece.f32") && e.getMessage().contains(String.valueOf(bytes.length)), e.getMessage());
    }
}
