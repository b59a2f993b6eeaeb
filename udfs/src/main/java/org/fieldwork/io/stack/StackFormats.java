package org.fieldwork.io.stack;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.fieldwork.io.SeekableInput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The microscope file formats on the classpath, found through {@link ServiceLoader} in the
 * thread's context class loader (where Spark puts a user's {@code --jars}) and in this class's own,
 * and the choice among them for one file: the first, in order of priority, that accepts the file's
 * name and first bytes. The lookup runs on every call, so a jar added at run time is seen.
 */
public final class StackFormats {
    /** How many leading bytes a format is shown to judge a file. */
    public static final int HEAD_BYTES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(StackFormats.class);
    /** A provider whose class fails to load may make the iterator fail again at once; give up after this many. */
    private static final int MAX_FAILURES = 32;
    /** Provider failures already logged, so a broken jar is reported once per JVM rather than once per file. */
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
    private static final Comparator<StackFormat> ORDER = Comparator.comparingInt(StackFormat::priority).reversed()
            .thenComparing(StackFormat::name);

    private StackFormats() {
    }

    /** Every format found, highest priority first, then by name. */
    public static List<StackFormat> formats() {
        return lookup().formats();
    }

    /**
     * Opens a file with the first format that accepts it. The input belongs to this call from then
     * on: the reader closes it, or this method does when it fails.
     *
     * @param name the file's name or path, shown to the formats and in messages
     * @throws IOException naming the file when no format accepts it or the chosen one cannot open it
     */
    public static StackReader open(String name, SeekableInput input) throws IOException {
        try {
            Found found = lookup();
            byte[] head = new byte[(int) Math.min(HEAD_BYTES, input.length())];
            input.readFully(0, head, 0, head.length);
            for (StackFormat format : found.formats()) {
                if (format.accepts(name, head)) {
                    return opened(name, format, input);
                }
            }
            throw new IOException(name + ": no reader for this file"
                    + (head.length == 0 ? ", which is empty" : "")
                    + " (known formats: " + (found.formats().isEmpty() ? "none"
                            : found.formats().stream().map(StackFormat::name).collect(Collectors.joining(", ")))
                    + "); add a reader jar (one that lists its StackFormat in META-INF/services/"
                    + StackFormat.class.getName() + ") to the classpath"
                    + (found.failures().isEmpty() ? "" : "; readers that failed to load: " + String.join("; ", found.failures())));
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    /** Opens with the chosen format; an error that does not name the file gets the file and the format's name. */
    private static StackReader opened(String name, StackFormat format, SeekableInput input) throws IOException {
        try {
            return format.open(input);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains(name) || message.contains(input.name())) {
                throw e;
            }
            throw new IOException(name + ": the " + format.name() + " reader cannot open it: " + message, e);
        }
    }

    private record Found(List<StackFormat> formats, List<String> failures) {
    }

    private static Found lookup() {
        List<StackFormat> formats = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader own = StackFormats.class.getClassLoader();
        for (ClassLoader loader : context == null || context == own ? List.of(own) : List.of(context, own)) {
            Iterator<StackFormat> it = ServiceLoader.load(StackFormat.class, loader).iterator();
            int failed = 0;
            while (failed < MAX_FAILURES) {
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    StackFormat format = it.next();
                    if (seen.add(format.getClass().getName())) {
                        formats.add(format);
                    }
                } catch (ServiceConfigurationError e) {
                    failed++;
                    if (!failures.contains(e.getMessage())) {
                        failures.add(e.getMessage());
                    }
                    if (LOGGED.add(e.getMessage())) {
                        LOG.warn("a microscope file reader could not be loaded: {}", e.getMessage());
                    }
                }
            }
        }
        formats.sort(ORDER);
        return new Found(List.copyOf(formats), failures);
    }
}
