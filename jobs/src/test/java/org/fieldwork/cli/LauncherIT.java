package org.fieldwork.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * submit/fieldwork as a user runs it, after `mvn package` (this runs as an integration test, so the
 * jars are fresh): the first command that starts Spark records the class archive, later ones map it
 * and print exactly what they printed before, a newer jar retires it, a failed run keeps none, and a
 * run with a flight recording (which the archive would crash) goes without it.
 */
class LauncherIT {
    private static final Path LAUNCHER_DIR = Path.of(System.getProperty("fw.launcher.dir", "target/launcher"));
    private static final Path BUILT_STAMP = LAUNCHER_DIR.resolveSibling(".fieldwork-built");

    private record Run(int exitCode, String stdout, String stderr) {
        String describe() {
            return "exit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static Run fieldwork(String... args) throws Exception {
        return fieldworkWith((String) null, args);
    }

    private static Run fieldworkWith(String javaOpts, String... args) throws Exception {
        return fieldworkWith(javaOpts == null ? java.util.Map.of() : java.util.Map.of("FIELDWORK_JAVA_OPTS", javaOpts), args);
    }

    private static Run fieldworkWith(java.util.Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "../submit/fieldwork"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        env.forEach((k, v) -> { // a null value takes the variable out
            if (v == null) {
                pb.environment().remove(k);
            } else {
                pb.environment().put(k, v);
            }
        });
        Path err = Files.createTempFile("launcher", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(3, TimeUnit.MINUTES), out);
        String stderr = Files.readString(err);
        Files.delete(err);
        return new Run(p.exitValue(), out, stderr);
    }

    private static List<Path> archives() throws IOException {
        try (Stream<Path> s = Files.list(LAUNCHER_DIR)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsa")).toList();
        }
    }

