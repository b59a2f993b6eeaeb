package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Synthetic files from {@link Nd2Writer}, read back by the same code that reads the real files:
 * pixel for pixel, metadata as written, loops in the order written, layout as NIS-Elements lays it.
 */
class Nd2RoundTripTest {
    private static final int W = 19;
    private static final int H = 11;

    @TempDir
    Path dir;

    /** A value that differs with every coordinate and spans the whole 16-bit range. */
    static short value(int p, int t, int z, int c, int i) {
        long x = (((long) p * 31 + t) * 31 + z) * 31 + c;
        x = x * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 29;
        return (short) (x >>> 17);
    }

    static Nd2Writer.FrameSource source(int w, int h) {
        return (p, t, z, c) -> {
            short[] s = new short[w * h];
            for (int i = 0; i < s.length; i++) {
                s[i] = value(p, t, z, c, i);
            }
            return s;
        };
    }

    private static void assertPixels(StackReader r, boolean eightBit) throws IOException {
        StackInfo i = r.info();
        float[] plane = new float[i.width() * i.height()];
        for (int p = 0; p < i.positions(); p++) {
            for (int t = 0; t < i.frames(); t++) {
                for (int z = 0; z < i.zSlices(); z++) {
                    for (int c = 0; c < i.channelCount(); c++) {
                        r.read(p, t, z, c, plane);
                        for (int k = 0; k < plane.length; k++) {
                            int want = value(p, t, z, c, k) & (eightBit ? 0xff : 0xffff);
                            if (plane[k] != want) {
                                assertEquals(want, plane[k], "position " + p + " time " + t + " z " + z + " channel "
                                        + c + " pixel " + k);
                            }
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}, row padding {1}, XML metadata {2}")
    @CsvSource({"NONE, 0, false", "ZLIB, 0, false", "NONE, 6, false", "ZLIB, 6, false", "NONE, 6, true", "ZLIB, 0, true"})
    void writesAndReadsBackPixelForPixel(Nd2Writer.Compression compression, int padding, boolean xml) throws IOException {
        Path file = dir.resolve("roundtrip.nd2");
        Nd2Writer writer = Nd2Writer.builder(W, H).rowPadding(padding).channels("Phase", "GFP", "mCherry")
                .positions(3).frames(4).pixelSizeUm(0.65).frameIntervalMs(600_000).firstFrameMs(1234.5)
                .bitsSignificant(12).objective("Plan Apo λ 20x").compression(compression).xmlMetadata(xml).build();
        writer.write(file, source(W, H));

        byte[] head = new byte[64];
        try (SeekableInput in = SeekableInput.local(file)) {
            in.readFully(0, head, 0, head.length);
        }
        Nd2Format format = new Nd2Format();
        assertTrue(format.accepts(file.getFileName().toString(), head));
        try (StackReader r = format.open(SeekableInput.local(file))) {
            assertInstanceOf(Nd2File.class, r, "synthetic files take the same reader as real ones");
            StackInfo i = r.info();
            assertEquals("nd2", i.format());
            assertEquals(W, i.width());
            assertEquals(H, i.height());
            assertEquals(3, i.positions());
            assertEquals(4, i.frames());
            assertEquals(1, i.zSlices());
            assertEquals(List.of("Phase", "GFP", "mCherry"), i.channels());
            assertEquals("uint16", i.pixelType());
            assertEquals(12, i.bitsSignificant());
            assertEquals(0.65, i.pixelSizeUm());
            assertArrayEquals(new double[] {0, 600, 1200, 1800}, i.frameTimesS(), 1e-9);
            assertEquals(xml ? "2.0" : "3.0", i.extra().get("nd2.version"));
            assertEquals(xml ? "XML" : "LV", i.extra().get("metadata"));
            assertEquals(compression == Nd2Writer.Compression.ZLIB ? "zlib" : "none", i.extra().get("compression"));
            assertEquals("12", i.extra().get("sequences"));
            assertEquals("T(4) XY(3)", i.extra().get("loops"));
            assertEquals(padding == 0 ? null : Integer.toString(W * 3 * 2 + padding), i.extra().get("row.bytes"));
            assertEquals("Plan Apo λ 20x", i.extra().get("objective"));
            assertEquals("20", i.extra().get("objective.magnification"));
            assertEquals("Pos0,Pos1,Pos2", i.extra().get("position.names"));
            assertPixels(r, false);
        }
        try (StackReader r = format.open(new PositionedInput(file))) {
            assertPixels(r, false);
        }
    }

    @Test
    void eightBitZStackWithSkippedPoints() throws IOException {
        Path file = dir.resolve("z.nd2");
        // Four points in the position list, of which 0 and 3 were not acquired (pItemValid 0).
        Nd2Writer.builder(W, H).uint8().rowPadding(3).channels("BF", "DAPI").positions(2).skippedPoints(0, 3)
                .frames(2).zSlices(3).frameIntervalMs(5000).build().write(file, source(W, H));
        try (Nd2File r = Nd2File.open(file)) {
            StackInfo i = r.info();
            assertEquals(2, i.positions());
            assertEquals(2, i.frames());
            assertEquals(3, i.zSlices());
            assertEquals("uint8", i.pixelType());
            assertEquals(8, i.bitsSignificant());
            assertEquals("T(2) XY(2) Z(3)", i.extra().get("loops"));
            assertEquals("Pos0,Pos1", i.extra().get("position.names"));
            assertArrayEquals(new double[] {0, 5}, i.frameTimesS(), 1e-9);
            assertEquals(1L * 6 + 0 * 3 + 2, r.sequenceIndex(0, 1, 2));
            assertPixels(r, true);
        }
    }

    @Test
    void loopOrderComesFromTheExperiment() throws IOException {
        for (boolean xml : new boolean[] {false, true}) {
            Path file = dir.resolve("outer" + xml + ".nd2");
            Nd2Writer writer = Nd2Writer.builder(W, H).channels("A").positions(3).frames(2).positionsOutermost(true)
                    .frameIntervalMs(1000).xmlMetadata(xml).build();
            writer.write(file, source(W, H));
            try (Nd2File r = Nd2File.open(file)) {
                assertEquals("XY(3) T(2)", r.info().extra().get("loops"));
                for (int p = 0; p < 3; p++) {
                    for (int t = 0; t < 2; t++) {
                        assertEquals(p * 2L + t, r.sequenceIndex(p, t, 0));
                        assertEquals(writer.acquisitionMs(p, t, 0), r.frameTimestampMs(p * 2L + t));
                    }
                }
                assertArrayEquals(new double[] {0, 1}, r.info().frameTimesS(), 1e-9);
                assertPixels(r, false);
            }
        }
    }

    @Test
    void oneFrameFileHasNoExperimentAndMayLackCalibration() throws IOException {
        Path file = dir.resolve("one.nd2");
        Nd2Writer.builder(W, H).channels("only").pixelSizeUm(Double.NaN).build().write(file, source(W, H));
        try (SeekableInput in = SeekableInput.local(file)) {
            assertNull(Nd2ChunkMap.read(in).entry("ImageMetadataLV!"));
        }
        try (Nd2File r = Nd2File.open(file)) {
            StackInfo i = r.info();
            assertEquals(1, i.positions());
            assertEquals(1, i.frames());
            assertEquals(1, i.zSlices());
            assertEquals("none", i.extra().get("loops"));
            assertTrue(Double.isNaN(i.pixelSizeUm()));
            assertFalse(i.extra().containsKey("objective"));
            assertArrayEquals(new double[] {0}, i.frameTimesS());
            assertPixels(r, false);
        }
    }

    @Test
    void layoutFollowsNisElements() throws IOException {
        Path file = dir.resolve("layout.nd2");
        Nd2Writer writer = Nd2Writer.builder(W, H).channels("A", "B").positions(2).frames(3).build();
        writer.write(file, source(W, H));
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(Nd2ChunkMap.MAGIC, b.getInt(0));
        assertEquals("ND2 FILE SIGNATURE CHUNK NAME01!Ver3.0", new String(bytes, 16, 38, StandardCharsets.ISO_8859_1));
        assertEquals(Nd2ChunkMap.MAP_SIGNATURE, new String(bytes, bytes.length - 40, 32, StandardCharsets.ISO_8859_1));
        try (SeekableInput in = SeekableInput.local(file)) {
            Nd2ChunkMap map = Nd2ChunkMap.read(in);
            List<String> names = new ArrayList<>();
            for (Nd2ChunkMap.Entry e : map.entries()) {
                names.add(e.name());
                assertEquals(0, e.offset() % 4096, e.name() + " starts on a 4096-byte boundary");
                if (e.name().startsWith("ImageDataSeq|")) {
                    assertEquals(4072, b.getInt((int) e.offset() + 4), "image chunks have 4072-byte names");
                    int seq = Integer.parseInt(e.name().substring(13, e.name().length() - 1));
                    int p = seq % 2;
                    int t = seq / 2;
                    assertEquals(writer.acquisitionMs(p, t, 0), b.getDouble((int) e.offset() + 4088));
                    assertEquals(value(p, t, 0, 0, 0), b.getShort((int) e.offset() + 4096), "pixels at chunk + 4096");
                    assertEquals(value(p, t, 0, 1, 0), b.getShort((int) e.offset() + 4098), "channels interleaved");
                }
            }
            assertEquals(List.of("ImageAttributesLV!", "ImageMetadataSeqLV|0!", "ImageMetadataLV!", "ImageCalibrationLV|0!",
                    "ImageTextInfoLV!", "CustomData|AcqTimesCache!", "ImageDataSeq|0!", "ImageDataSeq|1!", "ImageDataSeq|2!",
                    "ImageDataSeq|3!", "ImageDataSeq|4!", "ImageDataSeq|5!"), names);
            assertEquals(4096, map.entry("ImageAttributesLV!").offset());
            // The map chunk's data runs to the end of the file, the trailer included, as in NIS-Elements files.
            long mapOffset = map.mapOffset();
            assertEquals(bytes.length, mapOffset + 16 + b.getInt((int) mapOffset + 4) + b.getLong((int) mapOffset + 8));
            byte[] acq = map.readData(in, map.entry(Nd2File.ACQ_TIMES));
            assertEquals(6 * 8, acq.length);
        }
    }

    @Test
    void channelsOfALosslessFrameReadInAnyOrder() throws IOException {
        Path file = dir.resolve("channels-zlib.nd2");
        Nd2Writer.builder(33, 17).channels("A", "B", "C").positions(2).frames(3).compression(Nd2Writer.Compression.ZLIB)
                .build().write(file, (p, t, z, c) -> {
                    short[] s = new short[33 * 17];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = (short) (i + 100 * p + 1000 * t + 10000 * c);
                    }
                    return s;
                });
        int[][] order = {{0, 1, 2}, {0, 1, 0}, {1, 1, 0}, {0, 1, 1}, {1, 2, 2}, {1, 2, 2}, {0, 0, 0}};
        try (Nd2File r = Nd2File.open(file)) {
            float[] plane = new float[33 * 17];
            for (int[] ptc : order) {
                r.read(ptc[0], ptc[1], 0, ptc[2], plane);
                for (int i = 0; i < plane.length; i++) {
                    assertEquals(i + 100 * ptc[0] + 1000 * ptc[1] + 10000 * ptc[2], plane[i], "p t c " + java.util.Arrays.toString(ptc));
                }
            }
        }
    }

    @Test
    void reads2048SquareUint16FramesOfInterleavedChannels() throws IOException {
        int side = 2048;
        Path file = dir.resolve("big.nd2");
        Nd2Writer.builder(side, side).channels("Phase", "GFP").frames(2).build().write(file, (p, t, z, c) -> {
            short[] s = new short[side * side];
            for (int i = 0; i < s.length; i++) {
                s[i] = (short) (i * 7 + t * 13 + c * 1000);
            }
            return s;
        });
        try (Nd2File r = Nd2File.open(file)) {
            float[] plane = new float[side * side];
            for (int k = 0; k < 8; k++) {
                int t = k % 2;
                int c = (k / 2) % 2;
                r.read(0, t, 0, c, plane);
                for (int i = 0; i < plane.length; i += 4099) {
                    assertEquals((short) (i * 7 + t * 13 + c * 1000) & 0xffff, plane[i]);
                }
            }
        }
    }
}
