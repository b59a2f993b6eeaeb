package org.fieldwork.microscopy;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;

/** A field of view held in memory (phase contrast, then fluorescence channels), and outputs kept in memory. */
final class InMemoryFov implements StackReader, FovOutput {
    final int width;
    final int height;
    final float[][][] channels;   // [channel][frame][pixel]
    final byte[][] masks;
    final float[][][] corrected;  // [fl channel][frame][pixel]

    InMemoryFov(int width, int height, float[][]... channels) {
        this.width = width;
        this.height = height;
        this.channels = channels;
        this.masks = new byte[channels[0].length][];
        this.corrected = new float[channels.length - 1][channels[0].length][];
    }

    @Override
    public StackInfo info() {
        List<String> names = new java.util.ArrayList<>();
        names.add("PC");
        for (int i = 1; i < channels.length; i++) {
            names.add("FL" + i);
        }
        return new StackInfo("memory", width, height, 1, channels[0].length, 1, names, "uint16", 16, 0.1,
                new double[0], Map.of());
    }

    @Override
    public void read(int position, int time, int z, int channel, float[] into) {
        System.arraycopy(channels[channel][time], 0, into, 0, width * height);
    }

    @Override
    public String name() {
        return "memory";
    }

    @Override
    public void close() {
    }

    @Override
    public void binarized(int t, byte[] mask) {
        masks[t] = mask.clone();
    }

    @Override
    public byte[] binarized(int t) throws IOException {
        return masks[t].clone();
    }

    @Override
    public void corrected(int channel, int t, float[] frame) {
        corrected[channel][t] = frame.clone();
    }
}
