package org.fieldwork.omr;

/**
 * A template, config or evaluation file that cannot be used. Raised while a folder's configuration
 * is loaded, before any sheet image is read, and always names the file and the offending key.
 */
public final class OmrConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final String key;

    public OmrConfigException(String file, String key, String problem) {
        super(file + (key == null || key.isEmpty() ? "" : ": key '" + key + "'") + ": " + problem);
        this.file = file;
        this.key = key;
    }

    public OmrConfigException(String file, String key, String problem, Throwable cause) {
        this(file, key, problem);
        initCause(cause);
    }

    /** The file that holds the error. */
    public String file() {
        return file;
    }

    /** Dotted path of the offending key inside the file ("" when the whole file is at fault). */
    public String key() {
        return key;
    }
}
