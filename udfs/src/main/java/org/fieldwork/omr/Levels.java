package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import java.util.List;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Photo-editor style levels: below low is black, above high white, in between
 * ((v-lo)/(hi-lo))^(1/gamma)*255 truncated to 8 bits. low and high are fractions of 255.
 */
public final class Levels implements Preprocessor {
    private static final long serialVersionUID = 1L;

    private final byte[] table = new byte[256];

    Levels(ConfigReader r, String key, JsonNode options) {
        r.checkKeys(options, key, List.of("low", "high", "gamma"), List.of());
        double lowF = r.number(options, key, "low", 0);
        double highF = r.number(options, key, "high", 1);
        double gamma = r.number(options, key, "gamma", 1.0);
        if (lowF < 0 || highF > 1 || lowF >= highF) {
            throw r.error(key, "need 0 <= low < high <= 1 (got low " + lowF + ", high " + highF + ")");
        }
        if (gamma <= 0) {
            throw r.error(key + ".gamma", "must be positive");
        }
        int low = (int) (255 * lowF);
        int high = (int) (255 * highF);
        for (int v = 0; v < 256; v++) {
            int out;
            if (v <= low) {
                out = 0;
            } else if (v >= high) {
                out = 255;
            } else {
                out = (int) (Math.pow((double) (v - low) / (high - low), 1.0 / gamma) * 255);
            }
            table[v] = (byte) out;
        }
    }

    @Override
    public String name() {
        return "Levels";
    }

    @Override
    public Mat apply(Mat image, SheetWork stages) {
        Mat lut = new Mat(1, 256, CV_8UC1);
        lut.data().put(table);
        Mat out = new Mat();
        opencv_core.LUT(image, lut, out);
        return out;
    }
}
