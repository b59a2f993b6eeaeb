package org.fieldwork.omr;

import static org.bytedeco.opencv.global.opencv_core.CV_32F;
import static org.bytedeco.opencv.global.opencv_core.NORM_HAMMING;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_calib3d;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.DMatch;
import org.bytedeco.opencv.opencv_core.DMatchVector;
import org.bytedeco.opencv.opencv_core.KeyPoint;
import org.bytedeco.opencv.opencv_core.KeyPointVector;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_features2d.BFMatcher;
import org.bytedeco.opencv.opencv_features2d.ORB;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Aligns a sheet to a reference image of the blank form: ORB features on both (reference resized to
 * the processing size), brute-force Hamming matches, the best goodMatchPercent of them by distance,
 * then a RANSAC homography (or a partial affine transform with "2d") and a warp to the reference size.
 */
public final class FeatureBasedAlignment implements Preprocessor {
    private static final long serialVersionUID = 1L;

    private final String referencePath;
    private final byte[] reference;
    private final int maxFeatures;
    private final double goodMatchPercent;
    private final boolean transform2d;
    private final int width;
    private final int height;

    FeatureBasedAlignment(ConfigReader r, String key, JsonNode options, Path templateDir, TuningConfig config) {
        r.checkKeys(options, key, List.of("reference", "maxFeatures", "goodMatchPercent", "2d"), List.of("reference"));
        String relative = r.string(options.get("reference"), key + ".reference");
        referencePath = templateDir.resolve(relative).toAbsolutePath().normalize().toString();
        maxFeatures = r.integer(options, key, "maxFeatures", 500);
        goodMatchPercent = r.number(options, key, "goodMatchPercent", 0.15);
        transform2d = r.bool(options, key, "2d", false);
        if (maxFeatures <= 0) {
            throw r.error(key + ".maxFeatures", "must be positive");
        }
        if (goodMatchPercent <= 0 || goodMatchPercent > 1) {
            throw r.error(key + ".goodMatchPercent", "must be in (0, 1]");
        }
        width = config.processingWidth;
        height = config.processingHeight;
        byte[] file = Preprocessors.readReferencedImage(r, key + ".reference", templateDir, relative);
        try (PointerScope scope = new PointerScope()) {
            Mat m;
            try {
                m = GrayMats.decode(file);
            } catch (org.fieldwork.io.ImageProbe.UnreadableImage e) {
                throw r.error(key + ".reference", r.tree.name(templateDir.resolve(relative)) + ": " + e.getMessage());
            }
            reference = GrayMats.pixels(GrayMats.resize(m, width, height));
        }
    }

    @Override
    public String name() {
        return "FeatureBasedAlignment";
    }

    @Override
    public List<String> referencedFiles() {
        return List.of(referencePath);
    }

    @Override
    public Mat apply(Mat input, SheetWork stages) {
        Mat image = GrayMats.normalize(input);
        Mat ref = GrayMats.fromPixels(reference, width, height);
        ORB orb = ORB.create(maxFeatures, 1.2f, 8, 31, 0, 2, ORB.HARRIS_SCORE, 31, 20);
        KeyPointVector toKeypoints = new KeyPointVector();
        Mat toDescriptors = new Mat();
        orb.detectAndCompute(ref, new Mat(), toKeypoints, toDescriptors);
        KeyPointVector fromKeypoints = new KeyPointVector();
        Mat fromDescriptors = new Mat();
        orb.detectAndCompute(image, new Mat(), fromKeypoints, fromDescriptors);
        if (fromDescriptors.empty() || toDescriptors.empty()) {
            throw new PreprocessorFailure("FeatureBasedAlignment: no features found");
        }
        BFMatcher matcher = new BFMatcher(NORM_HAMMING, false);
        DMatchVector found = new DMatchVector();
        matcher.match(fromDescriptors, toDescriptors, found);
        List<DMatch> matches = new ArrayList<>();
        for (long i = 0; i < found.size(); i++) {
            matches.add(found.get(i));
        }
        matches.sort((a, b) -> Float.compare(a.distance(), b.distance()));
        int good = (int) (matches.size() * goodMatchPercent);
        if (good < (transform2d ? 3 : 4)) {
            throw new PreprocessorFailure("FeatureBasedAlignment: only " + good + " good feature matches");
        }
        float[] p1 = new float[2 * good];
        float[] p2 = new float[2 * good];
        for (int i = 0; i < good; i++) {
            KeyPoint a = fromKeypoints.get(matches.get(i).queryIdx());
            KeyPoint b = toKeypoints.get(matches.get(i).trainIdx());
            p1[2 * i] = a.pt().x();
            p1[2 * i + 1] = a.pt().y();
            p2[2 * i] = b.pt().x();
            p2[2 * i + 1] = b.pt().y();
        }
        Mat points1 = new Mat(good, 2, CV_32F, new FloatPointer(p1));
        Mat points2 = new Mat(good, 2, CV_32F, new FloatPointer(p2));
        Mat out = new Mat();
        if (transform2d) {
            Mat m = opencv_calib3d.estimateAffine2D(points1, points2);
            if (m == null || m.empty()) {
                throw new PreprocessorFailure("FeatureBasedAlignment: no affine transform found");
            }
            opencv_imgproc.warpAffine(image, out, m, new Size(width, height));
        } else {
            Mat h = opencv_calib3d.findHomography(points1, points2, opencv_calib3d.RANSAC, 3, new Mat(), 2000, 0.995);
            if (h == null || h.empty()) {
                throw new PreprocessorFailure("FeatureBasedAlignment: no homography found");
            }
            opencv_imgproc.warpPerspective(image, out, h, new Size(width, height));
        }
        return out;
    }
}
