package org.fieldwork.io.nd2;

import java.io.IOException;

/** An ND2 file we cannot read, or a part of one; the message names the file and what is wrong. */
public class Nd2FormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public Nd2FormatException(String file, String reason) {
        this(file, reason, null);
    }

    public Nd2FormatException(String file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.reason = reason;
    }

    /** What is wrong, without the file name. */
    public String reason() {
        return reason;
    }
}
