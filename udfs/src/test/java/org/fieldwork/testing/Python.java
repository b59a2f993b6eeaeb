package org.fieldwork.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Debian's python3 with an oracle module (segyio, zarr, numcodecs, cv2...). Uses
 * /usr/bin/python3 first, because a pyenv python on PATH does not see Debian's dist-packages.
 */
public final class Python {
    private Python() {
    }

    public static String executable() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    /** Skips outside CI, fails in CI, when python3 cannot import the module. */
    public static void requireModule(String module) {
        Result r = run("import " + module);
        if (r.exitCode != 0) {
            String msg = "python3 module '" + module + "' is not installed (the test command installs it)";
            if (SharedData.inCi()) {
                fail(msg + ": " + r.stderr);
            }
            assumeTrue(false, msg);
        }
    }

    /** Runs a script given as text with arguments; returns stdout, stderr and exit code. */
    public static Result run(String script, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable());
        cmd.add("-c");
        cmd.add(script);
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("python timed out");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, "", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Like run, but fails the test on a non-zero exit with python's stderr. */
    public static String check(String script, String... args) {
        Result r = run(script, args);
        if (r.exitCode != 0) {
            fail("python3 failed (" + r.exitCode + "): " + r.stderr);
        }
        return r.stdout;
    }

    public record Result(int exitCode, String stdout, String stderr) {
    }
}
