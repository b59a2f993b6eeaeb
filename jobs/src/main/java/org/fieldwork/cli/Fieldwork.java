package org.fieldwork.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `fieldwork` command: one subcommand per job. */
@Command(name = "fieldwork",
        mixinStandardHelpOptions = true,
        version = "Fieldwork 0.1.0",
        description = "Spark jobs for instrument data. Local runs use embedded Spark (local[*]);"
                + " use fieldwork-submit for a cluster.")
public final class Fieldwork implements Runnable {

    /** The commands, by name, in the order --help lists them. */
    private static final java.util.LinkedHashMap<String, Class<?>> COMMANDS = new java.util.LinkedHashMap<>();

    static {
        COMMANDS.put("demo", DemoCommand.class);
        COMMANDS.put("segy", SegyCommand.class);
        COMMANDS.put("omr", OmrCommand.class);
        COMMANDS.put("microscopy", MicroscopyCommand.class);
        COMMANDS.put("ecg", EcgCommand.class);
        COMMANDS.put("em", EmCommand.class);
        COMMANDS.put("nd2", Nd2Command.class);
        COMMANDS.put("sql", SqlCommand.class);
        COMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final int USAGE_WIDTH = 110;

    public static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command line; given the arguments, only the command they name is built (picocli reads
     * every command's annotations when it is added, a tenth of a second for all of them).
     */
    static CommandLine commandLine(String[] args) {
        // picocli otherwise looks for Groovy's Closure class, and a class that is not there is looked
        // for in every jar on the classpath: a quarter of a second at every start.
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new Fieldwork());
        String first = args == null || args.length == 0 ? null : args[0];
        for (java.util.Map.Entry<String, Class<?>> c : COMMANDS.entrySet()) {
            if (first == null || !COMMANDS.containsKey(first) || first.equals(c.getKey()) || first.equals("help")) {
                cl.addSubcommand(c.getKey(), c.getValue());
            }
        }
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        // The commands' descriptions are lines of up to 108 characters (file tables, column lists):
        // at picocli's default width of 80 each would be wrapped a second time.
        cl.setUsageHelpWidth(USAGE_WIDTH);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Configuration errors and unreadable inputs: one clear line, not a stack trace.
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + message(ex));
            if (Boolean.getBoolean("fieldwork.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    /** One line: the error's first line, then its cause's first line when it adds something. */
    static String message(Throwable ex) {
        String m = firstLine(ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage());
        Throwable c = ex.getCause();
        if (c != null && c.getMessage() != null && !c.getMessage().isBlank()) {
            String cause = firstLine(c.getMessage());
            if (!m.contains(cause)) {
                m += ": " + cause;
            }
        }
        return m;
    }

    private static String firstLine(String text) {
        return text.strip().lines().findFirst().orElse("").strip();
    }

    private static final long EXIT_HOOKS_MILLIS = 30_000;

    /** The command's exit code, once main has it. */
    private static volatile int exitCode;
    private static final java.util.concurrent.CountDownLatch EXIT_DECIDED = new java.util.concurrent.CountDownLatch(1);

    /**
     * For a shutdown hook that let the command finish (Ctrl-C, SIGTERM): ends the JVM with the
     * command's own exit code (130 when cancelled) as soon as main has it. Without this, the JVM
     * exits with the signal's status (143) the moment the last hook returns. Returns when there is
     * no main (the command ran inside another program) or it takes longer than {@code millis}.
     */
    static void haltWithExitCode(long millis) {
        try {
            if (EXIT_DECIDED.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(exitCode);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the JVM is already running its shutdown hooks. */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }

    public static void main(String[] args) {
        TempFolders.removeOwnAtExit();
        // Logging takes a quarter of a second to start: it does so on the other core while the command
        // line is parsed, then the folders of killed commands are removed.
        Thread start = new Thread(() -> {
            org.slf4j.LoggerFactory.getLogger(Fieldwork.class); // the first logger starts the logging context
            TempFolders.removeAbandoned();
        }, "fieldwork-start");
        start.setDaemon(true);
        start.start();
        int code = commandLine(args).execute(args);
        System.out.flush();
        System.err.flush();
        exitCode = code;
        EXIT_DECIDED.countDown();
        // Spark leaves non-daemon threads behind, so exit explicitly; but through the shutdown hooks,
        // which remove Spark's and the native libraries' temporary files and finish a flight
        // recording. A hook that hangs (a store that does not answer) must not keep the process.
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(EXIT_HOOKS_MILLIS);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "fieldwork-exit-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        if (shuttingDown()) {
            // Ctrl-C or SIGTERM: the hooks are running already and System.exit would wait behind
            // them, then leave with the signal's status instead of the run's (130 when cancelled).
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }
}
