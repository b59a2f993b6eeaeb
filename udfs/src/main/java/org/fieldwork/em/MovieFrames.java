package org.fieldwork.em;

import java.io.Closeable;
import java.io.IOException;

/**
 * An electron-microscopy movie as a stack of frames read one at a time (MRC/MRCS or multi-page
 * TIFF), so that a 4k x 4k x 40 movie never has to be in memory whole.
 */
public interface MovieFrames extends Closeable {

    /** Where the frames come from (a path or URI), for error messages. */
    String location();

    int width();

    int height();

    int frames();

    /** Pixel size in Å from the file's header, or 0 when the file does not say (legacy MRC, TIFF). */
    double pixelSizeA();

    /** Frame {@code index} (0-based) as row-major floats, {@code width * height} values. */
    float[] frame(int index) throws IOException;

    /** Frame {@code index} into a caller's array of {@code width * height} values (readers that can, skip the copy). */
    default void readFrame(int index, float[] into) throws IOException {
        float[] f = frame(index);
        System.arraycopy(f, 0, into, 0, f.length);
    }
}
