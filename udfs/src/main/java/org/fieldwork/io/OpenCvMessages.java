package org.fieldwork.io;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenCV's exceptions carry build paths and line numbers ("OpenCV(4.9.0) /build/...:123: error:
 * (-215:Assertion failed) ... in function 'imdecode_'"); users read the reason and the function.
 */
public final class OpenCvMessages {
    private static final Pattern ERROR = Pattern.compile(
            "(?s).*error: \\((-?\\d+):([^)]*)\\)\\s*(.*?)(?: in function '([^']*)')?\\s*$");

    private OpenCvMessages() {
    }

    /** An OpenCV exception as {@link #of}; any other exception's own message (its class name when it has none). */
    public static String describe(RuntimeException e) {
        if (e.getClass().getName().startsWith("org.bytedeco.") || e.getMessage() == null) {
            return e.getMessage() == null && !e.getClass().getName().startsWith("org.bytedeco.") ? e.toString() : of(e);
        }
        return e.getMessage();
    }

    /** "OpenCV: assertion failed: size.width>0 (in resize)" from an OpenCV exception. */
    public static String of(RuntimeException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
        Matcher x = ERROR.matcher(m);
        if (!x.matches()) {
            return "OpenCV: " + m.lines().findFirst().orElse(m);
        }
        String what = x.group(2).strip().toLowerCase(Locale.ROOT);
        String detail = x.group(3).strip();
        return "OpenCV: " + what + (detail.isEmpty() ? "" : ": " + detail) + (x.group(4) == null ? "" : " (in " + x.group(4) + ")");
    }
}
