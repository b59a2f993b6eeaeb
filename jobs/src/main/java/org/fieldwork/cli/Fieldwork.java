package org.fieldwork.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The `fieldwork` command: one subcommand per job. */
@Command(name = "fieldwork",
        mixinStandardHelpOptions = true,
        version = "Fieldwork 0.1.0",
        description = "Spark jobs for instrument data. Local runs use embedded Spark (local[*]);"
                + " use fieldwork-submit for a cluster.",
        subcommands = {
            DemoCommand.class,
            SegyCommand.class,
            OmrCommand.class,
            SqlCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Fieldwork implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Fieldwork());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            // Configuration errors and unreadable inputs: one clear line, not a stack trace.
            cmd.getErr().println("fieldwork " + cmd.getCommandName() + ": " + message(ex));
            if (Boolean.getBoolean("fieldwork.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cl;
    }

    static String message(Throwable ex) {
        String m = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
        Throwable c = ex.getCause();
        if (c != null && c.getMessage() != null && !m.contains(c.getMessage())) {
            m += ": " + c.getMessage();
        }
        return m;
    }

    private static final long EXIT_HOOKS_MILLIS = 30_000;

    private static boolean shuttingDown() {
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
        int code = commandLine().execute(args);
        System.out.flush();
        System.err.flush();
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
