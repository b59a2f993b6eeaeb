package org.fieldwork.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The manifest in batches: whole files only, the latest record of a unit wins, compaction, old single records. */
class RunManifestTest {

    private static UnitRecord<Object> record(String unit, UnitStatus status, int attempt, long started) {
        return new UnitRecord<>(unit, status, attempt, status == UnitStatus.failed ? "broken" : null, "h", "v1", Map.of(),
                List.of(), started, 10, 5, 1, Map.of(), null);
    }

    private static long files(Path out) throws Exception {
        try (Stream<Path> s = Files.list(out.resolve(RunManifest.DIR))) {
            return s.count();
        }
    }

    @Test
    void recordsGoInBatchesAndTheLatestAttemptWins(@TempDir Path tmp) throws Exception {
        RunManifest m = new RunManifest(tmp.toString(), Storage.defaults());
        try (RunManifest.Writer w = m.writer("run1-t0")) {
            for (int i = 0; i < 2500; i++) {
                w.add(record(String.format("u%05d", i), UnitStatus.failed, 1, 1000));
            }
        }
        assertEquals(3, files(tmp), "1000 + 1000 + 500 records");
        try (RunManifest.Writer w = m.writer("run2-t0")) {
            w.add(record("u00007", UnitStatus.done, 2, 2000));
        }
        Map<String, UnitRecord<Object>> all = m.readAll();
        assertEquals(2500, all.size());
        assertEquals(UnitStatus.done, all.get("u00007").status());
        assertEquals(2, all.get("u00007").attempt());
        assertEquals(UnitStatus.failed, all.get("u00008").status());

        m.compact(new ArrayList<>(all.values()));
        assertEquals(1, files(tmp));
        Map<String, UnitRecord<Object>> compacted = m.readAll();
        assertEquals(all.keySet(), compacted.keySet());
        assertEquals(UnitStatus.done, compacted.get("u00007").status());
    }

    @Test
    void aRecordWaitsAtMostASecondEvenWhenNoOtherFollows(@TempDir Path tmp) throws Exception {
        RunManifest m = new RunManifest(tmp.toString(), Storage.defaults());
        try (RunManifest.Writer w = m.writer("slow")) {
            w.add(record("first", UnitStatus.done, 1, 1000));
            long deadline = System.currentTimeMillis() + 5000;
            while (m.readAll().isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(1, m.readAll().size(), "written while the writer waits for its next unit");
        }
    }

    @Test
    void recordsOfEarlierVersionsAreStillRead(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(RunManifest.DIR));
        Files.writeString(dir.resolve("seg-00001.json"), """
                {
                  "unit" : "seg-00001",
                  "status" : "done",
                  "attempt" : 1,
                  "settingsHash" : "abc",
                  "outputs" : [ "/x/headers.parquet" ],
                  "startedAtMillis" : 1,
                  "elapsedMillis" : 2,
                  "inputBytes" : 3,
                  "items" : 4,
                  "kernelDevices" : { },
                  "facts" : { "gatherCount" : 5 }
                }""");
        Files.writeString(dir.resolve("garbage.jsonl"), "not json\n");
        Map<String, UnitRecord<Object>> all = new RunManifest(tmp.toString(), Storage.defaults()).readAll();
        assertEquals(1, all.size());
        assertEquals(List.of("/x/headers.parquet"), all.get("seg-00001").outputs());
        assertTrue(all.get("seg-00001").facts() instanceof Map<?, ?> f && f.get("gatherCount").equals(5));
    }
}
