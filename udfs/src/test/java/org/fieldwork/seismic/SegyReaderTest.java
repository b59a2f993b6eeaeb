package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.fieldwork.io.Storage;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegyReaderTest {

    @Test
    void userMappingsAndSelectedFieldsDecode() throws IOException {
        Path file = SharedData.require("segy/small.sgy");
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            SegyLayout layout = reader.layout();
            assertEquals(25, layout.traceCount());
            assertEquals(50, layout.samplesPerTrace());
            assertEquals(4000, layout.sampleInterval());
            assertEquals(SampleFormat.IBM_FLOAT32, layout.sampleFormat());
            assertEquals(3600, layout.firstTraceOffset());
            assertEquals(440, layout.traceSize());
            assertTrue(layout.textHeader().startsWith("C 1 DATE: 2016-09-19"));
            HeaderField inline = HeaderField.mapping(189, 4);
            HeaderField crossLow = HeaderField.mapping(195, 2);
            TraceBlock all = TraceBlock.allFields(25, 50);
            TraceBlock some = new TraceBlock(5, 50, List.of(inline, crossLow));
            reader.read(0, 25, all);
            for (int first = 0; first < 25; first += 5) {
                reader.read(first, 5, some);
                assertEquals(first, some.firstTrace());
                for (int t = 0; t < 5; t++) {
                    assertEquals(all.column(TraceField.INLINE_3D)[first + t], some.column(inline)[t]);
                    assertEquals(all.column(TraceField.CROSSLINE_3D)[first + t], some.column(crossLow)[t]); // small values
                }
                assertArrayEquals(Arrays.copyOfRange(all.samples(), first * 50, (first + 5) * 50), Arrays.copyOf(some.samples(), 250));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> reader.read(20, 6, all));
        }
    }

    /**
     * A local file cut short while a task reads it (a re-export overwriting it) must give an
     * IOException naming the file and saying it changed, and traces still in the file still read.
     */
    @Test
    void aFileTruncatedWhileReadFailsWithItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("shrinking.sgy");
        new SyntheticSegy(2000, 500, 5, 20, SampleFormat.IBM_FLOAT32, 3).write(file);
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            TraceBlock block = TraceBlock.allFields(100, 500);
            java.nio.ByteBuffer out = java.nio.ByteBuffer.allocateDirect(100 * 500 * 4).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            reader.readEncoded(0, 100, block, out, 0);
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(reader.layout().traceOffset(1000));
            }
            reader.readEncoded(100, 100, block, out, 0);
            IOException e = assertThrows(IOException.class, () -> reader.readEncoded(1900, 100, block, out, 0));
            assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("changed"), e.getMessage());
        }
    }

    @Test
    void truncatedFileNamesFileAndSizes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.sgy");
        int[] words = new int[10 * 100];
        Arrays.fill(words, 0x41100000);
        byte[] whole = SegyTestFiles.ibmFile(words, 100, ByteOrder.BIG_ENDIAN);
        Files.write(file, Arrays.copyOf(whole, whole.length - 17));
        SegyFormatException e = assertThrows(SegyFormatException.class, () -> SegyReader.open(Storage.defaults(), file.toString()));
        assertTrue(e.getMessage().contains("cut.sgy"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + whole.length), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + (whole.length - 17)), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    /**
     * Revision 2: ns from byte 3269, an extended stanza, one extra trace header per trace and the
     * first trace at the offset stored in bytes 3521-3528 (past a gap); little-endian, int24 samples.
     */
    @Test
    void revisionTwoLayout(@TempDir Path dir) throws IOException {
        int ns = 300;
        int traces = 9;
        int first = 3600 + 3200 + 123;
        int traceSize = 480 + 3 * ns;
        byte[] bytes = SegyTestFiles.fileHeader(7, 7, 1000, ByteOrder.LITTLE_ENDIAN);
        bytes = Arrays.copyOf(bytes, first + traces * traceSize);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        bytes[3500] = 2;
        bytes[3501] = 0;
        b.putInt(3268, ns);
        b.putShort(3504, (short) 1);
        b.putShort(3506, (short) 1);
        b.putLong(3520, first);
        byte[] stanza = ("((SEG: EndText))" + " ".repeat(3200 - 16)).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(stanza, 0, bytes, 3600, 3200);
        for (int t = 0; t < traces; t++) {
            int at = first + t * traceSize;
            SegyTestFiles.traceHeader(b, at, t + 1, 40 + t / 3, 0, ns, 1000);
            b.putInt(at + 240, 0x7777); // the extra header must not be taken for samples
            for (int i = 0; i < ns; i++) {
                int v = (t * 1000 + i) * (i % 2 == 0 ? 1 : -1);
                int p = at + 480 + 3 * i;
                bytes[p] = (byte) v;
                bytes[p + 1] = (byte) (v >> 8);
                bytes[p + 2] = (byte) (v >> 16);
            }
        }
        Path file = dir.resolve("rev2.sgy");
        Files.write(file, bytes);
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            SegyLayout layout = reader.layout();
            assertEquals(false, layout.bigEndian());
            assertEquals(2, layout.revisionMajor());
            assertEquals(ns, layout.samplesPerTrace());
            assertEquals(1, layout.extraTraceHeaders());
            assertEquals(first, layout.firstTraceOffset());
            assertEquals(traceSize, layout.traceSize());
            assertEquals(traces, layout.traceCount());
            assertEquals(List.of(new String(stanza, java.nio.charset.StandardCharsets.US_ASCII)), layout.extendedTextHeaders());
            assertEquals((long) first, layout.binaryHeader().get("FirstTraceOffset"));
            TraceBlock block = TraceBlock.allFields(4, ns);
            for (int t0 = 0; t0 < traces; t0 += 4) {
                int count = Math.min(4, traces - t0);
                reader.read(t0, count, block);
                for (int t = 0; t < count; t++) {
                    assertEquals(40 + (t0 + t) / 3, block.column(TraceField.FieldRecord)[t]);
                    for (int i = 0; i < ns; i++) {
                        assertEquals(((t0 + t) * 1000 + i) * (i % 2 == 0 ? 1 : -1), block.samples()[t * ns + i]);
                    }
                }
            }
            String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(layout);
            assertTrue(json.contains("\"byteOrder\"") || json.contains("\"bigEndian\":false"), json);
            assertTrue(json.contains("\"FirstTraceOffset\":" + first), json);
        }
    }

    /** Keys of traces too long to read in one span come from one small read per trace. */
    @Test
    void keysOfLongTracesAreReadAlone() throws IOException {
        long traces = 200_000;
        GeneratedSegyInput input = new GeneratedSegyInput(GeneratedSegyInput.randomGathers(traces, 50, 300, 11), traces, 60_000);
        try (SegyReader reader = SegyReader.open(input)) {
            long served = input.bytesServed;
            GatherPlan plan = new GatherPartitioner(16, EnsembleKey.of(TraceField.FieldRecord), 200, 0).plan(reader);
            assertEquals(16, plan.segments().size());
            assertTrue(plan.gatherAligned());
            assertEquals(plan.headersRead() * 4, input.bytesServed - served, "4 bytes per key read");
            long[] keys = new long[5];
            reader.readKeys(1000, 5, TraceField.FieldRecord.asHeaderField(), keys, 0);
            for (int i = 0; i < 5; i++) {
                assertEquals(input.gatherOf(1000 + i), keys[i]);
            }
        }
    }

    /** Not a pass/fail benchmark: prints one-core IBM conversion and whole-block read speed. */
    @Test
    void throughput(@TempDir Path dir) throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        int n = 16 << 20; // 64 MB of samples
        byte[] src = new byte[4 * n];
        ByteBuffer bb = ByteBuffer.wrap(src);
        for (int i = 0; i < n; i++) {
            // realistic amplitudes: normalised IBM numbers of either sign
            bb.putInt(4 * i, (random.nextBoolean() ? 0x80000000 : 0) | (0x3c + random.nextInt(10)) << 24 | 0x100000 + random.nextInt(0xf00000));
        }
        float[] dst = new float[n];
        double best = 0;
        for (int round = 0; round < 8; round++) {
            long t0 = System.nanoTime();
            IbmFloat.convert(src, 0, true, dst, 0, n);
            best = Math.max(best, src.length / 1e6 / ((System.nanoTime() - t0) / 1e9));
        }
        System.err.printf("IBM float conversion: %.0f MB/s (best of 8 over %d MB, one core)%n", best, src.length >> 20);

        int ns = 1000;
        int traces = 20_000;
        int[] words = new int[ns * traces];
        bb.rewind();
        for (int i = 0; i < words.length; i++) {
            words[i] = bb.getInt(4 * (i % n));
        }
        Path file = dir.resolve("bench.sgy");
        Files.write(file, SegyTestFiles.ibmFile(words, ns, ByteOrder.BIG_ENDIAN));
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            TraceBlock block = TraceBlock.allFields(2000, ns);
            double bestRead = 0;
            for (int round = 0; round < 5; round++) {
                long t0 = System.nanoTime();
                for (int first = 0; first < traces; first += 2000) {
                    reader.read(first, 2000, block);
                }
                bestRead = Math.max(bestRead, reader.layout().fileSize() / 1e6 / ((System.nanoTime() - t0) / 1e9));
            }
            System.err.printf("SegyReader blocks of 2000 traces, all 91 header fields + IBM samples: %.0f MB/s%n", bestRead);
        }
        assertTrue(best > 10, "IBM conversion implausibly slow: " + best + " MB/s");
    }
}
