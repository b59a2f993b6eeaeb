package org.fieldwork.ecg;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What an ECG run was asked to do.
 *
 * @param inputs  image files and folders (all levels below), local or s3a://
 * @param options the ops and how (see {@link EcgOptions})
 * @param workers at most this many images at once (0: Spark's cores; 1: one at a time on the driver)
 */
public record EcgSettings(List<String> inputs, EcgOptions options, int workers) implements Serializable {

    public EcgSettings {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("no input given: a folder, image files or an s3a:// prefix");
        }
        inputs = List.copyOf(inputs);
        if (options == null) {
            throw new IllegalArgumentException("no ECG options given");
        }
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must not be negative, got " + workers);
        }
    }

    /** One folder, file or prefix with the given options. */
    public EcgSettings(String input, EcgOptions options) {
        this(List.of(input), options, 0);
    }

    /** What changes an image's results: the options (inputs are each unit's own identity). */
    public Map<String, String> settings() {
        return options.describe();
    }
}
