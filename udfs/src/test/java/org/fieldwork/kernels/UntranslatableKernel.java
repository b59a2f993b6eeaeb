package org.fieldwork.kernels;

import com.aparapi.Kernel;
import java.util.ArrayList;
import java.util.List;

/** A kernel Aparapi cannot translate to OpenCL (it calls a method on an object field); in Java it writes 3. */
public class UntranslatableKernel extends Kernel implements PixelKernel {
    final float[] out = new float[64];
    final List<Float> values = new ArrayList<>(List.of(1f, 2f, 3f));

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
        out[i] = values.size();
    }
}
