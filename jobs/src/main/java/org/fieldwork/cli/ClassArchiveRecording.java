package org.fieldwork.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.fieldwork.run.RunSummary;

/**
 * What a run did, for submit/fieldwork while it records the command's class archive: it keeps the
 * archive only when the run did the work the command's later runs do (a resumed run whose units were
 * all done before loads few of their classes). The launcher names the file in
 * {@code fieldwork.classArchive.did}; each line is one thing done: {@code units}, {@code merge},
 * {@code query}. Outside such a run this does nothing.
 */
final class ClassArchiveRecording {
    static final String PROPERTY = "fieldwork.classArchive.did";

    private ClassArchiveRecording() {
    }

    /** Notes what a job run did: units run, a merge. */
    static void ran(RunSummary summary) {
        if (summary.unitsDone() > 0) {
            did("units");
        }
        if (summary.merge() != null) {
            did("merge");
        }
    }

    static synchronized void did(String what) {
        String file = System.getProperty(PROPERTY);
        if (file == null || file.isEmpty()) {
            return;
        }
        try {
            Files.write(Path.of(file), (what + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | RuntimeException e) {
            // Without the note the launcher records the archive again next time; nothing else changes.
        }
    }
}
