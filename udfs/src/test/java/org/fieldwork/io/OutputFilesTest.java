package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
