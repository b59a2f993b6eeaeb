package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.nio.file.ExtendedOpenOption;

/** Large local files go around the page cache where the file system allows, and are exact either way. */
class DirectWriteTest {

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    /** Whether this folder's file system opens files with O_DIRECT at all (tmpfs does not). */
    private static boolean supportsDirect(Path folder) throws IOException {
        Path probe = folder.resolve("probe");
        try (FileChannel ignored = FileChannel.open(probe, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            Files.deleteIfExists(probe);
        }
    }

    private static List<String> names(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * The import's chunks come as direct buffers, aligned to 4 KB or not: the file holds exactly the
     * bytes between position and limit, and the buffer's position and limit are left as they were.
     */
    @Test
    void directBuffersAreWrittenExactlyWhetherAlignedOrNot(@TempDir Path dir) throws IOException {
        boolean direct = supportsDirect(dir);
        byte[] data = bytes(3 * 1024 * 1024 + 777, 4);
        java.nio.ByteBuffer aligned = java.nio.ByteBuffer.allocateDirect(data.length + 3 * 4096).alignedSlice(4096);
        aligned.put(data).flip();
        java.nio.ByteBuffer unaligned = java.nio.ByteBuffer.allocateDirect(data.length + 3 * 4096).alignedSlice(4096);
        unaligned.position(5).put(data).flip().position(5);
        for (java.nio.ByteBuffer b : List.of(aligned, unaligned)) {
            int position = b.position();
            Path target = dir.resolve("chunk-" + position);
            assertEquals(direct, DirectWrite.write(target, b), "direct I/O where the file system has it, position " + position);
            if (direct) {
                assertArrayEquals(data, Files.readAllBytes(target), "position " + position);
            }
            assertEquals(position, b.position());
            assertEquals(position + data.length, b.limit());
            OutputFiles.writeLocal(dir.resolve("renamed-" + position), b, true);
            assertArrayEquals(data, Files.readAllBytes(dir.resolve("renamed-" + position)), "position " + position);
        }
    }

    /**
     * A raw zstd frame arrives as headers between slices of the chunk: the file holds the pieces in
     * order, across block and aligned-buffer boundaries, empty pieces included, and none moves.
     */
    @Test
    void piecesAreWrittenInOrderAcrossBlockAndBufferBoundaries(@TempDir Path dir) throws IOException {
        boolean direct = supportsDirect(dir);
        int[] sizes = {9, 3, 4093, 0, 131_072, 3, 9 * 1024 * 1024, 1, 0, 8 * 1024 * 1024 - 4097, 3, 5555};
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        java.nio.ByteBuffer[] pieces = new java.nio.ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = bytes(sizes[i], 10 + i);
            all.write(b);
            pieces[i] = i % 2 == 0 ? java.nio.ByteBuffer.allocateDirect(sizes[i] + 2).position(1).limit(1 + sizes[i]) : java.nio.ByteBuffer.wrap(b);
            if (i % 2 == 0) {
                pieces[i].duplicate().put(b);
            }
        }
        byte[] expected = all.toByteArray();
        assertEquals(direct, DirectWrite.write(dir.resolve("direct"), pieces));
        if (direct) {
            assertArrayEquals(expected, Files.readAllBytes(dir.resolve("direct")));
        }
        OutputFiles.writeLocal(dir.resolve("bulk"), pieces, true);
        OutputFiles.writeLocal(dir.resolve("buffered"), pieces, false);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("bulk")));
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("buffered")));
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(i % 2 == 0 ? 1 : 0, pieces[i].position(), "piece " + i);
            assertEquals(pieces[i].position() + sizes[i], pieces[i].limit(), "piece " + i);
        }
    }

    @Test
    void largeFilesAreExactToTheLastUnalignedByte(@TempDir Path dir) throws IOException {
        boolean direct = supportsDirect(dir);
        // Not a multiple of the 4096-byte block, longer than one 8 MiB piece, and a buffer longer
        // than the length written.
        byte[] data = bytes(17 * 1024 * 1024 + 1234 + 100, 1);
        int length = data.length - 100;
        Path target = dir.resolve("chunk");
        OutputFiles.writeLocal(target, data, length, true);
        assertArrayEquals(java.util.Arrays.copyOf(data, length), Files.readAllBytes(target));
        assertEquals(List.of("chunk"), names(dir), "no temporary or padded leftovers");

        // Replacing it with a shorter one leaves exactly the new bytes.
        byte[] smaller = bytes(DirectWrite.MIN_BYTES + 7, 2);
        OutputFiles.writeLocal(target, smaller, smaller.length, true);
        assertArrayEquals(smaller, Files.readAllBytes(target));
        assertEquals(List.of("chunk"), names(dir));

        // A whole number of blocks: no partial last block to write separately.
        byte[] blocks = bytes(2 * DirectWrite.MIN_BYTES, 3);
        OutputFiles.writeLocal(target, blocks, blocks.length, true);
        assertArrayEquals(blocks, Files.readAllBytes(target));

        Path other = dir.resolve("other");
        assertEquals(direct, DirectWrite.write(other, data, length), "direct I/O used exactly where the file system has it");
        if (direct) {
            assertArrayEquals(java.util.Arrays.copyOf(data, length), Files.readAllBytes(other));
        } else {
            assertFalse(Files.exists(other), "a refused direct write leaves nothing behind");
        }
    }

    @Test
    void smallFilesAndFileSystemsWithoutDirectIoAreWrittenBuffered(@TempDir Path dir) throws IOException {
        byte[] small = bytes(DirectWrite.MIN_BYTES - 1, 3);
        assertFalse(DirectWrite.write(dir.resolve("small"), small, small.length));
        assertFalse(Files.exists(dir.resolve("small")));

        // A folder whose file system refused: the bulk write goes buffered, exactly, and leaves one file.
        Path refused = Files.createDirectories(dir.resolve("refused"));
        DirectWrite.refuse(refused);
        byte[] big = bytes(2 * 1024 * 1024 + 5, 5);
        assertFalse(DirectWrite.write(refused.resolve("x"), big, big.length));
        assertFalse(Files.exists(refused.resolve("x")));
        OutputFiles.writeLocal(refused.resolve("chunk"), big, big.length, true);
        assertArrayEquals(big, Files.readAllBytes(refused.resolve("chunk")));
        assertEquals(List.of("chunk"), names(refused));

        // Where O_DIRECT is refused for real (tmpfs before Linux 6.6), the same holds.
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm) && !supportsDirect(shm)) {
            Path folder = Files.createTempDirectory(shm, "fieldwork-direct-");
            try {
                byte[] data = bytes(2 * 1024 * 1024 + 3, 4);
                Path target = folder.resolve("chunk");
                OutputFiles.writeLocal(target, data, data.length, true);
                assertArrayEquals(data, Files.readAllBytes(target));
                assertEquals(List.of("chunk"), names(folder));
                // Remembered: the next file in that folder does not try again.
                assertFalse(DirectWrite.write(folder.resolve("next"), data, data.length));
                assertFalse(Files.exists(folder.resolve("next")));
            } finally {
                try (Stream<Path> s = Files.list(folder)) {
                    for (Path p : s.toList()) {
                        Files.delete(p);
                    }
                }
                Files.delete(folder);
            }
        }
    }
}
