package org.fieldwork.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.io.ImageProbe;
import org.fieldwork.io.ImageProbe.UnreadableImage;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link EcgImage#decode}: by content, whatever the name says, to the pixels OpenCV's imdecode
 * (colour) gives; files it cannot decode are refused with {@link ImageProbe.UnreadableImage}, one
 * line that names the image and says what is wrong, without OpenCV's build paths.
 */
class EcgImageDecodeTest {

    /** A 120 x 90 BGR page: colour ramps, a grid, a trace-like polyline and some noise. */
    private static Mat page() {
        int w = 120;
        int h = 90;
        byte[] p = new byte[w * h * 3];
        Random r = new Random(11);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = 3 * (y * w + x);
                p[i] = (byte) (200 + r.nextInt(40));
                p[i + 1] = (byte) (2 * x);
                p[i + 2] = (byte) (255 - 2 * y);
            }
        }
        Mat m = new Mat(h, w, opencv_core.CV_8UC3);
        ((ByteBuffer) m.createBuffer()).put(p);
        for (int x = 0; x < w; x += 10) {
            opencv_imgproc.line(m, new Point(x, 0), new Point(x, h - 1), new Scalar(90, 90, 230, 0));
        }
        for (int x = 1; x < w; x++) {
            int y0 = 45 + (int) (20 * Math.sin((x - 1) / 6.0));
            int y1 = 45 + (int) (20 * Math.sin(x / 6.0));
            opencv_imgproc.line(m, new Point(x - 1, y0), new Point(x, y1), new Scalar(0, 0, 0, 0), 2,
                    opencv_imgproc.LINE_8, 0);
        }
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {".png", ".tiff", ".bmp", ".webp"})
    void losslessFormatsGiveBackThePixels(String ext) {
        Mat original = page();
        // WebP above quality 100 is lossless
        byte[] bytes = ext.equals(".webp") ? encode(ext, original, opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 101)
                : encode(ext, original);
        EcgImage image = EcgImage.decode("page" + ext, bytes);
        assertEquals("page" + ext, image.name());
        assertSamePixels(imdecode(bytes), image.bgr(), ext);
        assertSamePixels(original, image.bgr(), ext + " against the encoded page");
    }

    @ParameterizedTest
    @ValueSource(strings = {".jpg", ".webp"})
    void lossyFormatsGiveOpenCvsPixels(String ext) {
        Mat original = page();
        byte[] bytes = ext.equals(".webp") ? encode(ext, original, opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 80)
                : encode(ext, original, opencv_imgcodecs.IMWRITE_JPEG_QUALITY, 85);
        EcgImage image = EcgImage.decode("photo" + ext, bytes);
        Mat expected = imdecode(bytes);
        assertSamePixels(expected, image.bgr(), ext);
        assertEquals(120, image.width());
        assertEquals(90, image.height());
        // lossy, so the test would notice a decoder that answered the original instead
        assertFalse(Arrays.equals(bytes(original), bytes(expected)), ext + " should be lossy at this quality");
    }

    /** By content: a JPEG named .png is a JPEG, a PNG named .jpg a PNG. */
    @Test
    void nameDoesNotDecideTheFormat() {
        Mat original = page();
        byte[] jpeg = encode(".jpg", original);
        assertSamePixels(imdecode(jpeg), EcgImage.decode("really-a-jpeg.png", jpeg).bgr(), "JPEG named .png");
        byte[] png = encode(".png", original);
        assertSamePixels(original, EcgImage.decode("really-a-png.jpg", png).bgr(), "PNG named .jpg");
    }

    @Test
    void grayAndAlphaPngsBecomeBgrAsImreadColourGivesThem() {
        Mat original = page();
        Mat gray = new Mat();
        opencv_imgproc.cvtColor(original, gray, opencv_imgproc.COLOR_BGR2GRAY);
        Mat bgra = new Mat();
        opencv_imgproc.cvtColor(original, bgra, opencv_imgproc.COLOR_BGR2BGRA);
        for (Mat m : new Mat[] {gray, bgra}) {
            byte[] png = encode(".png", m);
            EcgImage image = EcgImage.decode(m.channels() + "-channel.png", png);
            assertEquals(opencv_core.CV_8UC3, image.bgr().type());
            assertSamePixels(imdecode(png), image.bgr(), m.channels() + "-channel PNG");
        }
    }

    @Test
    void emptyFileIsEmpty() {
        assertUnreadable("empty.png", new byte[0], "empty");
    }

    @Test
    void textFileNamedPngIsNotAnImage() {
        byte[] text = "lead,mV\nII,0.25\nII,0.30\n".getBytes(StandardCharsets.UTF_8);
        assertUnreadable("leads.png", text, "not an image");
    }

    /** Cut after the signature, inside IHDR, inside IDAT, just before IEND and one byte short. */
    @Test
    void truncatedPngIsTruncated() {
        byte[] png = encode(".png", page());
        int idat = chunk(png, "IDAT");
        for (int cut : new int[] {8, 20, idat + 20, png.length - 12, png.length - 1}) {
            assertTrue(cut > 0 && cut < png.length);
            UnreadableImage e = assertUnreadable("cut-" + cut + ".png", Arrays.copyOf(png, cut), "truncated PNG");
            assertTrue(e.getMessage().contains(cut + " bytes"), e.getMessage());
        }
    }

    /** One byte of the image data flipped: its chunk's checksum fails before any decoder runs. */
    @Test
    void pngWithAFlippedDataByteIsCorrupt() {
        byte[] png = encode(".png", page());
        int idat = chunk(png, "IDAT");
        byte[] bad = png.clone();
        bad[idat + 8 + 40] ^= 0x5a;
        UnreadableImage e = assertUnreadable("flipped.png", bad, "corrupt PNG");
        assertTrue(e.getMessage().contains("IDAT"), e.getMessage());
    }

    /**
     * The same flip with the checksum made to match: only the decoder can tell, and its failure is
     * reported as a corrupt PNG too.
     */
    @Test
    void pngWithAFlippedDataByteAndAMatchingChecksumIsCorrupt() {
        byte[] png = encode(".png", page());
        int idat = chunk(png, "IDAT");
        byte[] bad = png.clone();
        int length = be32(bad, idat);
        for (int i = 0; i < 16; i++) {
            bad[idat + 8 + 2 + i] ^= (byte) 0xff;
        }
        CRC32 crc = new CRC32();
        crc.update(bad, idat + 4, 4 + length);
        putBe32(bad, idat + 8 + length, (int) crc.getValue());
        assertTrue(imdecode(bad).empty(), "OpenCV should not decode the damaged data");
        assertUnreadable("damaged.png", bad, "corrupt PNG");
    }

    @Test
    void truncatedJpegAndWebpAreTruncated() {
        byte[] jpeg = encode(".jpg", page());
        assertUnreadable("half.jpg", Arrays.copyOf(jpeg, jpeg.length / 2), "truncated JPEG");
        byte[] webp = encode(".webp", page(), opencv_imgcodecs.IMWRITE_WEBP_QUALITY, 80);
        assertUnreadable("half.webp", Arrays.copyOf(webp, webp.length / 2), "truncated WebP");
    }

    /** A whole, valid PNG whose header claims 40000 x 40000: refused before the decoder allocates it. */
    @Test
    void pngOverTheDecodersPixelLimitIsRefused() {
        byte[] png = encode(".png", page());
        int ihdr = chunk(png, "IHDR");
        putBe32(png, ihdr + 8, 40_000);
        putBe32(png, ihdr + 12, 40_000);
        CRC32 crc = new CRC32();
        crc.update(png, ihdr + 4, 4 + 13);
        putBe32(png, ihdr + 8 + 13, (int) crc.getValue());
        assertUnreadable("huge.png", png, "40000x40000", "gigapixel limit");
    }

    /**
     * Headers that pass for a format with nothing decodable behind them: a TIFF whose first
     * directory is empty, a BMP header without pixels, a RIFF/WEBP box holding no bitstream.
     */
    @Test
    void headersWithoutPicturesAreRefused() {
        byte[] tiff = {'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertUnreadable("empty-directory.tif", tiff, "corrupt TIFF");
        byte[] bmp = new byte[54];
        bmp[0] = 'B';
        bmp[1] = 'M';
        bmp[2] = 54;
        bmp[10] = 54;
        bmp[14] = 40;
        bmp[18] = 100;
        bmp[22] = 100;
        bmp[26] = 1;
        bmp[28] = 24;
        assertUnreadable("header-only.bmp", bmp, "corrupt BMP");
        byte[] webp = new byte[40];
        System.arraycopy("RIFF".getBytes(StandardCharsets.ISO_8859_1), 0, webp, 0, 4);
        webp[4] = 32;
        System.arraycopy("WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1), 0, webp, 8, 8);
        assertUnreadable("no-bitstream.webp", webp, "corrupt WebP");
    }

    /** Every shared ECG image, read as bytes, decodes to what imread gives. */
    @Test
    void sharedImagesDecodeAsImreadReadsThem() throws IOException {
        Path dir = SharedData.require("ecg");
        int n = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g)")) {
                    continue;
                }
                EcgImage image = EcgImage.decode(f.getFileName().toString(), Files.readAllBytes(f));
                Mat expected = opencv_imgcodecs.imread(f.toString(), opencv_imgcodecs.IMREAD_COLOR);
                assertSamePixels(expected, image.bgr(), f.getFileName().toString());
                n++;
            }
        }
        assertTrue(n >= 10, "expected the shared ECG images in " + dir + ", found " + n);
    }

    /** The header file beside the images is not an image. */
    @Test
    void sharedWfdbHeaderIsNotAnImage() throws IOException {
        Path header = SharedData.require("ecg/SampleData_GeneratedData_sel100.hea");
        assertUnreadable("SampleData_GeneratedData_sel100.hea", Files.readAllBytes(header), "not an image");
    }

    private static UnreadableImage assertUnreadable(String name, byte[] bytes, String... says) {
        UnreadableImage e = assertThrows(UnreadableImage.class, () -> EcgImage.decode(name, bytes), name);
        String m = e.getMessage();
        assertTrue(m.startsWith("ECG image " + name + ": "), m);
        for (String s : says) {
            assertTrue(m.contains(s), "'" + m + "' should say " + s);
        }
        assertFalse(m.contains("\n") || m.contains("\r"), "one line: " + m);
        for (String leak : new String[] {"OpenCV(", ".cpp", ".hpp", "/build", "/home", "error: ("}) {
            assertFalse(m.contains(leak), "no OpenCV internals (" + leak + "): " + m);
        }
        return e;
    }

    private static byte[] encode(String ext, Mat m, int... params) {
        try (BytePointer buf = new BytePointer(); IntPointer p = new IntPointer(params)) {
            assertTrue(opencv_imgcodecs.imencode(ext, m, buf, p), "OpenCV could not encode " + ext);
            byte[] out = new byte[(int) buf.limit()];
            buf.get(out);
            return out;
        }
    }

    private static Mat imdecode(byte[] bytes) {
        try (Mat buf = new Mat(1, bytes.length, opencv_core.CV_8UC1)) {
            ((ByteBuffer) buf.createBuffer()).put(bytes);
            return opencv_imgcodecs.imdecode(buf, opencv_imgcodecs.IMREAD_COLOR);
        }
    }

    private static byte[] bytes(Mat m) {
        Mat c = m.isContinuous() ? m : m.clone();
        byte[] p = new byte[(int) (c.total() * c.elemSize())];
        ((ByteBuffer) c.createBuffer()).get(p);
        return p;
    }

    private static void assertSamePixels(Mat expected, Mat actual, String what) {
        assertFalse(expected.empty(), what + ": OpenCV decoded nothing");
        assertEquals(expected.type(), actual.type(), what + ": type");
        assertEquals(expected.cols() + "x" + expected.rows(), actual.cols() + "x" + actual.rows(), what + ": size");
        byte[] e = bytes(expected);
        byte[] a = bytes(actual);
        int first = Arrays.mismatch(e, a);
        if (first >= 0) {
            int px = first / expected.channels();
            throw new AssertionError(what + ": pixel (" + px % expected.cols() + ", " + px / expected.cols()
                    + ") channel " + first % expected.channels() + ": expected " + (e[first] & 0xff) + " but was "
                    + (a[first] & 0xff));
        }
        assertNotEquals(0, e.length, what);
    }

    /** Offset of the first chunk of that type (its length field). */
    private static int chunk(byte[] png, String type) {
        int pos = 8;
        while (pos + 8 <= png.length) {
            int length = be32(png, pos);
            if (new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals(type)) {
                return pos;
            }
            pos += 12 + length;
        }
        throw new AssertionError("no " + type + " chunk");
    }

    private static int be32(byte[] b, int i) {
        return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
    }

    private static void putBe32(byte[] b, int i, int v) {
        b[i] = (byte) (v >>> 24);
        b[i + 1] = (byte) (v >>> 16);
        b[i + 2] = (byte) (v >>> 8);
        b[i + 3] = (byte) v;
    }

}
