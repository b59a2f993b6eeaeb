package org.fieldwork.em;

import java.io.IOException;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.fieldwork.io.stack.TiffStackFormat;

/**
 * A multi-page TIFF movie read through the TIFF stack reader: one grey page per frame (8/16/32-bit
 * unsigned or 32-bit float, uncompressed, LZW or Deflate). An ImageJ stack's z slices or time
 * points, whichever it has, are the frames. Pixel size from the resolution tags when they give one.
 */
final class TiffMovie implements MovieFrames {
    private final StackReader stack;
    private final String location;
    private final StackInfo info;

    private TiffMovie(StackReader stack, String location) {
        this.stack = stack;
        this.location = location;
        this.info = stack.info();
    }

    /** Takes ownership of {@code input}: closes it on failure and on {@link #close()}. */
    static TiffMovie open(SeekableInput input, String location) throws IOException {
        StackReader stack = new TiffStackFormat().open(input);
        try {
            StackInfo info = stack.info();
            if (info.channelCount() != 1) {
                throw new IOException(location + ": TIFF pages hold " + info.channelCount() + " channels "
                        + info.channels() + "; a movie frame is one grey channel");
            }
            if (info.positions() != 1 || info.frames() > 1 && info.zSlices() > 1) {
                throw new IOException(location + ": this TIFF is a " + info.extra().get("layout") + " of "
                        + info.positions() + " positions, " + info.frames() + " time points and " + info.zSlices()
                        + " z slices; a movie is one series of frames");
            }
            return new TiffMovie(stack, location);
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    @Override
    public String location() {
        return location;
    }

    @Override
    public int width() {
        return info.width();
    }

    @Override
    public int height() {
        return info.height();
    }

    @Override
    public int frames() {
        return info.frames() * info.zSlices();
    }

    @Override
    public double pixelSizeA() {
        double um = info.pixelSizeUm();
        return Double.isFinite(um) && um > 0 ? um * 1e4 : 0;
    }

    @Override
    public float[] frame(int index) throws IOException {
        float[] out = new float[info.width() * info.height()];
        readFrame(index, out);
        return out;
    }

    /** Frame {@code index} into {@code into} (at least width x height values), row-major. */
    public void readFrame(int index, float[] into) throws IOException {
        if (index < 0 || index >= frames()) {
            throw new IndexOutOfBoundsException(location + ": frame " + index + " is outside 0.." + (frames() - 1));
        }
        boolean slices = info.zSlices() > 1;
        stack.read(0, slices ? 0 : index, slices ? index : 0, 0, into);
    }

    @Override
    public void close() throws IOException {
        stack.close();
    }
}
