package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/**
 * The three real NIS-Elements files in ../shared/data/nd2: their metadata against the values
 * NIS-Elements reports (known-metadata.yml) or the data README, and every frame of every file
 * against the file's own timestamps and an independent numpy reading of the raw chunks.
 */
class Nd2RealFilesTest {
    private static final String[] FILES = {"example-timelapse.nd2", "example-multichannel.nd2", "example-cerevisiae.nd2"};

    private static KnownMetadata known() throws IOException {
        return new KnownMetadata(SharedData.require("nd2/known-metadata.yml"));
    }

    @Test
    void timelapseMatchesKnownMetadata() throws IOException {
        try (Nd2File f = Nd2File.open(SharedData.require("nd2/example-timelapse.nd2"))) {
            StackInfo i = f.info();
            // The data README: a 53-frame 64x64 time lapse; one channel, named in the file 'GFP 488 nm'.
            assertEquals(53, i.frames());
            assertEquals(1, i.positions());
            assertEquals(List.of("GFP 488 nm"), i.channels());
            assertMatchesYml("example-timelapse.nd2", i);
            assertEquals("T(53)", i.extra().get("loops"));
            assertEquals(53, Integer.parseInt(i.extra().get("sequences")));
            // The experiment's time loop reports a mean period of 500.16 ms between frames.
            double[] t = i.frameTimesS();
            assertEquals(0.0, t[0]);
            for (int k = 1; k < t.length; k++) {
                assertTrue(t[k] > t[k - 1], "time " + k + " after time " + (k - 1));
            }
            assertEquals(0.50016, t[52] / 52, 1e-4);
        }
    }

    @Test
    void multichannelMatchesKnownMetadata() throws IOException {
        try (Nd2File f = Nd2File.open(SharedData.require("nd2/example-multichannel.nd2"))) {
            StackInfo i = f.info();
            assertEquals(List.of("Mono", "DAPI", "FITC BP", "TRITC BP"), i.channels());
            assertEquals(1, i.frames());
            assertEquals(1, i.positions());
            assertMatchesYml("example-multichannel.nd2", i);
            assertEquals("none", i.extra().get("loops"));
        }
    }

    @Test
    void cerevisiaeMatchesItsReadme() throws IOException {
        try (Nd2File f = Nd2File.open(SharedData.require("nd2/example-cerevisiae.nd2"))) {
            StackInfo i = f.info();
            assertTrue(!known().lists("example-cerevisiae.nd2"), "the yml does not list this file");
            // The data README: 2-channel DIC+FITC (the FITC channel is named 'FITC BP' in the file).
            assertEquals(List.of("DIC", "FITC BP"), i.channels());
            assertEquals(256, i.width());
            assertEquals(256, i.height());
            assertEquals(1, i.positions());
            assertEquals(1, i.frames());
            assertEquals(1, i.zSlices());
            assertEquals("uint16", i.pixelType());
            // A 40x objective at zoom 1.5 on the 6.5 µm pixels of the file's Hamamatsu ORCA-Fusion camera.
            assertEquals("40", i.extra().get("objective.magnification"));
            assertEquals("1.5", i.extra().get("zoom"));
            assertEquals(6.5 / (40 * 1.5), i.pixelSizeUm(), 1e-12);
        }
    }

