package org.fieldwork.omr;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

import com.fasterxml.jackson.databind.JsonNode;

/** cv2.medianBlur with an odd kSize (default 5). */
public final class MedianBlur implements Preprocessor {
    private static final long serialVersionUID = 1L;

    private final int kSize;

    MedianBlur(ConfigReader r, String key, JsonNode options) {
        r.checkKeys(options, key, List.of("kSize"), List.of());
        kSize = r.integer(options, key, "kSize", 5);
        if (kSize <= 1 || kSize % 2 == 0) {
            throw r.error(key + ".kSize", "must be an odd integer greater than 1");
        }
    }

    @Override
    public String name() {
        return "MedianBlur";
    }

    @Override
    public Mat apply(Mat image, SheetWork stages) {
        Mat out = new Mat();
        org.bytedeco.opencv.global.opencv_imgproc.medianBlur(image, out, kSize);
        return out;
    }
}
