package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.fieldwork.io.Storage;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

class GatherPartitionerTest {

    private static long[] allKeys(SegyReader reader, EnsembleKey key) throws IOException {
        long[] keys = new long[(int) reader.layout().traceCount()];
        reader.readKeys(0, keys.length, key.field(), keys, 0);
        return keys;
    }

    /** Each even split moved to the nearest gather start (the earlier on a tie), by scanning every key. */
    private static List<Long> bruteForceStarts(long[] keys, int n) {
        java.util.TreeSet<Long> starts = new java.util.TreeSet<>(List.of(0L));
        for (int i = 1; i < n; i++) {
            long raw = (long) i * keys.length / n;
            long best = -1;
            for (int t = 0; t <= keys.length; t++) {
                boolean start = t == 0 || t == keys.length || keys[t] != keys[t - 1];
                if (start && (best < 0 || Math.abs(t - raw) < Math.abs(best - raw))) {
                    best = t;
                }
            }
            if (best < keys.length) {
                starts.add(best);
            }
        }
        return List.copyOf(starts);
    }

    /** Segments in order, non-empty, covering [0, n) exactly once, ids 0.. in order. */
    private static void assertCovers(GatherPlan plan, long n) {
        long next = 0;
        int id = 0;
        for (GatherSegment s : plan.segments()) {
            assertEquals(id++, s.id());
            assertEquals(next, s.firstTrace(), "segments must tile the file");
            assertTrue(s.traceCount() > 0, "empty segment " + s);
            next = s.endTrace();
        }
        assertEquals(n, next, "segments must end at the last trace");
    }