    /** Size, z planes, pixel size, objective and zoom as the yml gives them, for every channel it lists. */
    private static void assertMatchesYml(String file, StackInfo i) throws IOException {
        KnownMetadata k = known();
        List<String> ymlChannels = k.channels(file);
        assertEquals(ymlChannels.size(), i.channelCount(), "channels of " + file);
        List<String> mapped = new ArrayList<>();
        for (String c : i.channels()) {
            mapped.add(ymlChannelName(c));
        }
        assertEquals(ymlChannels, mapped, "the yml's channel names for " + i.channels());
        for (String c : ymlChannels) {
            assertEquals((int) k.number(file, c, "resolution.x_size_px"), i.width());
            assertEquals((int) k.number(file, c, "resolution.y_size_px"), i.height());
            assertEquals((int) k.number(file, c, "resolution.z_size_px"), i.zSlices());
            assertEquals(k.number(file, c, "resolution.xy_step_um"), i.pixelSizeUm(), 1e-12);
            assertEquals(k.number(file, c, "optics.magnification"), Double.parseDouble(i.extra().get("objective.magnification")));
            assertEquals(k.number(file, c, "optics.numerical_aperture"), Double.parseDouble(i.extra().get("objective.na")), 1e-12);
            assertEquals(k.number(file, c, "acquisition.zoom"), Double.parseDouble(i.extra().get("zoom")));
        }
        assertEquals("uint16", i.pixelType());
        assertEquals(16, i.bitsSignificant());
        assertEquals("none", i.extra().get("compression"));
        assertEquals("3.0", i.extra().get("nd2.version"));
    }

    /**
     * The yml was written by arcadia-microscopy-tools, which names a channel after the first of its
     * own registered names that the file's channel name contains (longest first), with two aliases:
     * a "Mono" channel is BRIGHTFIELD and a "GFP" channel is FITC.
     */
    private static String ymlChannelName(String fileName) {
        String upper = fileName.toUpperCase(Locale.ROOT);
        if (upper.contains("MONO")) {
            return "BRIGHTFIELD";
        }
        if (upper.contains("GFP")) {
            return "FITC";
        }
        String best = fileName;
        int bestLength = 0;
        for (String name : List.of("BRIGHTFIELD", "DIC", "PHASE", "DAPI", "FITC", "TRITC", "CY5", "CARS", "SRS", "SHG")) {
            if (upper.contains(name) && name.length() > bestLength) {
                best = name;
                bestLength = name.length();
            }
        }
        return best;
    }

    @Test
    void everyFrameHoldsRealPixelsAndItsOwnTimestamp() throws IOException {
        for (String name : FILES) {
            try (Nd2File f = Nd2File.open(SharedData.require("nd2/" + name))) {
                StackInfo i = f.info();
                float[] plane = new float[i.width() * i.height()];
                double limit = Math.pow(2, i.bitsSignificant()) - 1;
                double first = f.frameTimestampMs(f.sequenceIndex(0, 0, 0));
                for (int t = 0; t < i.frames(); t++) {
                    for (int c = 0; c < i.channelCount(); c++) {
                        f.read(0, t, 0, c, plane);
                        float min = Float.MAX_VALUE;
                        float max = 0;
                        for (float v : plane) {
                            assertEquals(Math.rint(v), v, name + ": integer pixels");
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        assertTrue(max > 0 && max > min, name + " time " + t + " channel " + c + ": not a blank plane");
                        assertTrue(min >= 0 && max <= limit, name + ": values within " + i.bitsSignificant() + " bits");
                    }
                    // The f64 that starts each frame chunk and the AcqTimesCache give the same time.
                    double ms = f.frameTimestampMs(f.sequenceIndex(0, t, 0));
                    assertEquals((ms - first) / 1000.0, i.frameTimesS()[t], 1e-9, name + " time " + t);
                }
            }
        }
    }

    @Test
    void channelsAreDistinctImages() throws IOException {
        // Interleaved components decode as separate images: the DIC plane is bright, the FITC plane dim.
        try (Nd2File f = Nd2File.open(SharedData.require("nd2/example-cerevisiae.nd2"))) {
            float[] dic = new float[256 * 256];
            float[] fitc = new float[256 * 256];
            f.read(0, 0, 0, 0, dic);
            f.read(0, 0, 0, 1, fitc);
            assertTrue(mean(dic) > 20 * mean(fitc), "DIC mean " + mean(dic) + ", FITC mean " + mean(fitc));
        }
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float x : v) {
            s += x;
        }
        return s / v.length;
    }

