package org.fieldwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line as a user meets it: help for every command, sql output formats, clear errors. */
class FieldworkCliTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        CommandLine cl = Fieldwork.commandLine();
        StringWriter err = new StringWriter();
        PrintWriter errWriter = new PrintWriter(err, true);
        cl.setErr(errWriter);
        StringWriter helpOut = new StringWriter();
        PrintWriter outWriter = new PrintWriter(helpOut, true);
        cl.setOut(outWriter);
        PrintStream old = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            int code = cl.execute(args);
            outWriter.flush();
            errWriter.flush();
            return new Run(code, helpOut + captured.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(old);
        }
    }

    @Test
    void helpListsEveryCommandAndEachHasHelp() {
        Run top = run("--help");
        assertEquals(0, top.code());
        String usage = Fieldwork.commandLine().getUsageMessage();
        for (String c : List.of("demo", "segy", "omr", "microscopy", "ecg", "nd2", "sql")) {
            assertTrue(usage.contains("  " + c + " "), "fieldwork --help lists " + c + ":\n" + usage);
        }
        for (String[] c : List.of(new String[] {"demo", "--help"}, new String[] {"sql", "--help"},
                new String[] {"segy", "--help"}, new String[] {"segy", "import", "--help"},
                new String[] {"segy", "merge", "--help"}, new String[] {"segy", "synth", "--help"},
                new String[] {"omr", "--help"}, new String[] {"microscopy", "--help"}, new String[] {"ecg", "--help"},
                new String[] {"ecg", "test", "--help"}, new String[] {"nd2", "info", "--help"},
                new String[] {"nd2", "synth", "--help"}, new String[] {"em", "batch", "--help"},
                new String[] {"em", "export-particles", "--help"}, new String[] {"em", "export-micrographs", "--help"},
                new String[] {"em", "synth", "--help"})) {
            assertEquals(0, run(c).code(), String.join(" ", c));
        }
        assertDescriptionsKeepTheirLines(Fieldwork.commandLine());
        CommandLine segyImport = Fieldwork.commandLine().getSubcommands().get("segy").getSubcommands().get("import");
        String importHelp = segyImport.getUsageMessage();
        for (String option : List.of("--ensemble-key", "--segments", "--max-probe", "--compression", "--chunk-traces",
                "--no-merge", "--master", "--s3-endpoint", "--kernels")) {
            assertTrue(importHelp.contains(option), option + " missing from segy import --help");
        }
        String omrHelp = Fieldwork.commandLine().getSubcommands().get("omr").getUsageMessage();
        for (String option : List.of("--workers", "--save-images", "--image-level", "--show", "--master", "--s3-endpoint")) {
            assertTrue(omrHelp.contains(option), option + " missing from omr --help");
        }
    }

    /**
     * Every command's description lines that fit the help's width (file tables, column lists) print
     * as written, not wrapped again; longer ones are paragraphs, wrapped to it.
     */
    private static void assertDescriptionsKeepTheirLines(CommandLine cl) {
        String help = cl.getUsageMessage();
        for (String line : cl.getCommandSpec().usageMessage().description()) {
            if (line.length() <= Fieldwork.USAGE_WIDTH && !line.contains("%") && !line.contains("@|") && !line.contains("${")) {
                assertTrue(help.contains(line.strip()), cl.getCommandName() + " --help wraps \"" + line + "\":\n" + help);
            }
        }
        for (String line : help.lines().toList()) {
            assertTrue(line.length() <= Fieldwork.USAGE_WIDTH, cl.getCommandName() + " --help: a line over "
                    + Fieldwork.USAGE_WIDTH + " characters: " + line);
        }
        cl.getSubcommands().values().forEach(FieldworkCliTest::assertDescriptionsKeepTheirLines);
    }

    @Test
    void nd2InfoPrintsARealFilesMetadataAsTextAndJson() throws Exception {
        Path file = SharedData.require("nd2/example-timelapse.nd2");
        Run text = run("nd2", "info", file.toString());
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().matches("(?s).*image +64 x 64 px, uint16.*"), text.out());
        assertTrue(text.out().matches("(?s).*loops +1 FOVs x 53 frames x 1 z.*"), text.out());
        assertTrue(text.out().matches("(?s).*pixel size +0.325 um.*"), text.out());
        Run json = run("nd2", "info", file.toString(), "--format", "json");
        assertEquals(0, json.code(), json.err());
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals(53, j.get("frames").asInt());
        assertEquals(53, j.get("frame_times_s").size());
        assertEquals("nd2", j.get("format").asText());
        Run missing = run("nd2", "info", file.resolveSibling("no-such.nd2").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no-such.nd2: no such file"), missing.err());
    }

    @Test
    void microscopyConfigurationErrorsAreOneLine(@TempDir Path tmp) throws Exception {
        Run missing = run("microscopy", tmp.resolve("none.nd2").toString(), tmp.resolve("out").toString());
        assertEquals(2, missing.code());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().contains("none.nd2: no such file or folder"), missing.err());
        Run method = run("microscopy", tmp.toString(), tmp.resolve("out").toString(), "--method", "cellpose");
        assertEquals(2, method.code());
        assertTrue(method.err().contains("--method must be pyama or fieldwork"), method.err());
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void ecgConfigurationErrorsAreOneLine(@TempDir Path tmp) throws Exception {
        org.fieldwork.ecg.EcgPages.write(tmp.resolve("in/a.png"), org.fieldwork.ecg.EcgPages.page(200, 150, 0));
        String in = tmp.resolve("in").toString();
        String out = tmp.resolve("out").toString();
        for (String[] c : List.of(new String[] {"ecg", in, out, "--ops", "edges,ekg"},
                new String[] {"ecg", in, out, "--method", "scharr"},
                new String[] {"ecg", in, out, "--color-method", "rgb"},
                new String[] {"ecg", in, out, "--padding", "-1"},
                new String[] {"ecg", tmp.resolve("none").toString(), out})) {
            Run r = run(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
        }
        assertTrue(run("ecg", in, out, "--ops", "edges,ekg").err().contains("unknown ECG operation 'ekg'"));
        assertTrue(run("ecg", in, out, "--method", "scharr").err().contains("unknown edge method 'scharr'"));
        assertTrue(run("ecg", tmp.resolve("none").toString(), out).err().contains("none: no such file or folder"));
        assertFalse(Files.exists(tmp.resolve("out")), "nothing written");
    }

    @Test
    void ecgTestPrintsAJsonSummaryOfOneFunctionOverAFolder(@TempDir Path tmp) throws Exception {
        org.fieldwork.ecg.EcgPages.write(tmp.resolve("in/a.png"), org.fieldwork.ecg.EcgPages.page(320, 240, 0));
        org.fieldwork.ecg.EcgPages.write(tmp.resolve("in/more/b.jpg"), org.fieldwork.ecg.EcgPages.page(300, 200, 1));
        Files.writeString(tmp.resolve("in/c.png"), "a text file");
        Run r = run("ecg", "test", tmp.resolve("in").toString(), "--function", "grid", "--threads", "2");
        assertEquals(1, r.code(), "a failed image gives exit 1: " + r.err());
        com.fasterxml.jackson.databind.JsonNode j = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertEquals("grid", j.get("function").asText());
        assertEquals(3, j.get("images").asInt());
        assertEquals(2, j.get("successes").asInt());
        assertEquals(1, j.get("failures").size());
        assertTrue(j.get("failures").get(0).get("error").asText().contains("c.png: not an image"), j.toString());
        for (String p : List.of("min", "p50", "p90", "p99", "max", "mean")) {
            assertTrue(j.get("function_ms").get(p).asDouble() > 0, p + " in " + j.get("function_ms"));
        }
        assertEquals(org.fieldwork.ecg.EcgPages.FINE_PX, j.get("results").get(0).get("result").get("fine_px").asDouble(), 0.51);
        Run json = run("ecg", "test", tmp.resolve("in/a.png").toString(), "--function", "content_box",
                "--output", tmp.resolve("s.json").toString());
        assertEquals(0, json.code(), json.err());
        assertEquals(1, new com.fasterxml.jackson.databind.ObjectMapper().readTree(tmp.resolve("s.json").toFile())
                .get("successes").asInt());
        Run unknown = run("ecg", "test", tmp.resolve("in").toString(), "--function", "hough");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown ECG function 'hough'"), unknown.err());
    }

    @Test
    void omrBadTemplateIsOneLineNamingFileAndKeyAndWritesNothing(@TempDir Path tmp) throws Exception {
        Path in = java.nio.file.Files.createDirectories(tmp.resolve("exam"));
        java.nio.file.Files.writeString(in.resolve("template.json"),
                "{\"pageDimensions\": [300, 400], \"bubbleDimensions\": [20, 20], \"preProcessors\": [],"
                        + " \"fieldBlocks\": {\"b\": {\"fieldType\": \"QTYPE_MCQ9\", \"origin\": [10, 10],"
                        + " \"fieldLabels\": [\"q1\"], \"bubblesGap\": 30, \"labelsGap\": 30}}}");
        java.nio.file.Files.write(in.resolve("sheet.png"), new byte[] {1, 2, 3});
        Run bad = run("omr", in.toString(), tmp.resolve("out").toString(), "--master", "local[1]", "--no-progress");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains(in.resolve("template.json") + ": key 'fieldBlocks.b.fieldType'"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("out")));

        Run missing = run("omr", tmp.resolve("nowhere").toString(), tmp.resolve("out").toString(), "--master", "local[1]");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nowhere: no such folder"), missing.err());
    }

    @Test
    void omrShowGoesThroughTheSheetsOneAtATimeInOrder(@TempDir Path tmp) throws Exception {
        Path samples = SharedData.require("omr/samples/sample2");
        Run show = run("omr", samples.toString(), tmp.resolve("out").toString(), "--show", "--master", "local[2]");
        assertEquals(0, show.code(), show.err());
        String out = show.out();
        int first = out.indexOf("sheet 1: " + samples.resolve("AdrianSample/adrian_omr.png"));
        int second = out.indexOf("sheet 2: " + samples.resolve("AdrianSample/adrian_omr_2.png"));
        assertTrue(first >= 0 && second > first, out);
        assertTrue(out.contains("on the driver"), out);
        assertTrue(out.contains("Stages/adrian_omr.png/01-L1-input.png"), out);
    }

    @Test
    void sqlPrintsCsvJsonAndTables() {
        Run csv = run("sql", "--master", "local[1]", "--format", "csv",
                "SELECT count(*) AS n, sum(id) AS s, ibm_to_float(1113849856) AS f FROM range(0, 100000, 1, 4)");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().contains("n,s,f\n100000,4999950000,100.0\n"), csv.out());

        Run json = run("sql", "--master", "local[1]", "--format", "json", "SELECT 'a,b' AS t, 2 AS k");
        assertTrue(json.out().contains("{\"t\":\"a,b\",\"k\":2}"), json.out());

        Run table = run("sql", "--master", "local[1]", "SELECT id FROM range(3)");
        assertTrue(table.out().contains("| id |") && table.out().contains("3 rows"), table.out());
    }

    @Test
    void csvAndJsonPrintEveryRowTablesStopAtAThousand() {
        Run csv = run("sql", "--master", "local[1]", "--format", "csv", "SELECT id FROM range(2500)");
        assertEquals(2501, csv.out().strip().lines().count(), "header and every row");
        Run json = run("sql", "--master", "local[1]", "--format", "json", "SELECT id FROM range(1500)");
        assertEquals(1500, json.out().strip().lines().count());
        Run table = run("sql", "--master", "local[1]", "SELECT id FROM range(1500)");
        assertTrue(table.out().contains("1000 rows"), table.out());
        Run limited = run("sql", "--master", "local[1]", "--format", "csv", "--limit", "10", "SELECT id FROM range(1500)");
        assertEquals(11, limited.out().strip().lines().count());
    }

    /** Every configuration error stops before any work: exit 2, one line naming the option or file, nothing written. */
    @Test
    void badOptionsStopBeforeAnyWorkWithOneLine(@TempDir Path tmp) throws Exception {
        Path sgy = tmp.resolve("in.sgy");
        new org.fieldwork.seismic.SyntheticSegy(100, 10, 5, 10, org.fieldwork.seismic.SampleFormat.IBM_FLOAT32, 1).write(sgy);
        Path out = tmp.resolve("out");
        String[][] cases = {
            {"--chunk-traces", "0", "--chunk-traces must be at least 1, got 0"},
            {"--compression", "zstd:99", "--compression 'zstd:99': zstd level must be between -7 and 22, got 99"},
            {"--compression", "zlib:x", "--compression 'zlib:x': use zstd, zstd-always, zlib or none"},
            {"--segments", "0", "--segments must be at least 1, got 0"},
        };
        for (String[] c : cases) {
            Run r = run("segy", "import", sgy.toString(), out.toString(), c[0], c[1], "--master", "local[1]", "--no-progress");
            assertEquals(2, r.code(), c[0] + " " + c[1] + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertFalse(Files.exists(out), "nothing written for " + c[0] + " " + c[1]);
        }

        Path file = Files.writeString(tmp.resolve("results.txt"), "not a folder");
        Run onFile = run("segy", "import", sgy.toString(), file.toString(), "--master", "local[1]", "--no-progress");
        assertEquals(2, onFile.code(), onFile.err());
        assertEquals("fieldwork segy import: " + file + ": output is an existing file, not a folder", onFile.err().strip());

        Path empty = Files.createDirectories(tmp.resolve("no-segy"));
        Run none = run("segy", "import", empty.toString(), out.toString(), "--master", "local[1]", "--no-progress");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("folder holds no *.sgy or *.segy files"), none.err());
        assertFalse(Files.exists(out), "a run that failed while planning leaves no _import.json, no lock, no folder");

        Path exam = Files.createDirectories(tmp.resolve("exam"));
        Files.writeString(exam.resolve("template.json"), "{\n  \"pageDimensions\": [300, 400],\n  \"bubbleDimensions\": [20 20]\n}\n"
                + "  ".repeat(40).replace("  ", "\n"));
        Files.write(exam.resolve("sheet.png"), new byte[] {1, 2, 3});
        Run json = run("omr", exam.toString(), out.toString(), "--master", "local[1]", "--no-progress");
        assertEquals(2, json.code(), json.err());
        assertEquals(1, json.err().strip().lines().count(), json.err());
        assertTrue(json.err().contains(exam.resolve("template.json") + ": not valid JSON at line 3, column"), json.err());
        assertFalse(Files.exists(out));
    }

    @Test
    void badInputGetsOneClearLine(@TempDir Path tmp) {
        Run missing = run("segy", "import", tmp.resolve("nope.sgy").toString(), tmp.resolve("out").toString(),
                "--master", "local[1]", "--no-progress");
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("nope.sgy: no such file or folder"), missing.err());

        Run badKey = run("segy", "import", SharedData.require("segy/small.sgy").toString(), tmp.resolve("out2").toString(),
                "--ensemble-key", "nosuchfield", "--master", "local[1]");
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("ensemble key 'nosuchfield'"), badKey.err());

        Run badKernels = run("sql", "--kernels", "gpu", "SELECT 1");
        assertEquals(2, badKernels.code());
        assertTrue(badKernels.err().toLowerCase().contains("auto"), badKernels.err());
    }
}
