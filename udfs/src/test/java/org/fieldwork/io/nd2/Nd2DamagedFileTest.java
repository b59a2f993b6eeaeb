package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.fieldwork.io.SeekableInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated and corrupt files fail with an {@link Nd2FormatException} that names the file and says
 * what is wrong; a file whose map survived but whose last frame is cut still gives its good frames.
 */
class Nd2DamagedFileTest {
    private static final int W = 24;
    private static final int H = 16;

    @TempDir
    Path dir;
    private byte[] good;
    private Nd2ChunkMap map;

    @BeforeEach
    void writeGoodFile() throws IOException {
        good = write(Nd2Writer.Compression.NONE, "good.nd2");
    }

    /** Two channels, two positions, three time points: six frames, frame N = time * 2 + position. */
    private byte[] write(Nd2Writer.Compression compression, String name) throws IOException {
        Path file = dir.resolve(name);
        Nd2Writer.builder(W, H).channels("Phase", "GFP").positions(2).frames(3).compression(compression).build()
                .write(file, Nd2RoundTripTest.source(W, H));
        try (SeekableInput in = SeekableInput.local(file)) {
            map = Nd2ChunkMap.read(in);
        }
        return Files.readAllBytes(file);
    }

    private Path save(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static Nd2FormatException openFails(Path file) {
        Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> Nd2File.open(file).close());
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), "names the file: " + e.getMessage());
        return e;
    }

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' in: " + message);
        }
    }

    /** {@code prefix}, then at once a map chunk listing {@code entries}, then the trailer. */
    private static byte[] withMap(byte[] prefix, List<Nd2ChunkMap.Entry> entries) {
        long mapOffset = prefix.length;
        byte[] list = Nd2ChunkMap.encode(entries, mapOffset);
        int dataLen = list.length + Nd2ChunkMap.TRAILER;
        ByteBuffer b = ByteBuffer.allocate((int) mapOffset + 16 + 32 + dataLen).order(ByteOrder.LITTLE_ENDIAN);
        b.put(prefix).position((int) mapOffset);
        b.putInt(Nd2ChunkMap.MAGIC).putInt(32).putLong(dataLen);
        b.put(Nd2ChunkMap.MAP_CHUNK.getBytes(StandardCharsets.ISO_8859_1)).put(list);
        b.put(Nd2ChunkMap.MAP_SIGNATURE.getBytes(StandardCharsets.ISO_8859_1)).putLong(mapOffset);
        return b.array();
    }

    private List<Nd2ChunkMap.Entry> entries() {
        return new ArrayList<>(map.entries());
    }

    @Test
    void fileCutInTheFrames() throws IOException {
        long cut = map.entry("ImageDataSeq|3!").offset() + 5000;
        Path file = save("cut-frames.nd2", Arrays.copyOf(good, (int) cut));
        assertContains(openFails(file).getMessage(), "truncated", "chunk map signature", "file " + cut + " bytes");

        PositionedInput in = new PositionedInput(file);
        assertThrows(Nd2FormatException.class, () -> new Nd2Format().open(in));
        assertTrue(in.closed, "the format closes the input it was given when opening fails");
    }

    @Test
    void fileCutInTheChunkMap() throws IOException {
        long mapOffset = map.mapOffset();
        byte[] trailer = Arrays.copyOfRange(good, good.length - 40, good.length);

        Path plain = save("cut-map.nd2", Arrays.copyOf(good, (int) mapOffset + 100));
        assertContains(openFails(plain).getMessage(), "truncated or unfinished");

        // A copy that kept the trailer (the last bytes fetched first) but lost part of the map.
        byte[] inMap = Arrays.copyOf(good, (int) mapOffset + 100 + 40);
        System.arraycopy(trailer, 0, inMap, inMap.length - 40, 40);
        assertContains(openFails(save("cut-in-map.nd2", inMap)).getMessage(),
                "truncated: the chunk map (offset " + mapOffset, "runs past the end of the file (" + inMap.length + " bytes)");

        byte[] beforeMap = Arrays.copyOf(good, (int) mapOffset - 100 + 40);
        System.arraycopy(trailer, 0, beforeMap, beforeMap.length - 40, 40);
        assertContains(openFails(save("cut-before-map.nd2", beforeMap)).getMessage(),
                "truncated: chunk map points past the end of the file (offset " + mapOffset + ", file "
                        + beforeMap.length + " bytes)");
    }

    @Test
    void corruptChunkMaps() throws IOException {
        long mapOffset = map.mapOffset();
        int entriesAt = (int) mapOffset + 16 + 32;

        byte[] badName = good.clone();
        int at = indexOf(badName, "ImageDataSeq|1!", entriesAt);
        badName[at + 3] = 1;
        assertContains(openFails(save("bad-name.nd2", badName)).getMessage(), "corrupt chunk map: entry", "not a chunk name");

        byte[] noEnd = withMap(Arrays.copyOf(good, (int) mapOffset), entries());
        int sig = indexOf(noEnd, Nd2ChunkMap.MAP_SIGNATURE, entriesAt);
        // Drop the signature that ends the list (and what follows it), keeping the file's trailer.
        byte[] listOnly = new byte[noEnd.length - (noEnd.length - 40 - sig)];
        System.arraycopy(noEnd, 0, listOnly, 0, sig);
        System.arraycopy(noEnd, noEnd.length - 40, listOnly, sig, 40);
        ByteBuffer.wrap(listOnly).order(ByteOrder.LITTLE_ENDIAN).putLong((int) mapOffset + 8, sig - entriesAt);
        assertContains(openFails(save("no-end.nd2", listOnly)).getMessage(), "corrupt chunk map");

        byte[] nowhere = good.clone();
        ByteBuffer.wrap(nowhere).order(ByteOrder.LITTLE_ENDIAN).putLong(nowhere.length - 8, 4100);
        assertContains(openFails(save("nowhere.nd2", nowhere)).getMessage(), "corrupt chunk map: no chunk at offset 4100");

        byte[] wrongChunk = good.clone();
        ByteBuffer.wrap(wrongChunk).order(ByteOrder.LITTLE_ENDIAN).putLong(wrongChunk.length - 8, 4096);
        assertContains(openFails(save("wrong-chunk.nd2", wrongChunk)).getMessage(),
                "corrupt chunk map: the chunk at offset 4096 is 'ImageAttributesLV!'");
    }

    @Test
    void entriesThatPointAtTheWrongChunkFailWhenUsed() throws IOException {
        List<Nd2ChunkMap.Entry> swapped = new ArrayList<>();
        Nd2ChunkMap.Entry one = map.entry("ImageDataSeq|1!");
        Nd2ChunkMap.Entry two = map.entry("ImageDataSeq|2!");
        for (Nd2ChunkMap.Entry e : map.entries()) {
            if (e.equals(one)) {
                swapped.add(new Nd2ChunkMap.Entry(e.name(), two.offset(), two.size()));
            } else if (e.equals(two)) {
                swapped.add(new Nd2ChunkMap.Entry(e.name(), one.offset(), one.size()));
            } else {
                swapped.add(e);
            }
        }
        Path file = save("swapped.nd2", withMap(Arrays.copyOf(good, (int) map.mapOffset()), swapped));
        try (Nd2File f = Nd2File.open(file)) {
            float[] plane = new float[W * H];
            f.read(0, 0, 0, 0, plane);
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(1, 0, 0, 0, plane));
            assertContains(e.getMessage(), file.toString(), "frame (position 1, time 0)",
                    "entry ImageDataSeq|1! points at offset " + two.offset() + ", where the chunk is named 'ImageDataSeq|2!'");
        }
    }

    @Test
    void lastFrameCutWithTheMapIntactGivesTheGoodFrames() throws IOException {
        Nd2ChunkMap.Entry last = map.entry("ImageDataSeq|5!");
        int cut = (int) (last.offset() + 4096 + (last.size() - 8) / 2);
        Path file = save("last-cut.nd2", withMap(Arrays.copyOf(good, cut), entries()));
        try (Nd2File f = Nd2File.open(file)) {
            float[] plane = new float[W * H];
            for (int n = 0; n < 5; n++) {
                f.read(n % 2, n / 2, 0, 1, plane);
                assertEquals(Nd2RoundTripTest.value(n % 2, n / 2, 0, 1, 7) & 0xffff, plane[7]);
            }
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(1, 2, 0, 0, plane));
            assertContains(e.getMessage(), file.toString(), "frame (position 1, time 2) is unreadable",
                    "chunk ImageDataSeq|5! is cut", "the next chunk starts at offset");
        }

        // The same frame listed past the end of the file.
        List<Nd2ChunkMap.Entry> beyond = entries();
        beyond.replaceAll(e -> e.equals(last) ? new Nd2ChunkMap.Entry(e.name(), 1L << 40, e.size()) : e);
        Path far = save("last-beyond.nd2", withMap(Arrays.copyOf(good, (int) last.offset()), beyond));
        try (Nd2File f = Nd2File.open(far)) {
            float[] plane = new float[W * H];
            f.read(0, 2, 0, 0, plane);
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(1, 2, 0, 0, plane));
            assertContains(e.getMessage(), far.toString(), "frame (position 1, time 2) is unreadable",
                    "truncated: chunk ImageDataSeq|5! is at offset " + (1L << 40) + ", past the end of the file");
        }
    }

    @Test
    void missingFrameChunk() throws IOException {
        List<Nd2ChunkMap.Entry> without = entries();
        without.removeIf(e -> e.name().equals("ImageDataSeq|3!"));
        Path file = save("missing.nd2", withMap(Arrays.copyOf(good, (int) map.mapOffset()), without));
        try (Nd2File f = Nd2File.open(file)) {
            float[] plane = new float[W * H];
            f.read(0, 1, 0, 0, plane);
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(1, 1, 0, 0, plane));
            assertEquals(file + ": frame (position 1, time 1) is missing: no chunk ImageDataSeq|3!", e.getMessage());
        }
    }

    @Test
    void damagedFrameChunks() throws IOException {
        byte[] noMagic = good.clone();
        int at = (int) map.entry("ImageDataSeq|4!").offset();
        noMagic[at] = 0;
        Path file = save("no-magic.nd2", noMagic);
        try (Nd2File f = Nd2File.open(file)) {
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(0, 2, 0, 0, new float[W * H]));
            assertContains(e.getMessage(), file.toString(), "frame (position 0, time 2) is unreadable",
                    "no chunk magic at offset " + at);
        }

        byte[] zlib = write(Nd2Writer.Compression.ZLIB, "zlib.nd2");
        int data = (int) map.entry("ImageDataSeq|2!").offset() + 4096;
        Arrays.fill(zlib, data, data + 8, (byte) 0x55);
        Path broken = save("bad-zlib.nd2", zlib);
        try (Nd2File f = Nd2File.open(broken)) {
            float[] plane = new float[W * H];
            f.read(1, 0, 0, 0, plane);
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> f.read(0, 1, 0, 0, plane));
            assertContains(e.getMessage(), broken.toString(), "frame (position 0, time 1) is corrupt",
                    "chunk ImageDataSeq|2! does not hold zlib data");
        }
    }

    @Test
    void damagedMetadataAndOtherFiles() throws IOException {
        byte[] attrs = good.clone();
        int at = (int) map.entry("ImageAttributesLV!").offset();
        int nameLen = ByteBuffer.wrap(attrs).order(ByteOrder.LITTLE_ENDIAN).getInt(at + 4);
        // The root level claims more bytes than the chunk holds.
        ByteBuffer.wrap(attrs).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 16 + nameLen + 2 + 38 + 4, 1 << 20);
        assertContains(openFails(save("bad-attrs.nd2", attrs)).getMessage(),
                "corrupt metadata in chunk ImageAttributesLV! at byte 0", "level 'SLxImageAttributes'");

        byte[] noise = new byte[20_000];
        new SplittableRandom(3).nextBytes(noise);
        noise[0] = 0;
        assertContains(openFails(save("noise.nd2", noise)).getMessage(), "not an ND2 file");
        assertFalse(new Nd2Format().accepts("noise.nd2", Arrays.copyOf(noise, 64)));
        assertFalse(new Nd2Format().accepts("x.nd2", new byte[] {0, 0, 0, 0x0C, 0x6A, 0x50, 0x20, 0x20}),
                "a JPEG 2000 signature cut short is not taken for a legacy ND2");
        assertFalse(new Nd2Format().accepts("tiny.nd2", new byte[] {(byte) 0xDA}));
        assertContains(openFails(save("short.nd2", Arrays.copyOf(good, 30))).getMessage(), "truncated");
    }

    private static int indexOf(byte[] hay, String needle, int from) {
        byte[] n = needle.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = from; i <= hay.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (hay[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }
}
