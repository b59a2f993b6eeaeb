package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackFormats;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Legacy (version 1, JPEG 2000) ND2 files written by {@link Nd2LegacyWriter} and read back through
 * {@link StackFormats}: every pixel, the image size and sample type, the loops (from the experiment
 * box, from the text info, or none), channel names, calibration and frame times; and damaged files
 * fail naming the file and what is wrong.
 */
class Nd2LegacyTest {
    private static final int W = 23;
    private static final int H = 17;

    @TempDir
    Path dir;

    /** A value that differs with frame, plane, component and pixel, within {@code bits}. */
    static int value(int n, int plane, int k, int i, int bits) {
        long x = ((n * 31L + plane) * 31 + k) * 0x9E3779B97F4A7C15L + i * 0xBF58476D1CE4E5B9L;
        x ^= x >>> 31;
        return (int) (x >>> 11) & ((1 << bits) - 1);
    }

    private static StackReader open(Path file) throws IOException {
        return StackFormats.open(file.toString(), SeekableInput.local(file));
    }

    /** Every pixel of every plane equals what frame {@code sequence(p, t)} was written with. */
    private static void assertPixels(StackReader r, int bits, int components, Sequence sequence) throws IOException {
        StackInfo info = r.info();
        float[] plane = new float[W * H];
        for (int p = 0; p < info.positions(); p++) {
            for (int t = 0; t < info.frames(); t++) {
                for (int c = 0; c < info.channelCount(); c++) {
                    Arrays.fill(plane, -1);
                    r.read(p, t, 0, c, plane);
                    int n = sequence.of(p, t);
                    for (int i = 0; i < plane.length; i++) {
                        int want = value(n, c / components, c % components, i, bits);
                        if (plane[i] != want) {
                            throw new AssertionError("position " + p + " time " + t + " channel " + c + " pixel " + i
                                    + ": " + plane[i] + ", want " + want);
                        }
                    }
                }
            }
        }
    }

    private interface Sequence {
        int of(int position, int time);
    }

    /** 12-bit data in 16-bit codestreams, two channel planes, three time points from an NE time loop. */
    private Path timeLapse(String name) throws IOException {
        String aim1 = "<Metadata_V1.2 version=\"1.0\"><vMetadata runtype=\"CLxListVariant\">"
                + Nd2LegacyWriter.scalar("eType", "lx_int32", 8)
                + "<uLoopPars runtype=\"CLxListVariant\"><pPeriod runtype=\"CLxListVariant\">"
                + "<no_name runtype=\"CLxListVariant\">" + Nd2LegacyWriter.scalar("uiCount", "lx_uint32", 3)
                + Nd2LegacyWriter.scalar("dPeriod", "double", 600000)
                + "</no_name></pPeriod></uLoopPars>"
                + "<ppNextLevelEx runtype=\"CLxListVariant\"><no_name runtype=\"CLxListVariant\">"
                + Nd2LegacyWriter.scalar("eType", "lx_int32", 6)
                + "<uLoopPars runtype=\"CLxListVariant\">" + Nd2LegacyWriter.scalar("uiCount", "lx_uint32", 2)
                + "</uLoopPars></no_name></ppNextLevelEx>"
                + "</vMetadata>" + Nd2LegacyWriter.scalar("vUnknownData", "CLxByteArray", "") + "</Metadata_V1.2>";
        return new Nd2LegacyWriter(W, H, 16, 1, 3, "Phase", "GFP")
                .times(1000.25, 601000.25, 1201500.25).pixelSize(0.645).significantBits(12)
                .dimensions("T(3) x \u03bb(2)").experiment("AIM1", aim1)
                .write(dir.resolve(name), (n, plane, k, i) -> value(n, plane, k, i, 12));
    }

