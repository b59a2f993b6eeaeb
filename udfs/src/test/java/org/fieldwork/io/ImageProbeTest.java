package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/** Headers read before decoding: the sizes OpenCV decodes, and the refusals a user can act on. */
public class ImageProbeTest {

    private static byte[] encode(String ext, int width, int height) {
        Mat m = new Mat(height, width, opencv_core.CV_8UC3, new Scalar(40, 120, 200, 0));
        BytePointer buf = new BytePointer();
        assertTrue(opencv_imgcodecs.imencode(ext, m, buf));
        byte[] bytes = new byte[(int) buf.limit()];
        buf.get(bytes);
        return bytes;
    }

    @Test
    void everyFormatGivesTheSizeOpenCvDecodes() {
        for (String ext : List.of(".png", ".jpg", ".webp", ".tiff", ".bmp")) {
            ImageProbe.Header h = ImageProbe.probe(encode(ext, 321, 123));
            assertEquals(321, h.width(), ext);
            assertEquals(123, h.height(), ext);
        }
    }

    @Test
    void sharedSampleImagesAllPass() throws Exception {
        Path omr = SharedData.require("omr/samples");
        Path ecg = SharedData.require("ecg");
        int n = 0;
        for (Path root : List.of(omr, ecg)) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path p : (Iterable<Path>) files.filter(f -> f.toString().matches("(?i).*\\.(png|jpe?g|webp|tiff?)$"))::iterator) {
                    byte[] bytes = Files.readAllBytes(p);
                    ImageProbe.Header h = ImageProbe.probe(bytes);
                    Mat m = opencv_imgcodecs.imdecode(new Mat(new BytePointer(bytes)), opencv_imgcodecs.IMREAD_UNCHANGED);
                    assertEquals(m.cols(), h.width(), p.toString());
                    assertEquals(m.rows(), h.height(), p.toString());
                    n++;
                }
            }
        }
        assertTrue(n >= 20, "too few sample images: " + n);
    }

    @Test
    void aTruncatedPngSaysTruncatedWhereverItIsCut() {
        byte[] png = encode(".png", 200, 100);
        for (int cut : new int[] {10, 30, png.length / 2, png.length - 5}) {
            ImageProbe.UnreadableImage e = assertThrows(ImageProbe.UnreadableImage.class,
                    () -> ImageProbe.probe(Arrays.copyOf(png, cut)));
            assertTrue(e.getMessage().startsWith("truncated PNG: the file ends after " + cut + " bytes"), e.getMessage());
        }
    }

    @Test
    void aCorruptPngChunkIsNamed() {
        byte[] png = encode(".png", 200, 100);
        png[png.length / 2] ^= 0x55;
        ImageProbe.UnreadableImage e = assertThrows(ImageProbe.UnreadableImage.class, () -> ImageProbe.probe(png));
        assertTrue(e.getMessage().matches("corrupt PNG: the IDAT chunk at byte \\d+ fails its checksum"), e.getMessage());
    }

    @Test
    void truncatedJpegAndWebpAreRefused() {
        byte[] jpg = encode(".jpg", 300, 200);
        assertTrue(ImageProbe.probe(jpg).format().equals("JPEG"));
        assertTrue(assertThrows(ImageProbe.UnreadableImage.class, () -> ImageProbe.probe(Arrays.copyOf(jpg, jpg.length / 2)))
                .getMessage().startsWith("truncated JPEG"));
        byte[] webp = encode(".webp", 300, 200);
        assertTrue(assertThrows(ImageProbe.UnreadableImage.class, () -> ImageProbe.probe(Arrays.copyOf(webp, webp.length - 9)))
                .getMessage().startsWith("truncated WebP"));
    }

    /** A whole, valid PNG whose header announces 60000 x 60000 pixels: OpenCV would refuse it with an assertion. */
    public static byte[] hugePng() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(60000).putInt(60000).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", new byte[] {0x78, 0x01, 0x01, 0x00, 0x00, (byte) 0xff, (byte) 0xff, 0, 0, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    @Test
    void anImageOverTheDecodersLimitIsRefusedInWords() {
        ImageProbe.UnreadableImage e = assertThrows(ImageProbe.UnreadableImage.class, () -> ImageProbe.probe(hugePng()));
        assertEquals("image 60000x60000 (3.6 gigapixels) exceeds the 1 gigapixel limit of the decoder", e.getMessage());
    }

    @Test
    void emptyAndUnknownBytesAreNamed() {
        assertEquals("empty file", assertThrows(ImageProbe.UnreadableImage.class, () -> ImageProbe.probe(new byte[0])).getMessage());
        assertTrue(assertThrows(ImageProbe.UnreadableImage.class,
                () -> ImageProbe.probe("this is no image".getBytes(StandardCharsets.US_ASCII))).getMessage().startsWith("not an image"));
    }
}
