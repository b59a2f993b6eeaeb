package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** results.parquet read back with parquet-mr's own reader: maps, missing values, and what it replaces. */
class ResultsTableTest {

    @Test
    void rowsReadBackWithMapsAndMissingValues(@TempDir Path dir) throws Exception {
        Map<String, String> answers = new LinkedHashMap<>();
        answers.put("q1", "A");
        answers.put("q2", "");
        answers.put("roll", "0457");
        List<ResultsTable.Row> rows = List.of(
                new ResultsTable.Row("exams/a", "1.jpg", "/in/exams/a/1.jpg", 0, "Results", 7.5, false, null,
                        answers, Map.of("q1", 0.91, "q2", 0.12), 0.12),
                new ResultsTable.Row("exams/a", "2.png", "/in/exams/a/2.png", 1, "ErrorFiles", null, false,
                        "2.png: truncated PNG", Map.of(), Map.of(), null));
        // An older version wrote the table with Spark: a folder of part files under the same name.
        Path path = dir.resolve(ResultsTable.FILE);
        Files.createDirectories(path);
        Files.writeString(path.resolve("part-00000.snappy.parquet"), "old");
        ResultsTable.write(Storage.defaults(), path.toString(), rows);
        assertTrue(Files.isRegularFile(path));
        try (var left = Files.list(dir)) {
            assertEquals(List.of(path), left.toList(), "no temporary file left beside it");
        }

        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                new org.apache.hadoop.fs.Path(path.toUri())).build()) {
            Group first = reader.read();
            assertEquals("exams/a", first.getString("folder", 0));
            assertEquals("1.jpg", first.getString("file_id", 0));
            assertEquals(0, first.getInteger("sheet_index", 0));
            assertEquals(7.5, first.getDouble("score", 0));
            assertFalse(first.getBoolean("multi_marked", 0));
            assertEquals(0, first.getFieldRepetitionCount("error"));
            Group a = first.getGroup("answers", 0);
            assertEquals(3, a.getFieldRepetitionCount("key_value"));
            Map<String, String> read = new LinkedHashMap<>();
            for (int i = 0; i < 3; i++) {
                Group kv = a.getGroup("key_value", i);
                read.put(kv.getString("key", 0), kv.getString("value", 0));
            }
            assertEquals(answers, read, "answers in the sheet's column order");
            assertEquals(2, first.getGroup("confidence", 0).getFieldRepetitionCount("key_value"));
            assertEquals(0.12, first.getDouble("min_confidence", 0));

            Group second = reader.read();
            assertEquals("ErrorFiles", second.getString("destination", 0));
            assertEquals(0, second.getFieldRepetitionCount("score"));
            assertEquals("2.png: truncated PNG", second.getString("error", 0));
            assertEquals(0, second.getGroup("answers", 0).getFieldRepetitionCount("key_value"));
            assertEquals(0, second.getFieldRepetitionCount("min_confidence"));
            assertNull(reader.read());
        }
    }
}
