package org.fieldwork.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Spark standalone cluster of separate JVMs on 127.0.0.1: one master and N workers, started from
 * the jars Maven resolved (no Spark distribution), for tests that must catch what local[*] hides
 * (closures that do not serialize, state in statics, files on the driver's disk, classes missing
 * from the application jar).
 *
 * <pre>{@code
 * try (StandaloneCluster cluster = StandaloneCluster.start()) {
 *     StandaloneCluster.Submission run = cluster.submit(s3.sparkSettings(),
 *             "org.fieldwork.cli.Fieldwork", "sql", "--format", "csv", "SELECT 1");
 *     assertEquals(0, run.exitCode(), run.describe());
 * }
 * }</pre>
 *
 * The daemons' classpath is what a cluster provides: Spark, Hadoop and hadoop-aws from
 * {@code fw.launcher.dir}, without Fieldwork's own jars, so Fieldwork code reaches executors only
 * through the application jar ({@code fw.app.jar}). Logs of every JVM, and the executors' work
 * folders, go to {@code target/standalone-cluster/<time>/}.
 */
public final class StandaloneCluster implements AutoCloseable {
    private static final Duration START_LIMIT = Duration.ofSeconds(120);
    private static final Duration SUBMIT_LIMIT = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Path sparkHome;
    private final List<String> classpath;
    private final List<String> jvmOptions;
    private final int masterPort;
    private final int masterWebUiPort;
    private final int[] workerWebUiPorts;
    private final List<ChildJvm> daemons = new ArrayList<>();
    private final AtomicInteger submissions = new AtomicInteger();

    private StandaloneCluster(Path dir, List<String> classpath, List<String> jvmOptions, int workers) throws IOException {
        this.dir = dir;
        this.sparkHome = dir.resolve("spark-home");
        // Spark's launcher code insists on $SPARK_HOME/jars; empty, because SPARK_DIST_CLASSPATH carries the jars.
        Files.createDirectories(sparkHome.resolve("jars"));
        Files.createDirectories(sparkHome.resolve("conf"));
        this.classpath = classpath;
        this.jvmOptions = jvmOptions;
        int[] ports = Loopback.freePorts(2 + workers);
        this.masterPort = ports[0];
        this.masterWebUiPort = ports[1];
        this.workerWebUiPorts = Arrays.copyOfRange(ports, 2, ports.length);
    }

    /** Master plus two workers with one core and 1 GB each. */
    public static StandaloneCluster start() {
        return start(2);
    }

