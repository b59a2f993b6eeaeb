package org.fieldwork.microscopy;

import java.io.IOException;

/**
 * Where a field of view's frame-sized results go while it is processed: one frame at a time, so
 * nothing frame-sized accumulates in memory.
 */
public interface FovOutput {

    /** The cleaned cell mask of frame t (0/1). */
    void binarized(int t, byte[] mask) throws IOException;

    /** The mask of frame t written before, read back for the second pass. */
    byte[] binarized(int t) throws IOException;

    /** The corrected fluorescence of the k-th fluorescence channel in frame t. */
    void corrected(int channel, int t, float[] frame) throws IOException;

    /** A raw plane of a channel of the file (only with --extract-raw); default: not kept. */
    default void raw(int channel, int t, float[] plane) throws IOException {
    }

    /** Whether {@link #raw} keeps anything, so the processor reads the other channels only when it does. */
    default boolean wantsRaw() {
        return false;
    }
}
