package org.fieldwork.seismic;

import java.io.IOException;

/** A file that is not SEG-Y we can read; the message names the file and the reason. */
public class SegyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public SegyFormatException(String file, String reason) {
        super(file + ": " + reason);
    }
}
