package org.fieldwork.kernels;

/** The 3-tap derivative kernels of a 3x3 Sobel, per derivative order (OpenCV's getDerivKernels). */
final class SobelTaps {
    private SobelTaps() {
    }

    /** order 0: smoothing [1,2,1]; 1: central difference [-1,0,1]; 2: second difference [1,-2,1]. */
    static int[] integer(int order) {
        switch (order) {
            case 0:
                return new int[] {1, 2, 1};
            case 1:
                return new int[] {-1, 0, 1};
            case 2:
                return new int[] {1, -2, 1};
            default:
                throw new IllegalArgumentException("Sobel 3x3 derivative order must be 0, 1 or 2, got " + order);
        }
    }

    static FilterTaps floats(int order) {
        int[] t = integer(order);
        return FilterTaps.of(t[0], t[1], t[2]);
    }

    static void checkOrders(int dx, int dy) {
        integer(dx);
        integer(dy);
        if (dx + dy == 0) {
            throw new IllegalArgumentException("Sobel needs dx + dy >= 1");
        }
    }
}
