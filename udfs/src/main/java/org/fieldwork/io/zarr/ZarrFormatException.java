package org.fieldwork.io.zarr;

import java.io.IOException;

/**
 * A Zarr store we cannot read or write as asked: metadata we do not support (dtype, order, compressor,
 * filters) or a chunk that does not decode. The message always names the array path or chunk path,
 * because a job records it as the failed unit's error text.
 */
public class ZarrFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ZarrFormatException(String message) {
        super(message);
    }

    public ZarrFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
