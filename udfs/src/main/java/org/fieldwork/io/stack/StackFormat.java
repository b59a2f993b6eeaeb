package org.fieldwork.io.stack;

import java.io.IOException;
import org.fieldwork.io.SeekableInput;

/**
 * A file format that {@link StackFormats} can open, found through {@link java.util.ServiceLoader}:
 * Fieldwork ships ND2 and TIFF; a user can add one (a Bio-Formats-backed reader, say) by putting a
 * jar with a {@code META-INF/services/org.fieldwork.io.stack.StackFormat} entry on the classpath.
 */
public interface StackFormat {

    /** Short name shown in messages and in {@link StackInfo#format()}. */
    String name();

    /**
     * Whether this format reads the file, judged from its name and first bytes (at most 64; fewer
     * for a shorter file). Formats are asked in order of {@link #priority()}, highest first.
     */
    boolean accepts(String fileName, byte[] head);

    /** Higher wins when several formats accept a file; Fieldwork's own formats use 0. */
    default int priority() {
        return 0;
    }

    /** Opens the file; the reader owns {@code input} and closes it. */
    StackReader open(SeekableInput input) throws IOException;
}
