package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.junit.jupiter.api.Test;

/** The heap a field of view holds does not grow with its number of frames: frames stream, only a few numbers stay. */
class FovMemoryTest {
    static final int N = 512;

    /** A FOV generated frame by frame; its masks are kept deflated, as small as a store's compressed chunks. */
    static final class Streamed implements StackReader, FovOutput {
        final SyntheticTimeLapse lapse;
        final int frames;
        final Map<Integer, byte[]> masks = new HashMap<>();
        long liveAtEnd;

        Streamed(int frames) {
            this.frames = frames;
            lapse = new SyntheticTimeLapse(SyntheticTimeLapse.Parameters.builder().size(N, N).frames(frames).seed(3)
                    .cellScale(0.6).build());
        }

        @Override
        public StackInfo info() {
            return new StackInfo("memory", N, N, 1, frames, 1, java.util.List.of("PC", "GFP"), "uint16", 16, 1,
                    new double[0], Map.of());
        }

        @Override
        public void read(int position, int time, int z, int channel, float[] into) {
            short[] s = channel == 0 ? lapse.phaseContrast(time) : lapse.fluorescence(time);
            for (int i = 0; i < s.length; i++) {
                into[i] = s[i] & 0xFFFF;
            }
        }

        @Override
        public String name() {
            return "streamed";
        }

        @Override
        public void close() {
        }

        @Override
        public void binarized(int t, byte[] mask) {
            masks.put(t, deflate(mask));
        }

        @Override
        public byte[] binarized(int t) throws IOException {
            return inflate(masks.get(t));
        }

        @Override
        public void corrected(int channel, int t, float[] frame) {
            if (t == frames - 1) {
                System.gc();
                Runtime r = Runtime.getRuntime();
                liveAtEnd = r.totalMemory() - r.freeMemory();
            }
        }

        static byte[] deflate(byte[] b) {
            java.util.zip.Deflater d = new java.util.zip.Deflater(1);
            d.setInput(b);
            d.finish();
            byte[] out = new byte[b.length / 8 + 1024];
            int n = d.deflate(out);
            d.end();
            return java.util.Arrays.copyOf(out, n);
        }

        static byte[] inflate(byte[] b) throws IOException {
            java.util.zip.Inflater i = new java.util.zip.Inflater();
            i.setInput(b);
            byte[] out = new byte[N * N];
            try {
                i.inflate(out);
            } catch (java.util.zip.DataFormatException e) {
                throw new IOException(e);
            }
            i.end();
            return out;
        }
    }

    static long live(int frames) throws Exception {
        Streamed s = new Streamed(frames);
        new FovProcessor(FovParameters.defaults("pyama")).process(s, 0, 0, new int[] {1}, s, () -> false);
        long masks = s.masks.values().stream().mapToLong(m -> m.length).sum();
        return s.liveAtEnd - masks;
    }

    @Test
    void heapDoesNotGrowWithFrames() throws Exception {
        live(5);
        long twenty = live(20);
        long twoHundred = live(200);
        long frameBytes = 4L * N * N;
        assertTrue(twoHundred - twenty < 4 * frameBytes, "live heap at the last frame: 20 frames " + twenty / 1_000_000
                + " MB, 200 frames " + twoHundred / 1_000_000 + " MB (one frame is " + frameBytes / 1_000_000 + " MB)");
    }
}
