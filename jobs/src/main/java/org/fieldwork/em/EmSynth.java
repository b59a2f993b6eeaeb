package org.fieldwork.em;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcWriter;

/** Synthetic movies on disk for `fieldwork em synth`, the demo and the benchmark: specs that vary across a set, and writing. */
public final class EmSynth {
    private EmSynth() {
    }

    /**
     * Movie {@code m} of {@code n}: the generator's small spec at this size, defocus from 1.0 to 2.5 µm
     * across the set with 5-10% astigmatism at varied angles, particles scaled with the area unless given.
     */
    public static SyntheticMovie.Spec spec(int m, int n, int size, int frames, int particles, long seed) {
        SyntheticMovie.Spec base = SyntheticMovie.Spec.small();
        double du = 10000 + 15000.0 * (n == 1 ? 0.5 : (double) m / (n - 1));
        double dv = du * (0.90 + 0.05 * (m % 3) / 2.0);
        int count = particles > 0 ? particles : Math.max(1, (int) Math.round(12.0 * size * size / (1024.0 * 1024.0)));
        double drift = 8.0 * Math.sqrt(frames / 20.0);
        return base.withSize(size, size, frames).withDefocus(du, dv, (37.0 * m + 15) % 180)
                .withParticles(count, base.particleDiameterA()).withDrift(drift, (53.0 * m) % 360, 60)
                .withSeed(seed * 1000 + m);
    }

    /** Writes the movie frame by frame: MRC with int16 counts, or a uint16 multi-page TIFF. */
    public static void write(SyntheticMovie movie, Path file, boolean tiff) throws IOException {
        if (tiff) {
            try (OutputStream out = Files.newOutputStream(file)) {
                TiffMovieWriter.write(out, movie.width(), movie.height(), movie.frames(), TiffMovieWriter.Sample.UINT16,
                        movie::frame);
            }
        } else {
            try (MrcWriter w = MrcWriter.toFile(file, movie.width(), movie.height(), MrcMode.INT16, movie.pixelSizeA(),
                    MrcWriter.Kind.IMAGES)) {
                for (int i = 0; i < movie.frames(); i++) {
                    w.write(movie.frame(i));
                }
            }
        }
    }
}
