package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * What the image kernels share, translated to OpenCL with each of them: the border rule, once.
 * Its fields and methods are protected or package-visible so that Aparapi carries them into every
 * subclass's kernel.
 */
abstract class ImageKernel extends Kernel implements PixelKernel {

    /**
     * The pixel index that position {@code p} of a line of {@code n} pixels reads under
     * {@code border} ({@link Border#code}): the edge pixel repeated, or reflected without repeating
     * the edge, as often as a wide window on a small image needs.
     */
    protected int borderIndex(int p, int n, int border) {
        int q = p;
        if (n == 1) {
            q = 0;
        } else if (border == 1) {
            q = max(0, min(n - 1, p));
        } else {
            while (q < 0 || q >= n) {
                if (q < 0) {
                    q = -q;
                } else {
                    q = 2 * n - 2 - q;
                }
            }
        }
        return q;
    }
}