    public static StandaloneCluster start(int workers) {
        Path launcher = launcherDir();
        List<String> options = jvmOptions(launcher);
        List<String> cp = clusterClasspath(launcher);
        Path dir = Path.of("target", "standalone-cluster",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS"))).toAbsolutePath();
        StandaloneCluster cluster;
        try {
            cluster = new StandaloneCluster(dir, cp, options, workers);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            cluster.startDaemons(workers);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://" + Loopback.HOST + ":" + masterPort;
    }

    public String masterWebUiUrl() {
        return "http://" + Loopback.HOST + ":" + masterWebUiPort;
    }

    /** Web UI addresses of the workers, in start order. */
    public List<String> workerWebUiUrls() {
        List<String> urls = new ArrayList<>();
        for (int p : workerWebUiPorts) {
            urls.add("http://" + Loopback.HOST + ":" + p);
        }
        return urls;
    }

    /** Where the logs of this cluster's JVMs and the executors' work folders are. */
    public Path logDir() {
        return dir;
    }

    /** The shaded application jar the build made (Spark provided), from system property fw.app.jar. */
    public static String appJar() {
        String jar = System.getProperty("fw.app.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("application jar not found (system property fw.app.jar = " + jar
                    + "); it is made at package, so run this as an integration test (mvn verify)");
        }
        return jar;
    }

    /** The master's state as its web UI serves it at /json (workers, cores, apps). */
    public JsonNode masterState() {
        return getJson(masterWebUiUrl() + "/json");
    }

    /** A worker's state at /json (its executors with their app ids). */
    public JsonNode workerState(int index) {
        return getJson(workerWebUiUrls().get(index) + "/json");
    }

    /**
     * Settings a SparkSession in the test JVM needs to use this cluster as its master (driver in the
     * test JVM, executors on the workers, the application jar shipped to them).
     */
    public Map<String, String> sessionSettings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("spark.master", masterUrl());
        s.put("spark.driver.host", Loopback.HOST);
        s.put("spark.driver.bindAddress", Loopback.HOST);
        s.put("spark.jars", appJar());
        s.put("spark.executor.memory", "512m");
        s.put("spark.ui.enabled", "false");
        return s;
    }

    /** Runs spark-submit in client mode against this cluster; see {@link #submit(Map, String, String...)}. */
    public Submission submit(String mainClass, String... args) {
        return submit(Map.of(), mainClass, args);
    }

    /**
     * Runs {@code SparkSubmit --master spark://... --class mainClass <app jar> args...} in a JVM of
     * its own (the driver, client mode) and waits for it. {@code conf} adds {@code --conf} entries,
     * for example {@code S3ProxyServer#sparkSettings()}; they override the defaults here.
     */
    public Submission submit(Map<String, String> conf, String mainClass, String... args) {
        int n = submissions.incrementAndGet();
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spark.driver.host", Loopback.HOST);
        all.put("spark.driver.bindAddress", Loopback.HOST);
        all.put("spark.executor.memory", "512m");
        all.put("spark.ui.enabled", "false");
        all.putAll(conf);
        List<String> submitArgs = new ArrayList<>(List.of("--master", masterUrl(), "--deploy-mode", "client",
                "--class", mainClass));
        all.forEach((k, v) -> submitArgs.addAll(List.of("--conf", k + "=" + v)));
        submitArgs.add(appJar());
        submitArgs.addAll(Arrays.asList(args));
        ChildJvm jvm = daemon("submit-" + n, "org.apache.spark.deploy.SparkSubmit", "-Xmx768m")
                .args(submitArgs)
                .start();
        try {
            int exit = jvm.waitFor(SUBMIT_LIMIT);
            return new Submission(exit, read(jvm.stdout()), read(jvm.stderr()), jvm.stdout(), jvm.stderr());
        } finally {
            jvm.close();
        }
    }

    /** What a spark-submit run left: exit code, stdout, stderr and where they are on disk. */
    public record Submission(int exitCode, String stdout, String stderr, Path stdoutFile, Path stderrFile) {
        /** For assertion messages: exit code, stdout and the end of stderr. */
        public String describe() {
            String[] lines = stderr.split("\n");
            String tail = String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 60), lines.length));
            return "exit " + exitCode + "\n--- stdout (" + stdoutFile + ") ---\n" + stdout
                    + "\n--- stderr tail (" + stderrFile + ") ---\n" + tail;
        }
    }

    /**
     * Stops the workers (which stop their executors) and then the master. Logs stay; the copies of
     * the application jar in the executors' work folders (75 MB each) go.
     */
    @Override
    public void close() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
        daemons.clear();
        try (var files = Files.walk(dir)) {
            files.filter(p -> p.getFileName().toString().endsWith(".jar") && p.toString().contains("-work"))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // only disk space is at stake
        }
    }

    private void startDaemons(int workers) {
        daemons.add(daemon("master", "org.apache.spark.deploy.master.Master", "-Xmx256m")
                .args("--host", Loopback.HOST, "--port", Integer.toString(masterPort),
                        "--webui-port", Integer.toString(masterWebUiPort))
                .start());
        awaitMaster();
        for (int i = 0; i < workers; i++) {
            Path workDir = dir.resolve("worker-" + (i + 1) + "-work");
            daemons.add(daemon("worker-" + (i + 1), "org.apache.spark.deploy.worker.Worker", "-Xmx256m")
                    .args("--host", Loopback.HOST, "--cores", "1", "--memory", "1g",
                            "--webui-port", Integer.toString(workerWebUiPorts[i]),
                            "--work-dir", workDir.toString(), masterUrl())
                    .start());
        }
        awaitWorkers(workers);
    }

    /** A JVM with the cluster classpath, Spark's module options and the environment the recipe needs. */
    private ChildJvm.Builder daemon(String name, String mainClass, String heap) {
        List<String> options = new ArrayList<>(jvmOptions);
        options.add(heap);
        return ChildJvm.builder(name, mainClass)
                .classpath(classpath)
                .jvmOptions(options)
                .env("SPARK_HOME", sparkHome.toString())
                .env("SPARK_CONF_DIR", sparkHome.resolve("conf").toString())
                // The worker builds each executor's classpath from $SPARK_HOME/jars and this variable.
                .env("SPARK_DIST_CLASSPATH", String.join(java.io.File.pathSeparator, classpath))
                // Without it every executor fails with "Cannot find any build directories".
                .env("SPARK_SCALA_VERSION", "2.12")
                .env("SPARK_LOCAL_IP", Loopback.HOST)
                .env("SPARK_LOG_DIR", dir.toString())
                .env("JAVA_HOME", System.getProperty("java.home"))
                .logDir(dir)
                .workDir(dir);
    }

    private void awaitMaster() {
        awaitState("master web UI", () -> masterStateOrNull() != null);
    }

    private void awaitWorkers(int workers) {
        awaitState(workers + " workers registered with the master", () -> {
            JsonNode state = masterStateOrNull();
            return state != null && state.path("aliveworkers").asInt(-1) >= workers;
        });
    }

    private void awaitState(String what, java.util.function.BooleanSupplier reached) {
        long deadline = System.nanoTime() + START_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ChildJvm d : daemons) {
                if (!d.isAlive()) {
                    throw new IllegalStateException("waiting for " + what + ": " + d.name() + " exited. " + d.describeLogs());
                }
            }
            if (reached.getAsBoolean()) {
                return;
            }
            S3ProxyServer.sleep(250);
        }
        StringBuilder logs = new StringBuilder();
        daemons.forEach(d -> logs.append('\n').append(d.describeLogs()));
        throw new IllegalStateException("no " + what + " within " + START_LIMIT + logs);
    }

    private JsonNode masterStateOrNull() {
        try {
            return masterState();
        } catch (UncheckedIOException notYet) {
            return null;
        }
    }

    private static JsonNode getJson(String url) {
        try {
            java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(5000);
            try (var in = c.getInputStream()) {
                return JSON.readTree(in);
            } finally {
                c.disconnect();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + url, e);
        }
    }

    private static Path launcherDir() {
        String dir = System.getProperty("fw.launcher.dir");
        if (dir == null || !Files.isDirectory(Path.of(dir))) {
            throw new IllegalStateException("launcher folder not found (system property fw.launcher.dir = " + dir
                    + "); the jobs module's build writes it to jobs/target/launcher");
        }
        return Path.of(dir);
    }

    private static List<String> jvmOptions(Path launcher) {
        String text = read(launcher.resolve("fieldwork.jvmopts")).trim();
        if (text.isEmpty() || text.contains("${")) {
            throw new IllegalStateException("fieldwork.jvmopts is empty or unfiltered: " + text);
        }
        return Arrays.asList(text.split("\\s+"));
    }

    /**
     * compile.classpath (which includes the provided Spark, Hadoop and hadoop-aws jars) plus
     * runtime.classpath, without Fieldwork's own modules: a real cluster has Spark but not our code,
     * so our classes must come from the application jar or the test fails.
     */
    private static List<String> clusterClasspath(Path launcher) {
        Set<String> entries = new LinkedHashSet<>();
        for (String file : List.of("compile.classpath", "runtime.classpath")) {
            for (String e : read(launcher.resolve(file)).trim().split(java.io.File.pathSeparator)) {
                if (!e.isBlank() && !isFieldworkModule(e)) {
                    entries.add(e);
                }
            }
        }
        return new ArrayList<>(entries);
    }

    private static boolean isFieldworkModule(String entry) {
        String name = Path.of(entry).getFileName().toString();
        // A jar from this build, one installed in ~/.m2, or a module's classes folder (IDE, reactor before package).
        return name.startsWith("fieldwork-") || entry.contains("/org/fieldwork/") || entry.endsWith("target/classes");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