    private static Path jobsJar() throws IOException {
        try (Stream<Path> s = Files.list(LAUNCHER_DIR.getParent())) {
            return s.filter(p -> p.getFileName().toString().matches("fieldwork-jobs-.*(?<!-app|-tests|-sources)\\.jar"))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void classArchiveIsRecordedOnceUsedSilentlyAndRetiredByANewerJarOrClasspath() throws Exception {
        // The package phase has just built everything: tell the launcher so, or it would build again.
        Files.setLastModifiedTime(BUILT_STAMP.toFile().exists() ? BUILT_STAMP : Files.createFile(BUILT_STAMP),
                FileTime.fromMillis(System.currentTimeMillis()));
        for (Path a : archives()) {
            Files.delete(a);
        }
        String query = "SELECT 6 * 7 AS answer";

        Run typo = fieldwork("sql", "--no-such-option", query);
        assertNotEquals(0, typo.exitCode(), typo.describe());
        assertEquals(List.of(), archives(), "a failed run keeps no archive");

        Run first = fieldwork("sql", query);
        assertEquals(0, first.exitCode(), first.describe());
        assertTrue(first.stdout().contains("42"), first.describe());
        assertEquals(1, archives().size(), "the first Spark run records the archive");
        Path archive = archives().get(0);
        FileTime recorded = Files.getLastModifiedTime(archive);

        // Spark's folders and the extracted native libraries go with the process, not stay in the temp folder.
        Path temp = Files.createTempDirectory("launcher-tmp");
        Run second = fieldworkWith("-Djava.io.tmpdir=" + temp, "sql", query);
        assertEquals(0, second.exitCode(), second.describe());
        try (Stream<Path> left = Files.list(temp)) {
            assertEquals(List.of(), left.toList(), "temporary files left behind");
        }
        Files.delete(temp);
        assertEquals(first.stdout(), second.stdout(), "the archive changes nothing a user sees");
        assertFalse(second.stdout().contains("cds") || second.stderr().contains("[cds"), second.describe());
        assertEquals(recorded, Files.getLastModifiedTime(archive), "a current archive is used, not recorded again");

        // The command line's classes come from the archive too (picocli's own jar is Java 5 bytecode,
        // which an archive cannot hold; the build compiles it for 17).
        Path classLog = Files.createTempFile("launcher", ".classes");
        Run logged = fieldworkWith("-Xlog:class+load=info:file=" + classLog, "sql", query);
        assertEquals(0, logged.exitCode(), logged.describe());
        List<String> picocli = Files.readAllLines(classLog).stream().filter(l -> l.contains(" picocli.")).toList();
        Files.delete(classLog);
        assertTrue(picocli.size() > 50, "picocli's classes load: " + picocli);
        assertEquals(List.of(), picocli.stream().filter(l -> !l.contains("source: shared objects file")).toList(),
                "picocli's classes are mapped from the archive");

        // A flight recording hooks class loading, which crashes a JVM that maps the archive: it runs without.
        Path recording = Files.createTempFile("launcher", ".jfr");
        Run profiled = fieldworkWith("-XX:StartFlightRecording=filename=" + recording, "sql", query);
        assertEquals(0, profiled.exitCode(), profiled.describe());
        assertTrue(profiled.stdout().endsWith(first.stdout()), profiled.describe()); // after JFR's own start-up lines
        assertTrue(Files.size(recording) > 0, "the recording was written");
        Files.delete(recording);
        assertEquals(recorded, Files.getLastModifiedTime(archive), "the archive is neither used nor recorded again");

        // A rebuilt jar: the next Spark run records a new archive.
        Files.setLastModifiedTime(jobsJar(), FileTime.fromMillis(recorded.toMillis() + 2000));
        Run rebuilt = fieldwork("sql", query);
        assertEquals(0, rebuilt.exitCode(), rebuilt.describe());
        assertEquals(first.stdout(), rebuilt.stdout());
        assertEquals(1, archives().size());
        assertTrue(Files.getLastModifiedTime(archives().get(0)).compareTo(recorded) > 0, "retired and recorded again");

        // A changed classpath (a dependency added or dropped, every jar as old as before): recorded again too.
        FileTime rerecorded = Files.getLastModifiedTime(archives().get(0));
        Files.setLastModifiedTime(LAUNCHER_DIR.resolve("runtime.classpath"), FileTime.fromMillis(rerecorded.toMillis() + 2000));
        Run reclassed = fieldwork("sql", query);
        assertEquals(0, reclassed.exitCode(), reclassed.describe());
        assertEquals(first.stdout(), reclassed.stdout());
        assertEquals(1, archives().size());
        assertTrue(Files.getLastModifiedTime(archives().get(0)).compareTo(rerecorded) > 0, "retired by the classpath file");
    }

    /**
     * A SEG-Y import and a merge run on its own record archives of their own: a merge loads few of an
     * import's classes, and an import mapping the merge's archive would load the rest from the jars.
     */
    @Test
    void aMergeOnItsOwnKeepsItsOwnArchive() throws Exception {
        Files.setLastModifiedTime(BUILT_STAMP.toFile().exists() ? BUILT_STAMP : Files.createFile(BUILT_STAMP),
                FileTime.fromMillis(System.currentTimeMillis()));
        for (Path a : archives()) {
            if (a.getFileName().toString().startsWith("fieldwork-segy-")) {
                Files.delete(a);
            }
        }
        Path dir = Files.createTempDirectory("launcher-segy");
        Path sgy = dir.resolve("line.sgy");
        Path out = dir.resolve("out");
        Run synth = fieldwork("segy", "synth", sgy.toString(), "--traces", "3000", "--samples", "50");
        assertEquals(0, synth.exitCode(), synth.describe());
        Run imported = fieldwork("segy", "import", sgy.toString(), out.toString(), "--segments", "3", "--small-file-mb", "0",
                "--no-merge", "--no-progress");
        assertEquals(0, imported.exitCode(), imported.describe());
        List<Path> importArchives = archives().stream().filter(a -> a.getFileName().toString().startsWith("fieldwork-segy-import-")).toList();
        assertEquals(1, importArchives.size(), "the import records its archive: " + archives());

        // Recorded by a run that found every segment done, the archive would lack the import's own
        // classes, and every later import would load them from the jars: such a run keeps none.
        Files.delete(importArchives.get(0));
        Run resumed = fieldwork("segy", "import", sgy.toString(), out.toString(), "--segments", "3", "--small-file-mb", "0",
                "--no-merge", "--no-progress");
        assertEquals(0, resumed.exitCode(), resumed.describe());
        assertTrue(resumed.stdout().contains("0 done, 3 skipped"), resumed.describe());
        assertEquals(List.of(), archives().stream().filter(a -> a.getFileName().toString().startsWith("fieldwork-segy-import-")).toList(),
                "a run with nothing to do keeps no archive");
        Run again = fieldwork("segy", "import", sgy.toString(), dir.resolve("out2").toString(), "--segments", "3",
                "--small-file-mb", "0", "--no-merge", "--no-progress");
        assertEquals(0, again.exitCode(), again.describe());
        importArchives = archives().stream().filter(a -> a.getFileName().toString().startsWith("fieldwork-segy-import-")).toList();
        assertEquals(1, importArchives.size(), "the next import that imports records it: " + archives());
        FileTime recorded = Files.getLastModifiedTime(importArchives.get(0));

        Run merged = fieldwork("segy", "merge", out.toString(), "--no-progress");
        assertEquals(0, merged.exitCode(), merged.describe());
        assertTrue((merged.stdout() + merged.stderr()).contains("merged 1 dataset(s)"), merged.describe());
        assertEquals(1, archives().stream().filter(a -> a.getFileName().toString().startsWith("fieldwork-segy-merge-")).count(),
                "the merge records its own archive: " + archives());
        assertEquals(recorded, Files.getLastModifiedTime(importArchives.get(0)), "the import's archive is left as it was");
        // Recordings kept and recordings dropped alike leave no partial archive and no note behind.
        try (Stream<Path> s = Files.list(LAUNCHER_DIR)) {
            assertEquals(List.of(), s.filter(f -> f.getFileName().toString().contains(".partial.")).toList());
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The pipelines' commands each record an archive of their own on their first run and map it on
     * the next, which prints the same results.
     */
    @Test
    void eachPipelineCommandRecordsItsOwnArchive() throws Exception {
        Files.setLastModifiedTime(BUILT_STAMP.toFile().exists() ? BUILT_STAMP : Files.createFile(BUILT_STAMP),
                FileTime.fromMillis(System.currentTimeMillis()));
        Path dir = Files.createTempDirectory("launcher-pipelines");
        try {
            recordAndMapEachPipelinesArchive(dir);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void recordAndMapEachPipelinesArchive(Path dir) throws Exception {
        Path nd2 = dir.resolve("lapse.nd2");
        Run nd2Synth = fieldwork("nd2", "synth", nd2.toString(), "--fovs", "1", "--frames", "2", "--size", "256x256");
        assertEquals(0, nd2Synth.exitCode(), nd2Synth.describe());
        Path movies = dir.resolve("movies");
        Run emSynth = fieldwork("em", "synth", movies.toString(), "--movies", "1", "--size", "512", "--frames", "4");
        assertEquals(0, emSynth.exitCode(), emSynth.describe());
        Path printouts = Files.createDirectories(dir.resolve("printouts"));
        org.fieldwork.ecg.RenderedEcg page = org.fieldwork.ecg.EcgRenderer.render(
                org.fieldwork.ecg.SyntheticEcg.record("page", 60, 10, 500, 1), org.fieldwork.ecg.EcgLayout.standard(),
                org.fieldwork.ecg.EcgRenderer.Options.clean(8));
        try {
            Files.write(printouts.resolve("page.png"), org.fieldwork.io.ImageCodec.encode(page.image(), ".png"));
        } finally {
            page.image().close();
        }
        record Command(String archive, List<String> args) {
        }
        List<Command> commands = List.of(
                new Command("fieldwork-microscopy-", List.of("microscopy", nd2.toString())),
                new Command("fieldwork-em-batch-", List.of("em", "batch", "--pixel-size", "1.35", movies.toString())),
                new Command("fieldwork-ecg-", List.of("ecg", printouts.toString())));
        for (Command c : commands) {
            for (Path a : archives()) {
                if (a.getFileName().toString().startsWith(c.archive())) {
                    Files.delete(a);
                }
            }
            String out1 = dir.resolve(c.archive() + "first").toString();
            String out2 = dir.resolve(c.archive() + "second").toString();
            List<String> first = new ArrayList<>(c.args());
            first.addAll(List.of(out1, "--no-progress"));
            Run recording = fieldwork(first.toArray(String[]::new));
            assertEquals(0, recording.exitCode(), recording.describe());
            List<Path> own = archives().stream().filter(a -> a.getFileName().toString().startsWith(c.archive())).toList();
            assertEquals(1, own.size(), c.args() + " records its archive: " + archives());
            FileTime recorded = Files.getLastModifiedTime(own.get(0));

            List<String> next = new ArrayList<>(c.args());
            next.addAll(List.of(out2, "--no-progress"));
            // -Xshare:on: a JVM that cannot map the archive stops instead of quietly loading every class.
            Run mapped = fieldworkWith("-Xshare:on", next.toArray(String[]::new));
            assertEquals(0, mapped.exitCode(), mapped.describe());
            assertEquals(results(recording.stdout(), out1), results(mapped.stdout(), out2), "the same results with the archive");
            assertEquals(recorded, Files.getLastModifiedTime(own.get(0)), c.args() + " maps its archive, does not record it again");
        }
    }

    /** A run's summary without its timings and its output folder's name (each run writes its own). */
    private static String results(String stdout, String output) {
        return stdout.lines().filter(l -> !l.matches("\\s+[0-9.]+ s, .*"))
                .map(l -> l.replace(output, "OUT")).collect(java.util.stream.Collectors.joining("\n"));
    }

    /**
     * Huge pages, by the kernel's mode (read from a file the test writes, as the launcher reads
     * /sys/kernel/mm/transparent_hugepage/enabled): with madvise the launcher asks for them for the
     * heap and malloc and has the off-heap buffers carved from blocks; with always only the blocks
     * (the kernel gives them unasked); with never nothing; a user's own settings win; blocks need
     * 2 MB pages (arm64 with 64 KB pages has 512 MB ones); and malloc is asked only where glibc knows
     * the setting (2.35 and later), which the launcher asks once and remembers.
     */
    @Test
    void hugePagesAreAskedForByTheKernelsMode() throws Exception {
        Path sys = Files.createTempDirectory("launcher-thp");
        try {
            assertEquals(List.of("true", "glibc.malloc.hugetlb=1", "true"), hugePageSettings(sys, "always [madvise] never", 2 << 20, java.util.Map.of()));
            assertEquals(List.of("false", "", "true"), hugePageSettings(sys, "[always] madvise never", 2 << 20, java.util.Map.of()));
            assertEquals(List.of("false", "", ""), hugePageSettings(sys, "always madvise [never]", 2 << 20, java.util.Map.of()));
            assertEquals(List.of("true", "glibc.malloc.hugetlb=1", ""), hugePageSettings(sys, "always [madvise] never", 512 << 20, java.util.Map.of()));
            assertEquals(List.of("false", "glibc.malloc.hugetlb=0", ""), hugePageSettings(sys, "always [madvise] never", 2 << 20,
                    java.util.Map.of("GLIBC_TUNABLES", "glibc.malloc.hugetlb=0", "JAVA_TOOL_OPTIONS", "-XX:-UseTransparentHugePages")));
            // The glibc's answer is asked once and remembered: one that does not know the setting gets none.
            Path known = LAUNCHER_DIR.resolve("glibc-malloc-hugetlb");
            Files.writeString(known, "no\n");
            try {
                assertEquals(List.of("true", "", ""), hugePageSettings(sys, "always [madvise] never", 2 << 20, java.util.Map.of()));
            } finally {
                Files.delete(known);
            }
            assertEquals(List.of("true", "glibc.malloc.hugetlb=1", "true"), hugePageSettings(sys, "always [madvise] never", 2 << 20, java.util.Map.of()));
            assertTrue(Files.exists(known), "the answer asked again is remembered");
        } finally {
            try (Stream<Path> files = Files.list(sys)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(sys);
        }
    }

    /** The JVM's UseTransparentHugePages, its GLIBC_TUNABLES and fieldwork.offheap.blocks ("" for none) in that mode. */
    private static List<String> hugePageSettings(Path sys, String mode, int pageBytes, java.util.Map<String, String> env) throws Exception {
        Files.writeString(sys.resolve("enabled"), mode + "\n");
        Files.writeString(sys.resolve("hpage_pmd_size"), pageBytes + "\n");
        java.util.Map<String, String> all = new java.util.HashMap<>(env);
        all.put("FIELDWORK_THP_FILE", sys.resolve("enabled").toString());
        all.put("FIELDWORK_JAVA_OPTS", "-XX:+PrintFlagsFinal");
        all.putIfAbsent("GLIBC_TUNABLES", null);
        all.putIfAbsent("JAVA_TOOL_OPTIONS", null);
        Run run = fieldworkWith(all, "sql", "--format", "csv", "SELECT reflect('java.lang.System', 'getenv', 'GLIBC_TUNABLES') AS tunables,"
                + " reflect('java.lang.System', 'getProperty', 'fieldwork.offheap.blocks') AS blocks");
        assertEquals(0, run.exitCode(), run.describe());
        boolean flag = run.stdout().lines().filter(l -> l.matches("\\s*bool\\s+UseTransparentHugePages\\s+=.*")).findFirst()
                .map(l -> l.matches(".*=\\s*true\\b.*")).orElseThrow(() -> new AssertionError(run.describe()));
        List<String> lines = run.stdout().lines().toList();
        int header = lines.indexOf("tunables,blocks");
        assertTrue(header >= 0 && header + 1 < lines.size(), run.describe());
        // reflect() gives a missing variable or property as "null"
        String[] values = lines.get(header + 1).replace("null", "").split(",", -1);
        return List.of(String.valueOf(flag), values[0], values[1]);
    }

    /** A run killed with SIGKILL leaves its temporary folder (Spark's folders in it); the next run removes it. */
    @Test
    void theNextRunRemovesTheTemporaryFolderOfAKilledRun() throws Exception {
        Files.setLastModifiedTime(BUILT_STAMP.toFile().exists() ? BUILT_STAMP : Files.createFile(BUILT_STAMP),
                FileTime.fromMillis(System.currentTimeMillis()));
        // Without a class archive the next run records one, the launcher waiting for the JVM; with
        // it, the launcher becomes the JVM. Either way the killed run's folder goes.
        for (Path a : archives()) {
            if (a.getFileName().toString().startsWith("fieldwork-sql-")) {
                Files.delete(a);
            }
        }
        nextRunRemovesTheFolderOfAKilledRun();
        assertEquals(1, archives().stream().filter(a -> a.getFileName().toString().startsWith("fieldwork-sql-")).count(),
                "the next run recorded the archive: " + archives());
        nextRunRemovesTheFolderOfAKilledRun();
    }

    private static void nextRunRemovesTheFolderOfAKilledRun() throws Exception {
        Path tmpdir = Files.createTempDirectory("launcher-tmpdir");
        ProcessBuilder pb = new ProcessBuilder("bash", "../submit/fieldwork", "sql",
                "SELECT count(*) FROM range(0, 400000000000, 1, 2)");
        pb.environment().put("TMPDIR", tmpdir.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        Path own = tmpdir.resolve("fieldwork-" + p.pid());
        long deadline = System.currentTimeMillis() + 120_000;
        while (!holdsSparkFolders(own) && p.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(holdsSparkFolders(own), "Spark's folders in " + own);
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        Thread.sleep(200);
        assertTrue(Files.isDirectory(own), "SIGKILL leaves the folder");

        Run next = fieldworkWith(java.util.Map.of("TMPDIR", tmpdir.toString()), "sql", "SELECT 1 AS one");
        assertEquals(0, next.exitCode(), next.describe());
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertEquals(List.of(), left.toList(), "the killed run's folder and the next run's own are gone");
        }
        Files.delete(tmpdir);
    }

    /** Commands that never start Spark (a local import, the synthesiser) remove their folder too. */
    @Test
    void aCommandWithoutSparkRemovesItsTemporaryFolder() throws Exception {
        Path tmpdir = Files.createTempDirectory("launcher-tmpdir");
        Path work = Files.createTempDirectory("launcher-segy");
        java.util.Map<String, String> env = java.util.Map.of("TMPDIR", tmpdir.toString());
        Run synth = fieldworkWith(env, "segy", "synth", work.resolve("s.sgy").toString(), "--traces", "50");
        assertEquals(0, synth.exitCode(), synth.describe());
        Run imported = fieldworkWith(env, "segy", "import", work.resolve("s.sgy").toString(),
                work.resolve("out").toString(), "--no-progress");
        assertEquals(0, imported.exitCode(), imported.describe());
        assertTrue(Files.exists(work.resolve("out/_SUCCESS")), imported.describe());
        try (Stream<Path> left = Files.list(tmpdir)) {
            assertEquals(List.of(), left.toList(), "each command's folder is gone");
        }
        Files.delete(tmpdir);
    }

    private static boolean holdsSparkFolders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().startsWith("blockmgr-") || f.getFileName().toString().startsWith("spark-"));
        }
    }
}
