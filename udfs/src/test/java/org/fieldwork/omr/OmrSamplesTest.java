package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared sample folder that has OMRChecker's expected CSVs is processed sequentially and its
 * Results, MultiMarkedFiles and ErrorFiles are compared row by row: same order, same file_id, same
 * score text, same value in every answer column (paths are allowed to differ).
 */
class OmrSamplesTest {
    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everySampleWithExpectedOutputsMatchesOmrChecker() throws IOException {
        Path samples = SharedData.require("omr/samples");
        Path expected = SharedData.require("omr/expected");
        Map<String, Path> sampleFolders = new TreeMap<>();
        try (Stream<Path> s = Files.walk(samples)) {
            s.filter(Files::isDirectory).forEach(d -> sampleFolders.put(key(samples.relativize(d)), d));
        }
        List<Path> expectedFolders = new ArrayList<>();
        try (Stream<Path> s = Files.walk(expected)) {
            s.filter(d -> Files.isDirectory(d.resolve("Results"))).sorted().forEach(expectedFolders::add);
        }
        assertFalse(expectedFolders.isEmpty(), "no expected folders under " + expected);
        return expectedFolders.stream().map(exp -> {
            String name = expected.relativize(exp).toString();
            return DynamicTest.dynamicTest(name, () -> {
                Path sample = sampleFolders.get(key(expected.relativize(exp)));
                assertTrue(sample != null, "no sample folder for expected " + name);
                OmrFolders.ImageFolder folder = OmrFolders.folder(samples, sample);
                List<SheetResult> results = new ArrayList<>();
                for (Path image : folder.images()) {
                    results.add(SheetProcessor.process(folder.config(), Files.readAllBytes(image),
                            image.getFileName().toString(), samples.getParent().relativize(image).toString(), 0));
                }
                Path outDir = out.resolve(name);
                ResultsCsv.write(outDir, folder.config(), results);
                compare(resultsFile(exp), outDir.resolve(ResultsCsv.RESULTS), name);
                compare(exp.resolve("Manual/MultiMarkedFiles.csv"), outDir.resolve(ResultsCsv.MULTI_MARKED), name);
                compare(exp.resolve("Manual/ErrorFiles.csv"), outDir.resolve(ResultsCsv.ERRORS), name);
            });
        });
    }

    /** Folder names compare without case and without the difference between '-', '_' and '/'. */
    static String key(Path relative) {
        return relative.toString().toLowerCase(Locale.ROOT).replaceAll("[-_/\\\\]", "_");
    }

    static Path resultsFile(Path expectedFolder) throws IOException {
        try (Stream<Path> s = Files.list(expectedFolder.resolve("Results"))) {
            return s.filter(p -> p.getFileName().toString().matches("Results(_.*)?\\.csv")).findFirst().orElseThrow();
        }
    }

    static void compare(Path expected, Path actual, String sample) throws IOException {
        List<List<String>> exp = rows(expected);
        List<List<String>> act = rows(actual);
        String what = sample + " " + expected.getFileName();
        assertEquals(exp.get(0), act.get(0), what + ": header");
        assertEquals(exp.size(), act.size(), what + ": row count; got " + act);
        for (int i = 1; i < exp.size(); i++) {
            List<String> e = exp.get(i);
            List<String> a = act.get(i);
            assertEquals(e.size(), a.size(), what + " row " + i + ": cell count");
            assertEquals(e.get(0), a.get(0), what + " row " + i + ": file_id");
            assertEquals(e.get(3), a.get(3), what + " row " + i + " (" + e.get(0) + "): score");
            List<String> mismatches = new ArrayList<>();
            for (int c = 4; c < e.size(); c++) {
                if (!e.get(c).equals(a.get(c))) {
                    mismatches.add(exp.get(0).get(c) + ": expected '" + e.get(c) + "' got '" + a.get(c) + "'");
                }
            }
            assertTrue(mismatches.isEmpty(), what + " row " + i + " (" + e.get(0) + "): " + mismatches);
        }
    }

    static List<List<String>> rows(Path csv) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (String line : Files.readAllLines(csv, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) {
                out.add(CsvCells.parse(line));
            }
        }
        return out;
    }
}