    @Test
    void shotGatherByFieldRecordNeverSplitsAGather() throws IOException {
        Path file = SharedData.require("segy/shot-gather.sgy");
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            EnsembleKey key = EnsembleKey.parse("FieldRecord");
            long[] keys = allKeys(reader, key);
            Map<Long, Integer> gathers = new LinkedHashMap<>();
            for (long k : keys) {
                gathers.merge(k, 1, Integer::sum);
            }
            assertEquals(Map.of(2L, 10, 3L, 12, 5L, 13, 8L, 26), gathers);
            assertEquals(List.of(2L, 3L, 5L, 8L), List.copyOf(gathers.keySet()));

            for (int n = 1; n <= 8; n++) {
                GatherPlan plan = new GatherPartitioner(n, key, 16, 0).plan(reader);
                assertCovers(plan, keys.length);
                assertTrue(plan.gatherAligned(), "N=" + n + ": " + plan.warnings());
                assertTrue(plan.warnings().isEmpty());
                assertTrue(plan.segments().size() <= Math.min(n, 4), "N=" + n + ": at most one segment per gather");
                for (GatherSegment s : plan.segments()) {
                    int first = (int) s.firstTrace();
                    assertTrue(first == 0 || keys[first] != keys[first - 1], "N=" + n + ": " + s + " starts inside a gather");
                    assertEquals(keys[first], s.firstKey());
                    assertEquals(keys[(int) s.endTrace() - 1], s.lastKey());
                }
                assertEquals(bruteForceStarts(keys, n), plan.segments().stream().map(GatherSegment::firstTrace).toList(), "N=" + n);
                assertTrue(plan.headersRead() <= (long) n * (2 * 16 + 2) + 2 * n, "headers read " + plan.headersRead());
            }
        }
    }

    @Test
    void shortProbeFallsBackToAnEvenSplitAndSaysSo() throws IOException {
        Path file = SharedData.require("segy/shot-gather.sgy");
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            // the last gather has 26 traces: its middle is 13 traces from either end
            GatherPlan plan = new GatherPartitioner(8, EnsembleKey.of(TraceField.FieldRecord), 2, 0).plan(reader);
            assertCovers(plan, 61);
            assertFalse(plan.gatherAligned());
            assertFalse(plan.warnings().isEmpty());
            assertTrue(plan.warnings().get(0).contains("shot-gather.sgy"), plan.warnings().get(0));
        }
    }

    @Test
    void evenSplitWithoutKeyAndOneSegmentForSmallFiles() throws IOException {
        Path file = SharedData.require("segy/shot-gather.sgy");
        try (SegyReader reader = SegyReader.open(Storage.defaults(), file.toString())) {
            GatherPlan even = new GatherPartitioner(4, null, 16, 0).plan(reader);
            assertCovers(even, 61);
            assertEquals(List.of(0L, 15L, 30L, 45L), even.segments().stream().map(GatherSegment::firstTrace).toList());
            assertEquals(0, even.headersRead());
            assertNull(even.segments().get(0).firstKey());
            assertFalse(even.gatherAligned());

            GatherPlan small = new GatherPartitioner(8, EnsembleKey.parse("FieldRecord"), 16, reader.layout().fileSize() + 1).plan(reader);
            assertEquals(1, small.segments().size());
            assertCovers(small, 61);

            GatherPlan many = new GatherPartitioner(100, null, 16, 0).plan(reader);
            assertCovers(many, 61);
            assertEquals(61, many.segments().size(), "more segments than traces: empty ones dropped");
        }
    }

    @Test
    void ensembleKeyParsing() {
        assertEquals(new HeaderField("CDP", 21, 4), EnsembleKey.parse("cdp").field());
        assertEquals(new HeaderField("INLINE_3D", 189, 4), EnsembleKey.parse("INLINE_3D").field());
        assertEquals(new HeaderField("189:4", 189, 4), EnsembleKey.parse("189:4").field());
        assertEquals(new HeaderField("offset", 37, 4), EnsembleKey.parse("offset").field());
        assertThrows(IllegalArgumentException.class, () -> EnsembleKey.parse("NoSuchField"));
        assertThrows(IllegalArgumentException.class, () -> EnsembleKey.parse("239:4"));
        assertThrows(IllegalArgumentException.class, () -> EnsembleKey.parse("9:3"));
    }

    /** Millions of traces: planning reads O(N x probe) headers and never splits a gather. */
    @Test
    void largeFileReadsFewHeaders() throws IOException {
        long traces = 5_000_000;
        long[] starts = GeneratedSegyInput.randomGathers(traces, 20, 400, 5);
        int probe = 256;
        for (String keyName : new String[] {"FieldRecord", "21:4"}) {
            GeneratedSegyInput input = new GeneratedSegyInput(starts, traces, 1000);
            try (SegyReader reader = SegyReader.open(input)) {
                assertEquals(traces, reader.layout().traceCount());
                for (int n : new int[] {1, 7, 64, 1000}) {
                    long before = input.bytesServed;
                    GatherPlan plan = new GatherPartitioner(n, EnsembleKey.parse(keyName), probe, 0).plan(reader);
                    assertCovers(plan, traces);
                    assertTrue(plan.gatherAligned(), plan.warnings().toString());
                    assertEquals(n, plan.segments().size());
                    for (GatherSegment s : plan.segments()) {
                        assertEquals(s.firstTrace(), starts[input.gatherOf(s.firstTrace())], s + " starts inside a gather");
                        long expectedKey = input.gatherOf(s.firstTrace()) * ("FieldRecord".equals(keyName) ? 1L : 7L);
                        assertEquals(expectedKey, s.firstKey());
                    }
                    // the nearest gather start to each even split, from the generator's own list
                    List<Long> expected = new java.util.ArrayList<>(List.of(0L));
                    for (int i = 1; i < n; i++) {
                        long raw = i * traces / n;
                        int g = input.gatherOf(raw);
                        long before1 = starts[g];
                        long after = g + 1 < starts.length ? starts[g + 1] : traces;
                        expected.add(raw - before1 <= after - raw ? before1 : after);
                    }
                    assertEquals(expected.stream().distinct().toList(), plan.segments().stream().map(GatherSegment::firstTrace).toList());
                    long bound = (long) n * (2 * probe + 2 + 32) + 2L * n;
                    assertTrue(plan.headersRead() <= bound, "N=" + n + ": read " + plan.headersRead() + " headers, bound " + bound);
                    assertTrue(input.bytesServed - before <= bound * reader.layout().traceSize(), "bytes read");
                    System.err.printf("N=%d key=%s: %d headers read for %d traces%n", n, keyName, plan.headersRead(), traces);
                }
            }
        }
    }

    @Test
    void oneHugeGatherFallsBackOnlyWhereNeeded() throws IOException {
        long traces = 2_000_000;
        long[] starts = {0, 1_000, 1_500_000, 1_500_100};   // gather 1 is 1.5 million traces long
        GeneratedSegyInput input = new GeneratedSegyInput(starts, traces, 10);
        try (SegyReader reader = SegyReader.open(input)) {
            GatherPlan plan = new GatherPartitioner(4, EnsembleKey.of(TraceField.FieldRecord), 100, 0).plan(reader);
            assertCovers(plan, traces);
            assertFalse(plan.gatherAligned());
            assertEquals(2, plan.warnings().size(), plan.warnings().toString()); // splits at 500k and 1M fall inside gather 1
            assertNotEquals(0, plan.headersRead());
            assertTrue(plan.segments().stream().anyMatch(s -> s.firstTrace() == 1_500_000), plan.segments().toString());
        }
    }
}