    @Test
    void sixteenBitTimeLapseWithTwoChannels() throws IOException {
        Path file = timeLapse("timelapse.nd2");
        try (StackReader r = open(file)) {
            assertInstanceOf(Nd2LegacyFile.class, r);
            StackInfo info = r.info();
            assertEquals("nd2", info.format());
            assertEquals(W, info.width());
            assertEquals(H, info.height());
            assertEquals(1, info.positions());
            assertEquals(3, info.frames());
            assertEquals(1, info.zSlices());
            assertEquals(List.of("Phase", "GFP"), info.channels());
            assertEquals("uint16", info.pixelType());
            assertEquals(12, info.bitsSignificant());
            assertEquals(0.645, info.pixelSizeUm(), 1e-12);
            assertArrayEquals(new double[] {0, 600, 1200.5}, info.frameTimesS(), 1e-9);
            assertEquals("1 (JPEG 2000)", info.extra().get("nd2.version"));
            assertEquals("T(3)", info.extra().get("loops"));
            assertEquals("experiment (AIM1) and text info dimensions", info.extra().get("loops.source"));
            assertEquals("JPEG 2000, reversible 5/3 wavelet", info.extra().get("compression"));
            assertEquals("3", info.extra().get("sequences"));
            assertEquals("2", info.extra().get("codestreams.per.frame"));
            assertEquals("Plan Fluor 10x Ph1", info.extra().get("objective"));
            assertEquals("10", info.extra().get("objective.magnification"));
            assertEquals("0.3", info.extra().get("objective.na"));
            assertPixels(r, 12, 1, (p, t) -> t);
        }
    }

    @Test
    void eightBitColourFramesOfPositionsAndTimes() throws IOException {
        // Old-style experiment: loops side by side, LoopNo00 outermost; time outside, positions inside.
        String aimd = "<Metadata><LoopNo00 runtype=\"CLxListVariant\">" + Nd2LegacyWriter.scalar("Type", "lx_int32", 1)
                + "<LoopPars runtype=\"CLxListVariant\">" + Nd2LegacyWriter.scalar("Count", "lx_uint32", 2)
                + "</LoopPars></LoopNo00><LoopNo01 runtype=\"CLxListVariant\">"
                + Nd2LegacyWriter.scalar("Type", "lx_int32", 2)
                + "<LoopPars runtype=\"CLxListVariant\">" + Nd2LegacyWriter.scalar("Count", "lx_uint32", 2)
                + "</LoopPars></LoopNo01></Metadata>";
        Path file = new Nd2LegacyWriter(W, H, 8, 3, 4, "Brightfield").times(0, 10, 2000, 2010)
                .experiment("AIMD", aimd)
                .write(dir.resolve("colour.nd2"), (n, plane, k, i) -> value(n, plane, k, i, 8));
        try (StackReader r = open(file)) {
            StackInfo info = r.info();
            assertEquals(2, info.positions());
            assertEquals(2, info.frames());
            assertEquals(List.of("Brightfield 1", "Brightfield 2", "Brightfield 3"), info.channels());
            assertEquals("uint8", info.pixelType());
            assertEquals(8, info.bitsSignificant());
            assertTrue(Double.isNaN(info.pixelSizeUm()));
            assertArrayEquals(new double[] {0, 2}, info.frameTimesS(), 1e-12);
            assertEquals("T(2) XY(2)", info.extra().get("loops"));
            assertEquals("experiment (AIMD)", info.extra().get("loops.source"));
            assertFalse(info.extra().containsKey("codestreams.per.frame"));
            assertPixels(r, 8, 3, (p, t) -> t * 2 + p);
        }
    }

    @Test
    void framesWithoutLoopMetadataAreTimePoints() throws IOException {
        Path file = new Nd2LegacyWriter(W, H, 16, 1, 2, "").withoutMetadata()
                .write(dir.resolve("bare.nd2"), (n, plane, k, i) -> value(n, plane, k, i, 16));
        try (StackReader r = open(file)) {
            StackInfo info = r.info();
            assertEquals(1, info.positions());
            assertEquals(2, info.frames());
            assertEquals(List.of("Channel 0"), info.channels());
            assertEquals(16, info.bitsSignificant());
            assertEquals(0, info.frameTimesS().length);
            assertEquals("T(2)", info.extra().get("loops"));
            assertEquals("none: the metadata describes no loops, so the 2 frames are read as time points of one"
                    + " position", info.extra().get("loops.source"));
            assertPixels(r, 16, 1, (p, t) -> t);
        }
    }

