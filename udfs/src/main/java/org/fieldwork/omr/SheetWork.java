package org.fieldwork.omr;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.fieldwork.kernels.KernelSession;

/**
 * What one sheet's processing works with besides its pixels: the kernels of its task, for the
 * per-pixel steps, and the stage images it collects up to a level (level 0 records nothing and
 * costs nothing).
 */
public final class SheetWork {
    private final int maxLevel;
    private final KernelSession kernels;
    private final List<StageImage> images = new ArrayList<>();

    public SheetWork(int maxLevel, KernelSession kernels) {
        this.maxLevel = maxLevel;
        this.kernels = kernels;
    }

    public boolean wants(int level) {
        return level <= maxLevel;
    }

    public void add(int level, String name, Mat image) {
        if (wants(level)) {
            images.add(new StageImage(level, name, GrayMats.png(image)));
        }
    }

    public List<StageImage> images() {
        return List.copyOf(images);
    }

    /**
     * cv2.GaussianBlur(image, (kw, kh), sigma) of an 8-bit sheet. The sizes OMRChecker's templates use
     * with sigma 0 run in the kernel layer, which equals OpenCV there bit for bit; any other size or
     * sigma is OpenCV's own.
     */
    public Mat gaussianBlur(Mat image, int kw, int kh, double sigma) {
        if (image.type() != opencv_core.CV_8UC1 || !KernelSession.hasExactGaussian(kw, kh, sigma)) {
            Mat out = new Mat();
            opencv_imgproc.GaussianBlur(image, out, new Size(kw, kh), sigma);
            return out;
        }
        Mat src = image.isContinuous() ? image : image.clone();
        byte[] pixels = new byte[src.rows() * src.cols()];
        src.data().get(pixels);
        org.fieldwork.kernels.GrayImage blurred = kernels.gaussianBlur(
                new org.fieldwork.kernels.GrayImage(src.cols(), src.rows(), pixels), kw, kh);
        Mat out = new Mat(src.rows(), src.cols(), opencv_core.CV_8UC1);
        out.data().put(blurred.pixels());
        return out;
    }
}
