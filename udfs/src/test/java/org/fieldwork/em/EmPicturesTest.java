package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.bytedeco.opencv.global.opencv_imgcodecs.IMREAD_UNCHANGED;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.io.ImageCodec;
import org.junit.jupiter.api.Test;

class EmPicturesTest {

    /** A decoded PNG: its size, channels and bytes (BGR order for colour). */
    private record Decoded(int width, int height, int channels, byte[] data) {
        int at(int x, int y, int c) {
            return data[(y * width + x) * channels + c] & 0xff;
        }

        boolean green(int x, int y) {
            return at(x, y, 1) - at(x, y, 2) > 100 && at(x, y, 1) - at(x, y, 0) > 100;
        }
    }

    private static Decoded decode(byte[] png) {
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);
        Mat m = ImageCodec.decode(png, IMREAD_UNCHANGED);
        try (m) {
            byte[] data = new byte[(int) (m.total() * m.channels())];
            m.data().get(data);
            return new Decoded(m.cols(), m.rows(), m.channels(), data);
        }
    }

    @Test
    void spectrumShowsTheDataLeftAndTheModelRight() {
        int size = 256;
        float[] model = new float[size * size];
        float[] data = new float[size * size];
        Random rnd = new Random(1);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double k2 = Math.pow(x - size / 2, 2) + Math.pow(y - size / 2, 2);
                double ctf = Math.sin(0.0015 * k2 * Math.PI);
                model[y * size + x] = (float) (ctf * ctf);
                data[y * size + x] = (float) (ctf * ctf + 0.2 * rnd.nextGaussian());
            }
        }
        Decoded d = decode(EmPictures.spectrum(data, model, size));
        assertEquals(size, d.width());
        assertEquals(size, d.height());
        assertEquals(1, d.channels());
        // Right half: the model, a linear stretch of it, so grey levels order as the model values do.
        double corrRight = correlation(d, model, size, size / 2, size);
        double corrLeft = correlation(d, model, size, 0, size / 2);
        System.out.printf("spectrum picture: correlation with the model %.3f (left, noisy data), %.3f (right, model)%n",
                corrLeft, corrRight);
        assertTrue(corrRight > 0.98, "right half vs model " + corrRight);
        assertTrue(corrLeft > 0.7 && corrLeft < corrRight, "left half vs model " + corrLeft);

        Decoded whole = decode(EmPictures.spectrum(data, null, size));
        assertTrue(correlation(whole, model, size, size / 2, size) < 0.95, "without a model the right half shows the data");
    }

    private static double correlation(Decoded d, float[] model, int size, int x0, int x1) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = 0;
        for (int y = 0; y < size; y++) {
            for (int x = x0; x < x1; x++) {
                double a = d.at(x, y, 0), b = model[y * size + x];
                sa += a;
                sb += b;
                saa += a * a;
                sbb += b * b;
                sab += a * b;
                n++;
            }
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa * sa / n / n) * (sbb / n - sb * sb / n / n));
    }

    @Test
    void picksAreCircledInColourOnAGreyThumbnail() {
        int w = 2048, h = 1536;
        Random rnd = new Random(2);
        float[] mic = new float[w * h];
        for (int i = 0; i < mic.length; i++) {
            mic[i] = (float) rnd.nextGaussian();
        }
        List<Pick> picks = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            picks.add(new Pick(200 + 150 * i, 300 + 80 * i, 5));
        }
        double radius = 60;
        Decoded d = decode(EmPictures.picks(mic, w, h, picks, radius, 512));
        assertEquals(512, d.width());
        assertEquals(384, d.height());
        assertEquals(3, d.channels());
        int factor = 4;
        int greenOnCircles = 0, samples = 0;
        for (Pick p : picks) {
            double cx = (p.xPx() + 0.5) / factor - 0.5, cy = (p.yPx() + 0.5) / factor - 0.5;
            assertTrue(!d.green((int) Math.round(cx), (int) Math.round(cy)), "centre of " + p + " is not green");
            for (int a = 0; a < 16; a++) {
                double t = 2 * Math.PI * a / 16;
                int x = (int) Math.round(cx + radius / factor * Math.cos(t));
                int y = (int) Math.round(cy + radius / factor * Math.sin(t));
                samples++;
                if (d.green(x, y)) {
                    greenOnCircles++;
                }
            }
        }
        assertTrue(greenOnCircles >= 0.9 * samples, greenOnCircles + " of " + samples + " circle points are green");
        int green = 0, greyElsewhere = 0;
        for (int y = 0; y < d.height(); y++) {
            for (int x = 0; x < d.width(); x++) {
                if (d.green(x, y)) {
                    green++;
                } else if (d.at(x, y, 0) == d.at(x, y, 1) && d.at(x, y, 1) == d.at(x, y, 2)) {
                    greyElsewhere++;
                }
            }
        }
        double ring = picks.size() * 2 * Math.PI * radius / factor;
        assertTrue(green > 0.8 * ring && green < 4 * ring, green + " green pixels for " + ring + " of circles");
        assertTrue(greyElsewhere > 0.9 * d.width() * d.height(), "the rest is grey");
    }

    @Test
    void driftPlotRunsFromTheGreenFirstFrameToTheRedLast() {
        int n = 30;
        float[] sx = new float[n], sy = new float[n];
        for (int i = 0; i < n; i++) {
            sx[i] = (float) (0.8 * i);
            sy[i] = (float) (8 * Math.sin(i / 6.0));
        }
        Decoded d = decode(EmPictures.drift(sx, sy));
        assertEquals(EmPictures.DRIFT_SIZE, d.width());
        assertEquals(EmPictures.DRIFT_SIZE, d.height());
        assertEquals(3, d.channels());
        double gx = 0, gy = 0, rx = 0, ry = 0;
        int g = 0, r = 0, inked = 0;
        for (int y = 0; y < d.height(); y++) {
            for (int x = 0; x < d.width(); x++) {
                int b = d.at(x, y, 0), gr = d.at(x, y, 1), re = d.at(x, y, 2);
                if (b < 250 || gr < 250 || re < 250) {
                    inked++;
                }
                if (gr > 120 && re < 80 && b < 80) {
                    gx += x;
                    gy += y;
                    g++;
                }
                if (re > 160 && gr < 80 && b < 80) {
                    rx += x;
                    ry += y;
                    r++;
                }
            }
        }
        assertTrue(inked > 3000, inked + " pixels drawn");
        assertTrue(g > 50 && r > 50, "first and last markers: " + g + " green, " + r + " red pixels");
        // x grows 0 -> 23 px: the last frame is to the right; y is sin: last frame (i = 29, y = -7.8) above the first (0).
        assertTrue(rx / r - gx / g > 200, "last frame right of the first: " + gx / g + " -> " + rx / r);
        assertTrue(ry / r < gy / g - 50, "last frame above the first (y down): " + gy / g + " -> " + ry / r);
    }

    @Test
    void aStillMovieStillGivesAPlot() {
        Decoded d = decode(EmPictures.drift(new float[] {0, 0, 0}, new float[] {0, 0, 0}));
        assertEquals(EmPictures.DRIFT_SIZE, d.width());
    }

    @Test
    void niceStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(0.5, EmPictures.niceStep(0.31), 1e-12);
        assertEquals(2, EmPictures.niceStep(1.2), 1e-12);
        assertEquals(10, EmPictures.niceStep(6), 1e-12);
        assertEquals(50, EmPictures.niceStep(50), 1e-12);
    }
}
