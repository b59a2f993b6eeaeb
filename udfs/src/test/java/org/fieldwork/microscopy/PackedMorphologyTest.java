package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Packed erosions and dilations against their definition, pixel by pixel, on random masks of awkward widths. */
class PackedMorphologyTest {

    /** The definition: AND / OR over the (2rx+1) x (2ry+1) window, outside = border. */
    static byte[] brute(byte[] m, int w, int h, int rx, int ry, boolean erode, int border) {
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int acc = erode ? 1 : 0;
                for (int dy = -ry; dy <= ry; dy++) {
                    for (int dx = -rx; dx <= rx; dx++) {
                        int xx = x + dx;
                        int yy = y + dy;
                        int v = xx < 0 || yy < 0 || xx >= w || yy >= h ? border : m[yy * w + xx];
                        acc = erode ? acc & v : acc | v;
                    }
                }
                out[y * w + x] = (byte) acc;
            }
        }
        return out;
    }

    @Test
    void rectanglesEqualTheirDefinition() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int w : new int[] {1, 5, 63, 64, 65, 130}) {
            for (int h : new int[] {1, 4, 9}) {
                byte[] m = new byte[w * h];
                for (int i = 0; i < m.length; i++) {
                    m[i] = (byte) (rnd.nextDouble() < 0.7 ? 1 : 0);
                }
                PackedMorphology p = new PackedMorphology(w, h);
                long[] in = p.newMask();
                long[] mid = p.newMask();
                byte[] got = new byte[w * h];
                p.pack(m, in);
                for (int rx = 0; rx <= 2; rx++) {
                    for (int ry = 0; ry <= 2; ry++) {
                        for (boolean erode : new boolean[] {true, false}) {
                            for (int border = 0; border <= 1; border++) {
                                p.rows(in, mid, rx, erode, border);
                                p.columns(mid, mid, ry, erode, border);
                                p.unpack(mid, got);
                                assertArrayEquals(brute(m, w, h, rx, ry, erode, border), got,
                                        w + "x" + h + " r=" + rx + "," + ry + " erode=" + erode + " border=" + border);
                            }
                        }
                    }
                }
            }
        }
    }
}
