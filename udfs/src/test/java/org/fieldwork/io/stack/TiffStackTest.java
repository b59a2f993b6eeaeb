package org.fieldwork.io.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TIFF stacks written by tifffile (Debian's python3-tifffile, an independent writer) read back
 * through {@link StackFormats}: every pixel of every plane, and the metadata. Each file's pixel
 * values follow a formula of (page, row, column) that both sides compute, the page being the
 * array's leading indices flattened as tifffile stores them.
 */
class TiffStackTest {
    private static final int W = 7;
    private static final int H = 5;

    @TempDir
    static Path dir;
    /** Page directory and pixel data offsets tifffile reports, by file: "ome.ifds", "ome.data"... */
    private static final Map<String, long[]> OFFSETS = new HashMap<>();

    /** A plane's value at (page, row, column). */
    interface Pixel {
        float at(int page, int y, int x);
    }

    /** The page holding (time point, z slice, channel) in the array tifffile was given. */
    interface Page {
        int of(int t, int z, int c);
    }

    private static float u16(int p, int y, int x) {
        return (p * 7919 + y * 1031 + x * 257 + 40000) % 65536;
    }

    private static float u8(int p, int y, int x) {
        return (p * 37 + y * 11 + x * 3) % 256;
    }

    private static float f32(int p, int y, int x) {
        return (p * 100 + y * 10 + x) / 8f - 20.5f;
    }

    private static float u32(int p, int y, int x) {
        return ((long) (p * 7919 + y * 1031 + x * 257) * 4099 % (1 << 24)) * 256f;
    }

    @BeforeAll
    static void writeStacks() {
        Python.requireModule("tifffile");
        String out = Python.check(String.join("\n",
                "import sys, os, numpy as np, tifffile",
                "d = sys.argv[1]",
                "H, W = 5, 7",
                "def make(shape, f, dtype):",
                "    pages = int(np.prod(shape[:-2]))",
                "    p, y, x = np.indices((pages, H, W), dtype=np.int64)",
                "    return f(p, y, x).astype(dtype).reshape(shape)",
                "u16 = lambda p, y, x: (p * 7919 + y * 1031 + x * 257 + 40000) % 65536",
                "u8 = lambda p, y, x: (p * 37 + y * 11 + x * 3) % 256",
                "f32 = lambda p, y, x: (p * 100 + y * 10 + x) / 8.0 - 20.5",
                "u32 = lambda p, y, x: ((p * 7919 + y * 1031 + x * 257) * 4099 % (1 << 24)) * 256",
                "j = lambda name: os.path.join(d, name)",
                "tifffile.imwrite(j('u16.tif'), make((4, H, W), u16, np.uint16), photometric='minisblack')",
                "tifffile.imwrite(j('u8.tif'), make((3, H, W), u8, np.uint8), photometric='minisblack', compression='zlib')",
                "tifffile.imwrite(j('f32.tif'), make((3, H, W), f32, np.float32), photometric='minisblack')",
                "tifffile.imwrite(j('u32.tif'), make((2, H, W), u32, np.uint32), photometric='minisblack')",
                "tifffile.imwrite(j('big.tif'), make((2, H, W), u16, np.uint16), photometric='minisblack', bigtiff=True)",
                "p, y, x, s = np.indices((2, H, W, 3))",
                "tifffile.imwrite(j('rgb.tif'), ((p * 50 + y * 7 + x * 3 + s * 80) % 256).astype(np.uint8), photometric='rgb')",
                "tifffile.imwrite(j('two_channels.ome.tif'), make((3, 2, H, W), u16, np.uint16), photometric='minisblack',",
                "    metadata={'axes': 'TCYX', 'Channel': {'Name': ['DAPI', 'GFP']},",
                "              'PhysicalSizeX': 650, 'PhysicalSizeXUnit': 'nm'})",
                "delta = [(q // 4) * 10 + (q % 4) * 0.5 for q in range(8)]",
                "tifffile.imwrite(j('tzc.ome.tif'), make((2, 2, 2, H, W), u8, np.uint8), photometric='minisblack',",
                "    metadata={'axes': 'TZCYX', 'Channel': {'Name': ['phase', 'mCherry']},",
                "              'PhysicalSizeX': 0.5, 'PhysicalSizeXUnit': '\\u00b5m',",
                "              'Plane': {'DeltaT': delta, 'DeltaTUnit': ['min'] * 8}})",
                "tifffile.imwrite(j('hyper.tif'), make((3, 2, 2, H, W), u16, np.uint16), imagej=True,",
                "    resolution=(4.0, 4.0), metadata={'axes': 'TZCYX', 'unit': 'um', 'spacing': 1.5, 'finterval': 30})",
                "for name in ['u16.tif', 'hyper.tif', 'two_channels.ome.tif']:",
                "    with tifffile.TiffFile(j(name)) as t:",
                "        print(name + '.ifds', *[pg.offset for pg in t.pages])",
                "        print(name + '.data', *[pg.dataoffsets[0] for pg in t.pages])",
                "    print(name + '.size', os.path.getsize(j(name)))",
                "with tifffile.TiffFile(j('tzc.ome.tif')) as t:",
                "    print('order', t.pages[0].description.split('DimensionOrder=\"')[1][:5])"),
                dir.toString());
        for (String line : out.strip().split("\n")) {
            String[] words = line.trim().split(" ");
            if (!words[0].equals("order")) {
                OFFSETS.put(words[0], Arrays.stream(words, 1, words.length).mapToLong(Long::parseLong).toArray());
            }
        }
        assertTrue(out.contains("order XYCZT"), "tifffile stores TZCYX in DimensionOrder XYCZT: " + out);
    }

    private static StackReader open(String file) throws IOException {
        Path path = dir.resolve(file);
        return StackFormats.open(path.toString(), SeekableInput.local(path));
    }

    /** Reads every plane, last first (so the reused page image is overwritten out of order), and compares every pixel. */
    private static void assertPlanes(StackReader r, Page page, Pixel pixel) throws IOException {
        StackInfo info = r.info();
        float[] plane = new float[W * H];
        for (int t = info.frames() - 1; t >= 0; t--) {
            for (int z = info.zSlices() - 1; z >= 0; z--) {
                for (int c = info.channelCount() - 1; c >= 0; c--) {
                    Arrays.fill(plane, Float.NaN);
                    r.read(0, t, z, c, plane);
                    float[] expected = new float[W * H];
                    int p = page.of(t, z, c);
                    for (int y = 0; y < H; y++) {
                        for (int x = 0; x < W; x++) {
                            expected[y * W + x] = pixel.at(p, y, x);
                        }
                    }
                    assertArrayEquals(expected, plane, r.name() + " t=" + t + " z=" + z + " c=" + c);
                }
            }
        }
    }

    private static void assertShape(StackInfo info, int frames, int z, List<String> channels, String type, int bits) {
        assertEquals("tiff", info.format());
        assertEquals(W, info.width());
        assertEquals(H, info.height());
        assertEquals(1, info.positions());
        assertEquals(frames, info.frames(), "frames");
        assertEquals(z, info.zSlices(), "z slices");
        assertEquals(channels, info.channels());
        assertEquals(type, info.pixelType());
        assertEquals(bits, info.bitsSignificant(), "bits");
    }

    @Test
    void sixteenBitPagesAreTimePointsReadUnsigned() throws IOException {
        try (StackReader r = open("u16.tif")) {
            assertShape(r.info(), 4, 1, List.of("Channel 0"), "uint16", 16);
            assertEquals("multi-page TIFF", r.info().extra().get("layout"));
            assertTrue(Double.isNaN(r.info().pixelSizeUm()));
            assertEquals(0, r.info().frameTimesS().length);
            assertPlanes(r, (t, z, c) -> t, TiffStackTest::u16);
            float[] plane = new float[W * H];
            r.read(0, 0, 0, 0, plane);
            assertEquals(40000f, plane[0], "above 32767, so read unsigned");
        }
    }

    @Test
    void eightBitDeflateStack() throws IOException {
        try (StackReader r = open("u8.tif")) {
            assertShape(r.info(), 3, 1, List.of("Channel 0"), "uint8", 8);
            assertEquals("Deflate", r.info().extra().get("compression"));
            assertPlanes(r, (t, z, c) -> t, TiffStackTest::u8);
        }
    }

    @Test
    void floatStack() throws IOException {
        try (StackReader r = open("f32.tif")) {
            assertShape(r.info(), 3, 1, List.of("Channel 0"), "float32", 0);
            assertPlanes(r, (t, z, c) -> t, TiffStackTest::f32);
        }
    }

    @Test
    void thirtyTwoBitUnsignedStack() throws IOException {
        try (StackReader r = open("u32.tif")) {
            assertShape(r.info(), 2, 1, List.of("Channel 0"), "uint32", 32);
            assertPlanes(r, (t, z, c) -> t, TiffStackTest::u32);
        }
    }

    @Test
    void rgbSamplesAreChannels() throws IOException {
        try (StackReader r = open("rgb.tif")) {
            assertShape(r.info(), 2, 1, List.of("Channel 0", "Channel 1", "Channel 2"), "uint8", 8);
            // the "page" passed on is page * 3 + sample, undone here
            assertPlanes(r, (t, z, c) -> t * 3 + c, (q, y, x) -> ((q / 3) * 50 + y * 7 + x * 3 + (q % 3) * 80) % 256);
        }
    }

    @Test
    void omeTiffChannelsTimePointsAndPixelSize() throws IOException {
        try (StackReader r = open("two_channels.ome.tif")) {
            StackInfo info = r.info();
            assertShape(info, 3, 1, List.of("DAPI", "GFP"), "uint16", 16);
            assertEquals("OME-TIFF", info.extra().get("layout"));
            assertEquals(0.65, info.pixelSizeUm(), 1e-12, "650 nm");
            assertEquals(1, info.channelIndex("gfp"));
            assertPlanes(r, (t, z, c) -> t * 2 + c, TiffStackTest::u16);
        }
    }

    @Test
    void omeTiffDimensionOrderUtf8UnitAndPlaneTimes() throws IOException {
        try (StackReader r = open("tzc.ome.tif")) {
            StackInfo info = r.info();
            assertShape(info, 2, 2, List.of("phase", "mCherry"), "uint8", 8);
            assertEquals("XYCZT", info.extra().get("dimensionOrder"));
            assertEquals(0.5, info.pixelSizeUm(), 0.0, "PhysicalSizeXUnit \u00b5m, stored as UTF-8");
            assertArrayEquals(new double[] {0, 600}, info.frameTimesS(), 1e-9, "DeltaT of z 0, channel 0, in minutes");
            assertPlanes(r, (t, z, c) -> (t * 2 + z) * 2 + c, TiffStackTest::u8);
        }
    }

    @Test
    void imageJHyperstackChannelFastestThenZThenTime() throws IOException {
        try (StackReader r = open("hyper.tif")) {
            StackInfo info = r.info();
            assertShape(info, 3, 2, List.of("Channel 0", "Channel 1"), "uint16", 16);
            assertEquals("ImageJ hyperstack", info.extra().get("layout"));
            assertEquals(0.25, info.pixelSizeUm(), 1e-12);
            assertEquals("1.5", info.extra().get("zSpacingUm"));
            assertArrayEquals(new double[] {0, 30, 60}, info.frameTimesS(), 1e-12);
            assertPlanes(r, (t, z, c) -> (t * 2 + z) * 2 + c, TiffStackTest::u16);
        }
    }

    @Test
    void readsThroughAnInputWithoutAMappedView() throws IOException {
        ByteArrayInput input = new ByteArrayInput("s3a://bucket/u16.tif", Files.readAllBytes(dir.resolve("u16.tif")));
        try (StackReader r = StackFormats.open(input.name(), input)) {
            assertEquals("s3a://bucket/u16.tif", r.name());
            assertPlanes(r, (t, z, c) -> t, TiffStackTest::u16);
        }
        assertTrue(input.closed(), "the reader closes its input");
    }

    @Test
    void bigTiffIsClaimedAndRefusedWithTheReason() {
        IOException e = assertThrows(IOException.class, () -> open("big.tif"));
        assertTrue(e.getMessage().startsWith(dir.resolve("big.tif") + ": BigTIFF"), e.getMessage());
    }

    /** A copy of a file cut after its first {@code bytes} bytes. */
    private static Path truncated(String file, long bytes) throws IOException {
        Path cut = dir.resolve("cut" + bytes + "-" + file);
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(dir.resolve(file)), (int) bytes));
        return cut;
    }

    private static StackReader openCut(Path cut) throws IOException {
        return StackFormats.open(cut.toString(), SeekableInput.local(cut));
    }

    @Test
    void aMissingPageFailsOnItsReadNamingFileAndPage() throws IOException {
        long[] ifds = OFFSETS.get("hyper.tif.ifds");
        Path cut = truncated("hyper.tif", ifds[11] + 1);
        try (StackReader r = openCut(cut)) {
            assertEquals(3, r.info().frames(), "the ImageJ description in the first page still says 3 time points");
            float[] plane = new float[W * H];
            r.read(0, 2, 1, 0, plane);
            assertEquals(u16(10, 0, 0), plane[0], "pages before the cut read");
            IOException e = assertThrows(IOException.class, () -> r.read(0, 2, 1, 1, plane));
            String m = e.getMessage();
            assertTrue(m.startsWith(cut + ": truncated TIFF: the directory of page 11"), m);
            assertTrue(m.contains("past the end of the file (" + (ifds[11] + 1) + " bytes)"), m);
            assertTrue(m.contains("time point 2, z slice 1, channel 1"), m);
        }
    }

    @Test
    void pixelDataCutOffFailsOnRead() throws IOException {
        long[] data = OFFSETS.get("hyper.tif.data");
        Path cut = truncated("hyper.tif", data[0] + 3);
        try (StackReader r = openCut(cut)) {
            IOException e = assertThrows(IOException.class, () -> r.read(0, 0, 0, 0, new float[W * H]));
            String m = e.getMessage();
            assertTrue(m.startsWith(cut + ": cannot read page 0 (time point 0, z slice 0, channel 0): its pixel data runs"
                    + " past the end of the file"), m);
            assertTrue(m.contains("truncated"), m);
        }
    }

    @Test
    void omeXmlCutOffFailsOnOpen() throws IOException {
        // tifffile writes the OME-XML last, once it knows every page, so a cut file has lost it.
        long size = OFFSETS.get("two_channels.ome.tif.size")[0];
        Path cut = truncated("two_channels.ome.tif", size - 100);
        IOException e = assertThrows(IOException.class, () -> openCut(cut));
        assertTrue(e.getMessage().startsWith(cut + ": truncated TIFF: the ImageDescription of page 0 lies at bytes"), e.getMessage());
    }

    @Test
    void aCutDirectoryFailsOnOpen() throws IOException {
        Path header = truncated("u16.tif", 12);
        IOException first = assertThrows(IOException.class, () -> openCut(header));
        assertTrue(first.getMessage().startsWith(header + ": truncated TIFF: the directory of page 0"), first.getMessage());

        // A plain TIFF's frames are its pages, so a chain of directories cut short fails at open.
        long[] ifds = OFFSETS.get("u16.tif.ifds");
        Path chain = truncated("u16.tif", ifds[3] + 6);
        IOException last = assertThrows(IOException.class, () -> openCut(chain));
        assertTrue(last.getMessage().startsWith(chain + ": truncated TIFF: the directory of page 3"), last.getMessage());
    }
}
