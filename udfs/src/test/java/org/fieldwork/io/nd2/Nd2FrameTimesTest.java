package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackFormats;
import org.fieldwork.io.stack.StackReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each position's own acquisition times, positions taken one after another within a time point or one after another whole. */
class Nd2FrameTimesTest {

    @Test
    void everyPositionHasItsOwnTimes(@TempDir Path dir) throws Exception {
        for (boolean positionsOutermost : new boolean[] {false, true}) {
            Nd2Writer w = Nd2Writer.builder(8, 6).channels("PC", "GFP").positions(3).frames(4).frameIntervalMs(60_000)
                    .positionsOutermost(positionsOutermost).build();
            Path file = dir.resolve("t" + positionsOutermost + ".nd2");
            w.write(file, (p, t, z, c) -> new short[8 * 6]);
            try (StackReader r = StackFormats.open(file.toString(), SeekableInput.local(file))) {
                for (int p = 0; p < 3; p++) {
                    double[] times = r.frameTimesS(p);
                    for (int t = 0; t < 4; t++) {
                        double expected = (w.acquisitionMs(p, t, 0) - w.acquisitionMs(0, 0, 0)) / 1000.0;
                        assertEquals(expected, times[t], 1e-9, "position " + p + " time " + t + " outermost " + positionsOutermost);
                    }
                }
                assertEquals(r.info().frameTimesS()[3], r.frameTimesS(0)[3], 0.0);
            }
        }
    }
}
