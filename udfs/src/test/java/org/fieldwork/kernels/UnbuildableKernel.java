package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * A kernel Aparapi translates but the device cannot build: its field is named after an OpenCL
 * address-space keyword, which the generated source declares as is. In Java it writes 5.
 */
public class UnbuildableKernel extends Kernel implements PixelKernel {
    final float[] out = new float[64];
    int global = 5;

    @Override
    public void run() {
        at(getGlobalId(), 0);
    }

    /** The Java path's loop, in this class so that the JIT sees one kernel's body and inlines it. */
    @Override
    public void atRange(int from, int to, int pass) {
        for (int i = from; i < to; i++) {
            at(i, pass);
        }
    }

    @Override
    public void at(int i, int pass) {
        out[i] = global;
    }
}
