package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated exam folder reads back as the answers it was drawn with, through CropPage, and scores by its key. */
class SyntheticSheetsTest {

    @Test
    void everySheetReadsBackAsDrawnAndScoresByTheKey(@TempDir Path dir) throws Exception {
        List<SyntheticSheets.Sheet> truth = new SyntheticSheets(16, 3).write(dir);
        OmrFolders.ImageFolder folder = OmrFolders.walk(dir).get(0);
        assertEquals(16, folder.images().size(), "answers.csv and the JSON files are not sheets");
        int multi = 0;
        int blank = 0;
        for (int i = 0; i < truth.size(); i++) {
            SyntheticSheets.Sheet s = truth.get(i);
            Path image = folder.images().get(i);
            assertEquals(s.fileName(), image.getFileName().toString());
            SheetResult r = SheetProcessor.process(folder.config(), Files.readAllBytes(image), s.fileName());
            Map<String, String> expected = new LinkedHashMap<>();
            expected.put("Roll", s.roll());
            expected.putAll(s.answers());
            assertEquals(expected, r.columns, s.fileName());
            double score = 0;
            boolean anyMulti = false;
            for (Map.Entry<String, String> a : s.answers().entrySet()) {
                String key = SyntheticSheets.key(Integer.parseInt(a.getKey().substring(1)));
                score += a.getValue().isEmpty() ? 0 : a.getValue().equals(key) ? 1 : -0.25;
                anyMulti |= a.getValue().length() > 1;
                blank += a.getValue().isEmpty() ? 1 : 0;
            }
            multi += anyMulti ? 1 : 0;
            assertEquals(anyMulti, r.multiMarked, s.fileName());
            assertEquals(score, r.score, 1e-9, s.fileName());
            assertTrue(r.minConfidence() > 20, s.fileName() + ": confidence " + r.minConfidence());
        }
        assertTrue(multi > 0 && blank > 0, "the set has multi-marked sheets and blank answers");
    }

    @Test
    void sameSeedSameBytes(@TempDir Path dir) throws Exception {
        new SyntheticSheets(2, 9).write(dir.resolve("a"));
        new SyntheticSheets(2, 9).write(dir.resolve("b"));
        for (String f : List.of("sheet-0001.jpg", "sheet-0002.jpg", "answers.csv", "template.json")) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)), Files.readAllBytes(dir.resolve("b").resolve(f)), f);
        }
    }
}
