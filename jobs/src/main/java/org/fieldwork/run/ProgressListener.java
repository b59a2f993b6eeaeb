package org.fieldwork.run;

/**
 * Progress callbacks for services and notebooks. Called from one thread, at most a few times a
 * second, and once more with {@code finished == true}.
 */
@FunctionalInterface
public interface ProgressListener {
    void onProgress(ProgressSnapshot snapshot);

    ProgressListener NONE = s -> { };
}
