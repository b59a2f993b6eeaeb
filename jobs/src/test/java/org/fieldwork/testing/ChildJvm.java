package org.fieldwork.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM started by a test (S3Proxy, a Spark master, worker or spark-submit): own classpath, own
 * options, stdout and stderr in files. Every live one is destroyed, with its descendants (Spark
 * executors), by {@link #close()} or at the latest by a shutdown hook of the test JVM; each child
 * also watches the test JVM itself through {@link DieWithParent}.
 */
public final class ChildJvm implements AutoCloseable {
    private static final Set<ChildJvm> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> List.copyOf(LIVE).forEach(ChildJvm::close),
                "fieldwork-child-jvm-reaper"));
    }

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    public static Builder builder(String name, String mainClass) {
        return new Builder(name, mainClass);
    }

    /**
     * A {@code fieldwork} command in a JVM of its own, as submit/fieldwork starts it: the test
     * classpath, the launcher's JVM options, Spark on loopback; its output in {@code logDir}.
     * Arguments (and any further JVM options) are added to the builder.
     */
    public static Builder fieldworkCommand(String name, Path logDir) {
        try {
            List<String> launcherOptions = Arrays.asList(
                    Files.readString(Path.of("target/launcher/fieldwork.jvmopts")).trim().split("\\s+"));
            return builder(name, "org.fieldwork.cli.Fieldwork")
                    .classpath(Arrays.asList(System.getProperty("java.class.path").split(java.io.File.pathSeparator)))
                    .jvmOptions(launcherOptions)
                    .logDir(logDir)
                    .env("SPARK_LOCAL_IP", "127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException("the launcher's JVM options (run mvn package first)", e);
        }
    }

    public String name() {
        return name;
    }

    public Process process() {
        return process;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path stdout() {
        return stdout;
    }

    public Path stderr() {
        return stderr;
    }

    /** Waits for the JVM to end on its own; destroys it and fails when it takes longer than {@code limit}. */
    public int waitFor(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                close();
                throw new IllegalStateException(name + " did not finish within " + limit + "; killed. "
                        + describeLogs());
            }
            LIVE.remove(this);
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    /** The last lines of both output files, for failure messages. */
    public String describeLogs() {
        return name + " (pid " + process.pid() + ", " + (process.isAlive() ? "alive" : "exit " + process.exitValue())
                + ")\n--- " + stdout + " (tail) ---\n" + tail(stdout, 40)
                + "\n--- " + stderr + " (tail) ---\n" + tail(stderr, 40);
    }

    public static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no file)";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** SIGTERM to the JVM and its descendants, SIGKILL to whatever is left after 10 s. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        process.descendants().forEach(tree::add);
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (ProcessHandle h : tree) {
            try {
                long left = Math.max(1, deadline - System.nanoTime());
                h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception stillRunning) {
                h.destroyForcibly();
            }
        }
        LIVE.remove(this);
    }

    public static final class Builder {
        private final String name;
        private final String mainClass;
        private final List<String> classpath = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private Path logDir = Path.of("target");
        private Path workDir;

        private Builder(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
        }

        public Builder classpath(List<String> entries) {
            classpath.addAll(entries);
            return this;
        }

        public Builder jvmOptions(List<String> options) {
            jvmOptions.addAll(options);
            return this;
        }

        public Builder jvmOptions(String... options) {
            return jvmOptions(Arrays.asList(options));
        }

        public Builder args(List<String> values) {
            args.addAll(values);
            return this;
        }

        public Builder args(String... values) {
            return args(Arrays.asList(values));
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** Folder for {@code <name>.out} and {@code <name>.err}. */
        public Builder logDir(Path dir) {
            logDir = dir;
            return this;
        }

        public Builder workDir(Path dir) {
            workDir = dir;
            return this;
        }

        public ChildJvm start() {
            try {
                Files.createDirectories(logDir);
                Path out = logDir.resolve(name + ".out");
                Path err = logDir.resolve(name + ".err");
                List<String> cp = new ArrayList<>(classpath);
                cp.add(watcherClasses().toString());
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(String.join(java.io.File.pathSeparator, cp));
                command.add(DieWithParent.class.getName());
                command.add(Long.toString(ProcessHandle.current().pid()));
                command.add(mainClass);
                command.addAll(args);
                ProcessBuilder pb = new ProcessBuilder(command)
                        .redirectOutput(out.toFile())
                        .redirectError(err.toFile());
                if (workDir != null) {
                    Files.createDirectories(workDir);
                    pb.directory(workDir.toFile());
                }
                pb.environment().putAll(env);
                Files.writeString(logDir.resolve(name + ".cmd"), command.stream()
                        .map(a -> a.length() > 300 ? a.substring(0, 300) + "...(" + a.length() + " chars)" : a)
                        .collect(Collectors.joining("\n")) + "\n", StandardCharsets.UTF_8);
                ChildJvm jvm = new ChildJvm(name, pb.start(), out, err);
                LIVE.add(jvm);
                return jvm;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name, e);
            }
        }
    }

    /**
     * A folder holding only DieWithParent.class, so a child's classpath gains nothing else from the
     * test classes (a Spark daemon must not see test code the application jar lacks).
     */
    private static synchronized Path watcherClasses() throws IOException {
        Path dir = Path.of("target", "die-with-parent-classes").toAbsolutePath();
        String resource = DieWithParent.class.getName().replace('.', '/') + ".class";
        Path target = dir.resolve(resource);
        if (!Files.exists(target)) {
            Files.createDirectories(target.getParent());
            try (InputStream in = DieWithParent.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IOException("class file not found: " + resource);
                }
                Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }
}
