package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The default chunk: up to 4 MiB of float32 samples, whole disk blocks wherever that stays near 4 MiB. */
class SegyDatasetTest {

    @Test
    void defaultChunksAreWholeDiskBlocksNearFourMebibytes() {
        assertEquals(1024, SegyDataset.defaultChunkTraces(1000));
        assertEquals(4096, SegyDataset.defaultChunkTraces(250));
        assertEquals(1024, SegyDataset.defaultChunkTraces(1001));   // odd: only multiples of 1024 traces align
        for (int ns = 1; ns <= 20_000; ns++) {
            int t = SegyDataset.defaultChunkTraces(ns);
            long bytes = 4L * ns * t;
            assertTrue(t >= 1 && bytes <= 4 << 20 || t == 1, "at most 4 MiB, ns " + ns);
            int step = 1024 / gcd(ns, 1024);
            int plain = Math.max(1, (4 << 20) / (4 * ns));
            if (plain >= step) {
                assertEquals(0, bytes % 4096, "whole 4 KB blocks, ns " + ns);
                assertTrue(bytes > (4 << 20) / 2, "near 4 MiB, ns " + ns + ": " + bytes);
            } else {
                assertEquals(plain, t, "no aligned size near 4 MiB: the plain one, ns " + ns);
            }
        }
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
