package org.fieldwork.ecg;

import static org.bytedeco.opencv.global.opencv_imgproc.CHAIN_APPROX_SIMPLE;
import static org.bytedeco.opencv.global.opencv_imgproc.RETR_EXTERNAL;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.kernels.KernelSession;
import org.bytedeco.opencv.opencv_core.MatVector;
import org.bytedeco.opencv.opencv_core.Rect;

/**
 * Where the printout's content lies: the bounding rectangle of the largest external contour of the
 * edge map ({@link EdgeMethod}, canny unless asked otherwise), or the whole image when there is no contour.
 * {@link #padded} and {@link #crop} widen it by a margin (10 px by default) clamped to the image.
 */
public record ContentBox(int x, int y, int width, int height, int imageWidth, int imageHeight) {
    /** The reference's crop_to_content margin in pixels. */
    public static final int DEFAULT_PADDING = 10;

    public ContentBox {
        if (width < 0 || height < 0 || x < 0 || y < 0 || x + width > imageWidth || y + height > imageHeight) {
            throw new IllegalArgumentException("content box " + x + "," + y + " " + width + "x" + height
                    + " does not lie in a " + imageWidth + "x" + imageHeight + " image");
        }
    }

    /** The content box of an image from the reference's default (canny) edge map. */
    public static ContentBox of(EcgImage image, KernelSession kernels) {
        return of(image, EdgeMethod.CANNY, kernels);
    }

    /** The content box of an image from the given method's edge map. */
    public static ContentBox of(EcgImage image, EdgeMethod method, KernelSession kernels) {
        try (PointerScope scope = new PointerScope()) {
            return ofEdges(method.edges(image.gray(kernels), kernels));
        }
    }

    /** The bounding rectangle of the largest external contour of an edge map (255 on edges). */
    public static ContentBox ofEdges(Mat edges) {
        try (PointerScope scope = new PointerScope()) {
            MatVector contours = new MatVector();
            // findContours may write into its input in older OpenCV versions: work on a copy.
            opencv_imgproc.findContours(edges.clone(), contours, new Mat(), RETR_EXTERNAL, CHAIN_APPROX_SIMPLE);
            int w = edges.cols();
            int h = edges.rows();
            long best = -1;
            double bestArea = -1;
            for (long i = 0; i < contours.size(); i++) {
                double area = opencv_imgproc.contourArea(contours.get(i));
                if (area > bestArea) {
                    bestArea = area;
                    best = i;
                }
            }
            if (best < 0) {
                return new ContentBox(0, 0, w, h, w, h);
            }
            Rect r = opencv_imgproc.boundingRect(contours.get(best));
            return new ContentBox(r.x(), r.y(), r.width(), r.height(), w, h);
        }
    }

    /** True when the box is the whole image. */
    public boolean wholeImage() {
        return x == 0 && y == 0 && width == imageWidth && height == imageHeight;
    }

    /** The box widened by {@code padding} pixels on every side, clamped to the image. */
    public ContentBox padded(int padding) {
        if (padding < 0) {
            throw new IllegalArgumentException("padding must not be negative, got " + padding);
        }
        int x0 = Math.max(0, x - padding);
        int y0 = Math.max(0, y - padding);
        int x1 = Math.min(imageWidth, x + width + padding);
        int y1 = Math.min(imageHeight, y + height + padding);
        return new ContentBox(x0, y0, x1 - x0, y1 - y0, imageWidth, imageHeight);
    }

    /** The image cut to this box widened by {@link #DEFAULT_PADDING}: a copy. */
    public Mat crop(EcgImage image) {
        return crop(image, DEFAULT_PADDING);
    }

    /** The image cut to this box widened by {@code padding} (clamped): a copy. */
    public Mat crop(EcgImage image, int padding) {
        if (image.width() != imageWidth || image.height() != imageHeight) {
            throw image.failure("is " + image.width() + "x" + image.height() + " but the content box was found on a "
                    + imageWidth + "x" + imageHeight + " image");
        }
        ContentBox p = padded(padding);
        try (Rect r = new Rect(p.x, p.y, p.width, p.height)) {
            return image.bgr().apply(r).clone();
        }
    }
}
