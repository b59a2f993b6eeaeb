package org.fieldwork.io;

import static org.bytedeco.opencv.global.opencv_core.CV_8UC1;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Encoded images to OpenCV matrices and back, through OpenCV's codecs: decoding by content, the
 * header checked first by {@link ImageProbe}, so a file the decoder cannot take is refused with the
 * reason in words.
 */
public final class ImageCodec {
    private ImageCodec() {
    }

    /**
     * Decodes as {@code cv2.imdecode(bytes, flags)} ({@code IMREAD_GRAYSCALE}, {@code IMREAD_COLOR});
     * throws {@link ImageProbe.UnreadableImage} for an empty, unknown, truncated, corrupt or oversized image.
     */
    public static Mat decode(byte[] bytes, int flags) {
        ImageProbe.Header header = ImageProbe.probe(bytes);
        Mat m;
        try (BytePointer data = new BytePointer(bytes); Mat buf = new Mat(1, bytes.length, CV_8UC1, data)) {
            m = opencv_imgcodecs.imdecode(buf, flags);
        } catch (RuntimeException e) {
            throw new ImageProbe.UnreadableImage(header.format() + " image: " + OpenCvMessages.of(e));
        }
        if (m == null || m.empty()) {
            throw new ImageProbe.UnreadableImage("corrupt " + header.format() + " image: the decoder could not read its pixels");
        }
        return m;
    }

    /** The bytes of an 8-bit matrix encoded as {@code extension} (".png", ".jpg", ".webp", ".tif"). */
    public static byte[] encode(Mat m, String extension) {
        try (BytePointer buf = new BytePointer()) {
            if (!opencv_imgcodecs.imencode(extension, m, buf)) {
                throw new IllegalStateException("OpenCV could not encode a " + m.cols() + "x" + m.rows() + " " + extension);
            }
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }
}
