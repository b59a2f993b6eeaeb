package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The shared 80 x 80 x 10 stack: a projection image under integer circular shifts plus white noise
 * of the image's own standard deviation. Two oracles against the clean image: the integer shift of
 * a brute-force real-space search, and the sub-pixel maximum of the same correlation (the
 * maximum-likelihood shift for white noise), both taken relative to frame 0.
 *
 * <p>Rounding cannot be the test: the image's power lies below 0.2 cycles per pixel, so even the
 * maximum-likelihood estimate against the clean image misses the integer truth by up to 0.48 px in
 * a frame and by 0.7 px relative to frame 0. The aligner must follow the sub-pixel oracle within
 * 0.3 px: its edge-overlap correction assumes frames that do not wrap around, and on these small
 * circularly shifted frames it moves shifts by up to a quarter pixel.
 */
class HivShiftTest {
    private static final int RANGE = 15;

    @Test
    void roundedShiftsEqualABruteForceCorrelationSearch() throws IOException {
        float[][] frames = readFloatMrc(SharedData.require("cryoem/hiv_images_shift_noise_80x80x10.mrc"));
        float[] clean = readFloatMrc(SharedData.require("cryoem/hiv_image_80x80x1.mrc"))[0];
        int n = frames.length;
        int[][] oracle = new int[n][];
        for (int i = 0; i < n; i++) {
            oracle[i] = bestShift(frames[i], clean, 80, 80);
        }
        MovieFrames movie = new InMemoryMovie(80, 80, frames);
        MotionSettings s = new MotionSettings(1.0, 500, 2, -500, RANGE, 5, 0.1, 0, 0, 300);
        MotionResult r = MotionCorrection.correct(movie, s);
        double[][] ml = new double[n][];
        for (int i = 0; i < n; i++) {
            ml[i] = subPixelShift(frames[i], clean, 80, 80, oracle[i]);
        }
        for (int i = 0; i < n; i++) {
            String where = "frame " + i + ": integer oracle (" + (oracle[i][0] - oracle[0][0]) + ", "
                    + (oracle[i][1] - oracle[0][1]) + "), sub-pixel oracle (" + (ml[i][0] - ml[0][0]) + ", "
                    + (ml[i][1] - ml[0][1]) + "), found (" + r.shiftX()[i] + ", " + r.shiftY()[i] + ")";
            assertEquals(ml[i][0] - ml[0][0], r.shiftX()[i], 0.3, where);
            assertEquals(ml[i][1] - ml[0][1], r.shiftY()[i], 0.3, where);
            assertEquals(oracle[i][0] - oracle[0][0], r.shiftX()[i], 0.8, where);
            assertEquals(oracle[i][1] - oracle[0][1], r.shiftY()[i], 0.8, where);
        }
    }

    /**
     * The sub-pixel maximum, within 0.6 px of the integer one, of the circular cross-correlation
     * with the clean image, evaluated exactly through the DFT on a 0.01 px grid: the
     * maximum-likelihood shift for white noise.
     */
    private static double[] subPixelShift(float[] frame, float[] clean, int w, int h, int[] start) {
        Fft2 fft = Fft2.of(w, h);
        float[] f = fft.forward(frame);
        float[] c = fft.forward(clean);
        double[] pr = new double[w * h];
        double[] pi = new double[w * h];
        for (int i = 0; i < w * h; i++) {
            pr[i] = (double) f[2 * i] * c[2 * i] + (double) f[2 * i + 1] * c[2 * i + 1];
            pi[i] = (double) f[2 * i + 1] * c[2 * i] - (double) f[2 * i] * c[2 * i + 1];
        }
        int steps = 121;
        double[][] rowRe = new double[steps][h];
        double[][] rowIm = new double[steps][h];
        for (int sx = 0; sx < steps; sx++) {
            double dx = start[0] - 0.6 + 0.01 * sx;
            for (int y = 0; y < h; y++) {
                double re = 0;
                double im = 0;
                for (int x = 0; x < w; x++) {
                    double p = 2 * Math.PI * Fft2.frequency(x, w) * dx / w;
                    double cr = Math.cos(p);
                    double ci = Math.sin(p);
                    re += pr[y * w + x] * cr - pi[y * w + x] * ci;
                    im += pr[y * w + x] * ci + pi[y * w + x] * cr;
                }
                rowRe[sx][y] = re;
                rowIm[sx][y] = im;
            }
        }
        double best = Double.NEGATIVE_INFINITY;
        double[] arg = null;
        for (int sy = 0; sy < steps; sy++) {
            double dy = start[1] - 0.6 + 0.01 * sy;
            double[] cr = new double[h];
            double[] ci = new double[h];
            for (int y = 0; y < h; y++) {
                double p = 2 * Math.PI * Fft2.frequency(y, h) * dy / h;
                cr[y] = Math.cos(p);
                ci[y] = Math.sin(p);
            }
            for (int sx = 0; sx < steps; sx++) {
                double v = 0;
                for (int y = 0; y < h; y++) {
                    v += rowRe[sx][y] * cr[y] - rowIm[sx][y] * ci[y];
                }
                if (v > best) {
                    best = v;
                    arg = new double[] {start[0] - 0.6 + 0.01 * sx, dy};
                }
            }
        }
        return arg;
    }

    /** The integer (dx, dy) within +-RANGE maximising sum over x of frame(x) clean(x - d), circularly. */
    private static int[] bestShift(float[] frame, float[] clean, int w, int h) {
        double best = Double.NEGATIVE_INFINITY;
        int[] arg = null;
        for (int dy = -RANGE; dy <= RANGE; dy++) {
            for (int dx = -RANGE; dx <= RANGE; dx++) {
                double s = 0;
                for (int y = 0; y < h; y++) {
                    int sy = Math.floorMod(y - dy, h) * w;
                    for (int x = 0; x < w; x++) {
                        s += frame[y * w + x] * clean[sy + Math.floorMod(x - dx, w)];
                    }
                }
                if (s > best) {
                    best = s;
                    arg = new int[] {dx, dy};
                }
            }
        }
        return arg;
    }

    /** Float32 frames of an MRC file: 1024-byte header, extended header of nsymbt (word 24) bytes. */
    static float[][] readFloatMrc(Path path) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(path)).order(ByteOrder.LITTLE_ENDIAN);
        int nx = b.getInt(0);
        int ny = b.getInt(4);
        int nz = b.getInt(8);
        assertEquals(2, b.getInt(12), "mode float32");
        int offset = 1024 + b.getInt(92);
        float[][] frames = new float[nz][nx * ny];
        for (int z = 0; z < nz; z++) {
            for (int i = 0; i < nx * ny; i++) {
                frames[z][i] = b.getFloat(offset + 4 * (z * nx * ny + i));
            }
        }
        return frames;
    }
}
