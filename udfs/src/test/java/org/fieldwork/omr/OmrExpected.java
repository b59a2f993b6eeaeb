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

/**
 * OMRChecker's expected outputs for the shared samples (../shared/data/omr/expected) and the
 * comparison every OMR test uses: same rows in the same order, same file_id, same score text, same
 * value in every answer column. Paths (input_path, output_path) may differ.
 */
public final class OmrExpected {
    private OmrExpected() {
    }

    /** One expected folder and the sample folder it belongs to. */
    public record Case(String name, Path expected, Path sample, Path sampleRelative) {
    }

    /** Every expected folder (one with a Results/ folder), matched to its sample folder. */
    public static List<Case> cases(Path samples, Path expected) throws IOException {
        Map<String, Path> sampleFolders = new TreeMap<>();
        try (Stream<Path> s = Files.walk(samples)) {
            s.filter(Files::isDirectory).forEach(d -> sampleFolders.put(key(samples.relativize(d)), d));
        }
        List<Case> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(expected)) {
            for (Path exp : (Iterable<Path>) s.filter(d -> Files.isDirectory(d.resolve("Results"))).sorted()::iterator) {
                String name = expected.relativize(exp).toString();
                Path sample = sampleFolders.get(key(expected.relativize(exp)));
                assertTrue(sample != null, "no sample folder for expected " + name);
                out.add(new Case(name, exp, sample, samples.relativize(sample)));
            }
        }
        assertFalse(out.isEmpty(), "no expected folders under " + expected);
        return out;
    }

    /** Folder names compare without case and without the difference between '-', '_' and '/'. */
    static String key(Path relative) {
        return relative.toString().toLowerCase(Locale.ROOT).replaceAll("[-_/\\\\]", "_");
    }

    /** Compares an output folder (Results/Results.csv, Manual/...) with an expected folder. */
    public static void assertSameAsExpected(Case c, Path outDir) throws IOException {
        compare(resultsFile(c.expected()), outDir.resolve(ResultsCsv.RESULTS), c.name());
        compare(c.expected().resolve("Manual/MultiMarkedFiles.csv"), outDir.resolve(ResultsCsv.MULTI_MARKED), c.name());
        compare(c.expected().resolve("Manual/ErrorFiles.csv"), outDir.resolve(ResultsCsv.ERRORS), c.name());
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

    /** A CSV's rows as cells, parsed by Commons CSV: not the product's parser, so a bug in either shows. */
    public static List<List<String>> rows(Path csv) throws IOException {
        return rows(Files.readString(csv, StandardCharsets.UTF_8));
    }

    /** As above, from the text. */
    public static List<List<String>> rows(String text) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (org.apache.commons.csv.CSVParser p = org.apache.commons.csv.CSVFormat.RFC4180.parse(new java.io.StringReader(text))) {
            for (org.apache.commons.csv.CSVRecord r : p) {
                out.add(r.toList());
            }
        }
        return out;
    }
}
