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

    @Override
    public void at(int i, int pass) {
        out[i] = values.size();
    }
}
