package org.fieldwork.omr;

/** A pre-processor could not find what it needs on this sheet (page edge, markers): an error file, not a crash. */
public final class PreprocessorFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PreprocessorFailure(String message) {
        super(message);
    }
}
