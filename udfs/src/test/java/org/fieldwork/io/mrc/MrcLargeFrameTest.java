package org.fieldwork.io.mrc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A real movie frame is 4096 x 4096: both read paths (a local file, positioned reads as for
 * object stores) give its values; prints the time per frame (speed is the benchmark's business).
 */
class MrcLargeFrameTest {
    private static final int SIDE = 4096;

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = MrcMode.class, names = {"FLOAT32", "UINT16", "FLOAT16"})
    void fourKFrameReadsWholeBothWays(MrcMode mode) throws IOException {
        float[] section = new float[SIDE * SIDE];
        for (int i = 0; i < section.length; i++) {
            section[i] = (i * 31 % 4099) * 0.5f;
        }
        Path file = dir.resolve("movie.mrc");
        long t0 = System.nanoTime();
        try (MrcWriter w = MrcWriter.toFile(file, SIDE, SIDE, mode, 1.0, MrcWriter.Kind.IMAGES)) {
            w.write(section);
            section[7] = 3;
            w.write(section);
        }
        double writeMs = (System.nanoTime() - t0) / 2 / 1e6;

        float[] into = new float[SIDE * SIDE];
        double local;
        try (MrcReader r = MrcReader.open(Storage.defaults(), file.toString())) {
            local = bestOf(r::readFrame, into);
            assertEquals(mode.stored(section[12345]), into[12345]);
            assertEquals(3f, into[7]);
        }
        double positioned;
        try (MrcReader r = MrcReader.open(withoutViews(SeekableInput.local(file)))) {
            Arrays.fill(into, -1);
            positioned = bestOf(r::readFrame, into);
            assertEquals(mode.stored(section[SIDE * SIDE - 1]), into[SIDE * SIDE - 1]);
        }
        System.out.printf("MRC %s 4096x4096 frame: read %.1f ms from the local file, %.1f ms as from an object store; write %.1f ms%n",
                mode.typeName(), local, positioned, writeMs);
    }

    private interface FrameRead {
        void read(int index, float[] into) throws IOException;
    }

    /** The best of a few reads alternating between the two frames, ending on frame 1, in ms. */
    private static double bestOf(FrameRead read, float[] into) throws IOException {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            long t = System.nanoTime();
            read.read(i % 2, into);   // ends on frame 1
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
        }
        return best;
    }

    private static SeekableInput withoutViews(SeekableInput local) {
        return new SeekableInput() {
            @Override
            public void readFully(long position, byte[] buffer, int offset, int len) throws IOException {
                local.readFully(position, buffer, offset, len);
            }

            @Override
            public long length() {
                return local.length();
            }

            @Override
            public String name() {
                return local.name();
            }

            @Override
            public void close() throws IOException {
                local.close();
            }
        };
    }
}
