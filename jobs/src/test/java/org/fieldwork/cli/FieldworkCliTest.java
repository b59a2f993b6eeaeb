package org.fieldwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
        for (String c : List.of("demo", "segy", "sql")) {
            assertTrue(usage.contains("  " + c + " "), "fieldwork --help lists " + c + ":\n" + usage);
        }
        for (String[] c : List.of(new String[] {"demo", "--help"}, new String[] {"sql", "--help"},
                new String[] {"segy", "--help"}, new String[] {"segy", "import", "--help"},
                new String[] {"segy", "merge", "--help"}, new String[] {"segy", "synth", "--help"})) {
            assertEquals(0, run(c).code(), String.join(" ", c));
        }
        CommandLine segyImport = Fieldwork.commandLine().getSubcommands().get("segy").getSubcommands().get("import");
        String importHelp = segyImport.getUsageMessage();
        for (String option : List.of("--ensemble-key", "--segments", "--max-probe", "--compression", "--chunk-traces",
                "--no-merge", "--master", "--s3-endpoint", "--kernels")) {
            assertTrue(importHelp.contains(option), option + " missing from segy import --help");
        }
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
