package org.fieldwork.omr;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;

/** cv2.GaussianBlur with kSize (default [3,3]) and integer sigmaX (default 0). */
public final class GaussianBlur implements Preprocessor {
    private static final long serialVersionUID = 1L;

    private final int kWidth;
    private final int kHeight;
    private final int sigmaX;

    GaussianBlur(ConfigReader r, String key, JsonNode options) {
        r.checkKeys(options, key, List.of("kSize", "sigmaX"), List.of());
        int[] k = options.has("kSize") ? r.integers(options.get("kSize"), key + ".kSize", 2) : new int[] {3, 3};
        if (k[0] <= 0 || k[1] <= 0 || k[0] % 2 == 0 || k[1] % 2 == 0) {
            throw r.error(key + ".kSize", "must be two positive odd integers");
        }
        kWidth = k[0];
        kHeight = k[1];
        sigmaX = (int) r.number(options, key, "sigmaX", 0);
    }

    @Override
    public String name() {
        return "GaussianBlur";
    }

    @Override
    public Mat apply(Mat image, SheetWork stages) {
        return stages.gaussianBlur(image, kWidth, kHeight, sigmaX);
    }
}
