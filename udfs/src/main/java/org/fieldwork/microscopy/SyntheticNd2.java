package org.fieldwork.microscopy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fieldwork.io.nd2.Nd2Writer;

/**
 * A multi-FOV time-lapse ND2 file made of synthetic fields of view with known cells: channel 0
 * phase contrast ("PC"), channel 1 fluorescence ("GFP"). For the demo, tests and the benchmark.
 */
public final class SyntheticNd2 {
    public static final double PIXEL_SIZE_UM = 0.65;
    public static final double FRAME_INTERVAL_MS = 600_000;

    private SyntheticNd2() {
    }

    /**
     * Writes {@code fovs} fields of view, FOV p generated with {@code base} and fov = p, and returns
     * their generators (for the truth).
     */
    public static List<SyntheticTimeLapse> write(Path file, int fovs, SyntheticTimeLapse.Parameters base,
            Nd2Writer.Compression compression) throws IOException {
        List<SyntheticTimeLapse> lapses = new ArrayList<>();
        for (int p = 0; p < fovs; p++) {
            lapses.add(new SyntheticTimeLapse(base.toBuilder().fov(p).build()));
        }
        Nd2Writer writer = Nd2Writer.builder(base.width(), base.height())
                .channels("PC", "GFP")
                .positions(fovs)
                .frames(base.frames())
                .pixelSizeUm(PIXEL_SIZE_UM)
                .frameIntervalMs(FRAME_INTERVAL_MS)
                .compression(compression)
                .build();
        writer.write(file, (position, time, z, channel) -> channel == 0
                ? lapses.get(position).phaseContrast(time) : lapses.get(position).fluorescence(time));
        return lapses;
    }
}