    @Test
    void loopsThatDoNotFitTheFramesAreNotTrusted() throws IOException {
        Path file = new Nd2LegacyWriter(W, H, 8, 1, 3, "DAPI").dimensions("T(2) x XY(2)")
                .write(dir.resolve("misfit.nd2"), (n, plane, k, i) -> value(n, plane, k, i, 8));
        try (StackReader r = open(file)) {
            assertEquals(1, r.info().positions());
            assertEquals(3, r.info().frames());
            assertEquals("none: the metadata's loops T(2) XY(2) do not fit them, so the 3 frames are read as time"
                    + " points of one position", r.info().extra().get("loops.source"));
        }
    }

    @Test
    void truncatedFileNamesTheFileAndTheProblem() throws IOException {
        byte[] good = Files.readAllBytes(timeLapse("good.nd2"));
        Path cut = Files.write(dir.resolve("cut.nd2"), Arrays.copyOf(good, good.length * 3 / 5));
        Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> open(cut).close());
        assertTrue(e.getMessage().startsWith(cut + ": truncated or unfinished"), e.getMessage());
        assertTrue(e.getMessage().contains("LABORATORY IMAGING ND BOX MAP 00"), e.getMessage());

        Path stub = Files.write(dir.resolve("stub.nd2"), Arrays.copyOf(good, 20));
        Nd2FormatException shortFile = assertThrows(Nd2FormatException.class, () -> open(stub).close());
        assertTrue(shortFile.getMessage().startsWith(stub + ": truncated"), shortFile.getMessage());
    }

    @Test
    void damagedCodestreamBoxFailsOnlyItsFrame() throws IOException {
        Path file = timeLapse("damaged.nd2");
        byte[] bytes = Files.readAllBytes(file);
        long last;
        try (SeekableInput in = SeekableInput.local(file)) {
            List<Nd2BoxIndex.Box> cs = Nd2BoxIndex.read(in).ofType(Nd2LegacyFile.CODESTREAM);
            last = cs.get(cs.size() - 1).offset();
        }
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).putInt((int) last, 1 << 24);
        Path damaged = Files.write(dir.resolve("damaged-box.nd2"), bytes);
        try (StackReader r = open(damaged)) {
            float[] plane = new float[W * H];
            r.read(0, 2, 0, 0, plane);
            assertEquals(value(2, 0, 0, 7, 12), plane[7]);
            Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> r.read(0, 2, 0, 1, plane));
            assertTrue(e.getMessage().startsWith(damaged + ": frame (position 0, time 2) is unreadable: corrupt"
                    + " box 'jp2c' (LUNK) at offset " + last), e.getMessage());
        }
    }

    @Test
    void signatureChoosesTheLegacyReaderAndAPlainJpeg2000ImageIsRefused() throws IOException {
        Nd2Format format = new Nd2Format();
        assertTrue(format.accepts("old.nd2", Arrays.copyOf(Nd2LegacyFile.JP2_SIGNATURE, 64)));
        assertFalse(format.accepts("old.nd2", Arrays.copyOf(Nd2LegacyFile.JP2_SIGNATURE, 8)));
        byte[] good = Files.readAllBytes(timeLapse("plain-source.nd2"));
        int firstXml = 0;
        try (SeekableInput in = SeekableInput.local(dir.resolve("plain-source.nd2"))) {
            firstXml = (int) Nd2BoxIndex.read(in).ofType("xml ").get(0).offset();
        }
        Path plain = Files.write(dir.resolve("image.jp2"), Arrays.copyOf(good, firstXml));
        Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> open(plain).close());
        assertTrue(e.getMessage().contains("or a plain JPEG 2000 image"), e.getMessage());
    }
}
