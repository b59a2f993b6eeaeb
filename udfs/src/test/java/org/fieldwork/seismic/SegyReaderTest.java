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

    @Test
    void truncatedFileNamesFileAndSizes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("cut.sgy");
        int[] words = new int[10 * 100];
        Arrays.fill(words, 0x41100000);
        byte[] whole = SyntheticSegy.ibmFile(words, 100, ByteOrder.BIG_ENDIAN);
        Files.write(file, Arrays.copyOf(whole, whole.length - 17));
        SegyFormatException e = assertThrows(SegyFormatException.class, () -> SegyReader.open(Storage.defaults(), file.toString()));
        assertTrue(e.getMessage().contains("cut.sgy"), e.getMessage());
        assertTrue(e.getMessage().contains("expected " + whole.length), e.getMessage());
        assertTrue(e.getMessage().contains("actual " + (whole.length - 17)), e.getMessage());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
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
        Files.write(file, SyntheticSegy.ibmFile(words, ns, ByteOrder.BIG_ENDIAN));
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
