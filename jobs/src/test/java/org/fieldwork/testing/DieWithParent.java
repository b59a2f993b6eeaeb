package org.fieldwork.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point of every JVM a test forks: {@code DieWithParent <parent pid> <main class> <args...>}.
 * It exits when the test JVM is gone, so a test JVM killed by SIGKILL (surefire timeout, OOM killer)
 * leaves no S3Proxy or Spark daemon holding ports and memory on a shared machine; the shutdown
 * hook in {@link ChildJvm} covers every ordinary exit. It uses System.exit, not halt, so the
 * child's own shutdown hooks run (a Spark worker's hook kills its executors).
 */
public final class DieWithParent {
    private DieWithParent() {
    }

    public static void main(String[] args) throws Throwable {
        long parentPid = Long.parseLong(args[0]);
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> System.exit(143)),
                () -> System.exit(143));
        Method main = Class.forName(args[1]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