    /**
     * An independent reading: numpy walks the chunk map itself, takes each ImageDataSeq chunk's
     * pixels 4096 bytes into the chunk, and de-interleaves the channels; its per-plane sums,
     * extremes and one probe pixel must equal ours, read through positioned reads (as from S3).
     */
    @Test
    void pixelsMatchAnIndependentNumpyReading() throws IOException {
        Python.requireModule("numpy");
        String script = String.join("\n",
                "import struct, sys, numpy as np",
                "path, w, h, nc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])",
                "d = open(path, 'rb').read()",
                "assert d[-40:-8] == b'ND2 CHUNK MAP SIGNATURE 0000001!'",
                "mo = struct.unpack('<Q', d[-8:])[0]",
                "nl, dl = struct.unpack('<IQ', d[mo + 4:mo + 16])",
                "m = d[mo + 16 + nl:mo + 16 + nl + dl]",
                "i, seqs = 0, {}",
                "while True:",
                "    j = m.index(b'!', i)",
                "    name = m[i:j + 1]",
                "    if name == b'ND2 CHUNK MAP SIGNATURE 0000001!':",
                "        break",
                "    off, size = struct.unpack('<QQ', m[j + 1:j + 17])",
                "    i = j + 17",
                "    if name.startswith(b'ImageDataSeq|'):",
                "        seqs[int(name[13:-1])] = (off, size)",
                "for n in sorted(seqs):",
                "    off, size = seqs[n]",
                "    px = np.frombuffer(d, '<u2', (size - 8) // 2, off + 4096).reshape(h, -1)[:, :w * nc].reshape(h, w, nc)",
                "    for c in range(nc):",
                "        p = px[:, :, c].astype(np.int64)",
                "        print(n, c, int(p.sum()), int(p.min()), int(p.max()), int(p[h // 3, w // 2]))");
        for (String name : FILES) {
            Path file = SharedData.require("nd2/" + name);
            try (StackReader r = new Nd2Format().open(new PositionedInput(file))) {
                StackInfo i = r.info();
                String out = Python.check(script, file.toString(), Integer.toString(i.width()),
                        Integer.toString(i.height()), Integer.toString(i.channelCount()));
                List<String> mine = new ArrayList<>();
                float[] plane = new float[i.width() * i.height()];
                for (int t = 0; t < i.frames(); t++) {
                    for (int c = 0; c < i.channelCount(); c++) {
                        r.read(0, t, 0, c, plane);
                        long sum = 0;
                        float min = Float.MAX_VALUE;
                        float max = 0;
                        for (float v : plane) {
                            sum += (long) v;
                            min = Math.min(min, v);
                            max = Math.max(max, v);
                        }
                        mine.add(t + " " + c + " " + sum + " " + (long) min + " " + (long) max + " "
                                + (long) plane[(i.height() / 3) * i.width() + i.width() / 2]);
                    }
                }
                assertArrayEquals(out.strip().split("\n"), mine.toArray(new String[0]), name);
            }
        }
    }

    @Test
    void viewedAndPositionedReadsAgree() throws IOException {
        for (String name : FILES) {
            Path file = SharedData.require("nd2/" + name);
            try (StackReader viewed = new Nd2Format().open(SeekableInput.local(file));
                 StackReader positioned = new Nd2Format().open(new PositionedInput(file))) {
                StackInfo i = viewed.info();
                assertEquals(i.channels(), positioned.info().channels());
                float[] a = new float[i.width() * i.height()];
                float[] b = new float[a.length];
                for (int t = 0; t < i.frames(); t++) {
                    for (int c = 0; c < i.channelCount(); c++) {
                        viewed.read(0, t, 0, c, a);
                        positioned.read(0, t, 0, c, b);
                        assertArrayEquals(a, b, name + " time " + t + " channel " + c);
                    }
                }
            }
        }
    }
}
