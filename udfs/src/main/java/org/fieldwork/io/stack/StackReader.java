package org.fieldwork.io.stack;

import java.io.Closeable;
import java.io.IOException;

/**
 * Random access to the planes of one microscope file (ND2, TIFF stack, or a provider's format).
 * One reader per task: it reads only the planes asked for, through the file's own index, so a
 * field of view never costs reading the others.
 */
public interface StackReader extends Closeable {

    StackInfo info();

    /**
     * One plane of one channel, row after row, as float values (integers exactly). {@code into}
     * holds at least width x height values.
     *
     * @throws IOException naming the file and what is wrong when the plane cannot be read
     */
    void read(int position, int time, int z, int channel, float[] into) throws IOException;

    /**
     * Acquisition time of each of one position's time points, in seconds from the file's first
     * frame (positions of a multi-position file are taken one after another within a time point).
     * Default: {@link StackInfo#frameTimesS()}, the first position's.
     */
    default double[] frameTimesS(int position) {
        return info().frameTimesS();
    }

    /** The file's name for messages: its path or URI. */
    String name();
}
