package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Write then read in every mode: values as each mode's definition stores them, header fields and statistics. */
class MrcRoundTripTest {
    private static final int W = 37;
    private static final int H = 23;
    private static final int N = 3;

    @TempDir
    Path dir;

    /** What a mode stores, from its definition: rint then clamp for integers (no -0), IEEE half for float16. */
    private static float expected(MrcMode mode, float v) {
        return mode == MrcMode.FLOAT32 ? v : 0f + switch (mode) {
            case FLOAT32 -> v;
            case INT8 -> (float) Math.max(-128, Math.min(127, Math.rint(v)));
            case INT16 -> (float) Math.max(-32768, Math.min(32767, Math.rint(v)));
            case UINT16 -> (float) Math.max(0, Math.min(65535, Math.rint(v)));
            case FLOAT16 -> v;   // checked against half precision instead
        };
    }

    private static void assertStored(MrcMode mode, float[] original, float[] read) {
        for (int i = 0; i < original.length; i++) {
            float v = original[i];
            if (mode == MrcMode.FLOAT16) {
                if (Math.abs(v) > 65504) {
                    assertEquals(Math.copySign(Float.POSITIVE_INFINITY, v), read[i], "value " + v);
                } else {
                    // half precision: 11 significant bits, spacing 2^-24 among subnormals
                    double tolerance = Math.max(Math.abs(v) * 0x1p-11, 0x1p-25);
                    assertTrue(Math.abs(read[i] - v) <= tolerance, "value " + v + " read " + read[i]);
                }
            } else {
                assertEquals(expected(mode, v), read[i], "value " + v + " at " + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(MrcMode.class)
    void everyModeRoundTrips(MrcMode mode) throws IOException {
        List<float[]> sections = MrcTestData.sections(W, H, N);
        Path file = dir.resolve("stack.mrcs");
        byte[] bytes = MrcWriter.encode(sections, W, H, mode, 1.35);
        assertEquals(1024 + (long) W * H * N * mode.bytesPerValue(), bytes.length);
        Files.write(file, bytes);
        try (MrcReader r = MrcReader.open(Storage.defaults(), file.toString())) {
            MrcHeader h = r.header();
            assertEquals(mode, h.mode());
            assertEquals(W, r.width());
            assertEquals(H, r.height());
            assertEquals(N, r.frames());
            assertEquals(1.35, r.pixelSizeA(), 1e-6);
            assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder());
            assertEquals(List.of("fieldwork"), h.labels());
            assertEquals(20140, h.nversion());
            assertEquals(0, h.ispg());
            assertEquals(1, h.mz());
            assertEquals(1, h.mapc());
            assertEquals(2, h.mapr());
            assertEquals(3, h.maps());
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double sumSq = 0;
            for (int z = 0; z < N; z++) {
                float[] frame = r.frame(z);
                assertStored(mode, sections.get(z), frame);
                for (float v : frame) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                    sum += v;
                }
            }
            double mean = sum / (W * H * N);
            for (int z = 0; z < N; z++) {
                for (float v : r.frame(z)) {
                    sumSq += (v - mean) * (v - mean);
                }
            }
            if (mode != MrcMode.FLOAT16) {   // float16 overflows to infinity: the statistics are infinite too
                assertEquals(min, h.dmin());
                assertEquals(max, h.dmax());
                assertEquals(mean, h.dmean(), Math.abs(mean) * 1e-6 + 1e-6);
                assertEquals(Math.sqrt(sumSq / (W * H * N)), h.rms(), 1e-4 * Math.sqrt(sumSq / (W * H * N)));
            }
        }
    }

    @Test
    void singleImageAndVolume() throws IOException {
        float[] image = MrcTestData.sections(W, H, 1).get(0);
        MrcHeader single = header(MrcWriter.encode(image, W, H, MrcMode.FLOAT32, 0.5));
        assertEquals(1, single.nz());
        assertEquals(1, single.mz());
        assertEquals(0, single.ispg());
        assertEquals(W * 0.5f, single.cellX());
        assertEquals(0.5f, single.cellZ());

        MrcHeader volume = header(MrcWriter.encode(MrcTestData.sections(W, H, 4), W, H, MrcMode.FLOAT32, 2,
                MrcWriter.Kind.VOLUME));
        assertEquals(4, volume.mz());
        assertEquals(1, volume.ispg());
        assertEquals(8f, volume.cellZ());
        assertEquals(2.0, volume.pixelSizeA());

        assertEquals(0.0, header(MrcWriter.encode(image, W, H, MrcMode.FLOAT32, 0)).pixelSizeA());
    }

    @ParameterizedTest
    @EnumSource(value = MrcMode.class, names = {"FLOAT32", "UINT16", "FLOAT16"})
    void sectionsWrittenOneAtATimeMatchTheWholeFile(MrcMode mode) throws IOException {
        List<float[]> sections = MrcTestData.sections(W, H, N);
        byte[] whole = MrcWriter.encode(sections, W, H, mode, 1.1);

        Path file = dir.resolve("streamed.mrc");
        try (MrcWriter w = MrcWriter.toFile(file, W, H, mode, 1.1, MrcWriter.Kind.IMAGES)) {
            for (float[] s : sections) {
                w.write(s);
            }
            assertTrue(Files.notExists(file), "the file appears only when complete");
        }
        assertArrayEquals(whole, Files.readAllBytes(file));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(file), listing.toList(), "no partial file left behind");
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MrcWriter w = MrcWriter.toStream(out, W, H, N, mode, 1.1, MrcWriter.Kind.IMAGES)) {
            for (float[] s : sections) {
                w.write(s);
            }
        }
        byte[] streamed = out.toByteArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(whole, 1024, whole.length),
                java.util.Arrays.copyOfRange(streamed, 1024, streamed.length));
        MrcHeader h = header(streamed);
        assertTrue(h.dmax() < h.dmin() && h.dmean() < Math.min(h.dmin(), h.dmax()) && h.rms() < 0,
                "statistics marked not determined");
        assertEquals(N, h.nz());
    }

    @Test
    void streamRefusesTheWrongSectionCount() throws IOException {
        float[] s = new float[W * H];
        MrcWriter w = MrcWriter.toStream(new ByteArrayOutputStream(), W, H, 2, MrcMode.FLOAT32, 1, MrcWriter.Kind.IMAGES);
        w.write(s);
        IOException e = assertThrows(IOException.class, w::close);
        assertTrue(e.getMessage().contains("1 of the 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MrcWriter.encode(new float[5], W, H, MrcMode.INT8, 1));

        Path file = dir.resolve("empty.mrc");
        MrcWriter none = MrcWriter.toFile(file, W, H, MrcMode.FLOAT32, 1, MrcWriter.Kind.IMAGES);
        assertThrows(IOException.class, none::close);
        try (var listing = Files.list(dir)) {
            assertEquals(0, listing.count(), "nothing left behind");
        }
    }

    @Test
    void bigEndianHeaderAndDataAreRead() throws IOException {
        List<float[]> sections = MrcTestData.sections(W, H, 2);
        MrcHeader le = MrcWriter.header(W, H, 2, MrcMode.INT16, 1.5, MrcWriter.Kind.IMAGES, null);
        MrcHeader be = new MrcHeader(le.nx(), le.ny(), le.nz(), le.mode(), le.mx(), le.my(), le.mz(), le.cellX(),
                le.cellY(), le.cellZ(), 1, 2, 3, 0, -1, -2, 0, 0, "", 20140, 0, 0, 0, -1, List.of(), ByteOrder.BIG_ENDIAN);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1024 + W * H * 2 * 2).order(ByteOrder.BIG_ENDIAN);
        b.put(be.toBytes());
        for (float[] s : sections) {
            for (float v : s) {
                b.putShort((short) expected(MrcMode.INT16, v));
            }
        }
        Path file = dir.resolve("big.mrc");
        Files.write(file, b.array());
        try (MrcReader r = MrcReader.open(Storage.defaults(), file.toString())) {
            assertEquals(ByteOrder.BIG_ENDIAN, r.header().byteOrder());
            assertEquals(1.5, r.pixelSizeA(), 1e-9);
            assertStored(MrcMode.INT16, sections.get(1), r.frame(1));
        }
    }

    @Test
    void inputWithoutViewsReadsInPiecesAlike() throws IOException {
        int w = 1100;
        int h = 1000;    // 4.4 MB per float32 section: more than one positioned read
        List<float[]> sections = MrcTestData.sections(w, h, 2);
        Path file = dir.resolve("pieces.mrc");
        Files.write(file, MrcWriter.encode(sections, w, h, MrcMode.FLOAT32, 1));
        SeekableInput local = SeekableInput.local(file);
        SeekableInput withoutViews = new SeekableInput() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
                local.readFully(position, buffer, offset, len);
            }

            @Override
            public long length() {
                return local.length();
            }

            @Override
            public String name() {
                return "s3a://bucket/pieces.mrc";
            }

            @Override
            public void close() throws IOException {
                local.close();
            }
        };
        try (MrcReader r = MrcReader.open(withoutViews)) {
            assertEquals("s3a://bucket/pieces.mrc", r.location());
            assertArrayEquals(sections.get(1), r.frame(1));
            assertArrayEquals(sections.get(0), r.frame(0));
        }
    }

    private static MrcHeader header(byte[] file) throws IOException {
        return MrcHeader.parse(java.util.Arrays.copyOf(file, 1024), "test");
    }
}
