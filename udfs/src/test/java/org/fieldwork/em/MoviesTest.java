package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcReader;
import org.fieldwork.io.mrc.MrcWriter;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Movies open by content or extension: TIFF movies written by tifffile, MRC stacks, and files that are neither. */
class MoviesTest {
    private static final int W = 64;
    private static final int H = 48;
    private static final int FRAMES = 5;

    @TempDir
    static Path dir;

    @BeforeAll
    static void writeTiffMovies() {
        Python.requireModule("tifffile");
        Python.check(String.join("\n",
                "import sys, os, numpy as np, tifffile",
                "d = sys.argv[1]",
                "rng = np.random.default_rng(3)",
                "u16 = rng.integers(0, 65536, (5, 48, 64)).astype(np.uint16)",
                "f32 = rng.normal(0, 10, (5, 48, 64)).astype(np.float32)",
                "j = lambda n: os.path.join(d, n)",
                "tifffile.imwrite(j('u16.tif'), u16, photometric='minisblack')",
                "tifffile.imwrite(j('f32.tiff'), f32, photometric='minisblack', compression='zlib',",
                "                 resolution=(1e8 / 1.25, 1e8 / 1.25), resolutionunit='CENTIMETER')",
                "tifffile.imwrite(j('imagej.tif'), u16, imagej=True, metadata={'axes': 'ZYX'})",
                "tifffile.imwrite(j('tiff_named.mrc'), u16, photometric='minisblack')",
                "u16.astype('<f4').tofile(j('u16.f32'))",
                "f32.astype('<f4').tofile(j('f32.f32'))"),
                dir.toString());
    }

    private static float[] raw(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(name))).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static void assertFrames(float[] expected, MovieFrames movie) throws IOException {
        assertEquals(W, movie.width());
        assertEquals(H, movie.height());
        assertEquals(FRAMES, movie.frames());
        for (int f = 0; f < FRAMES; f++) {
            assertArrayEquals(Arrays.copyOfRange(expected, f * W * H, (f + 1) * W * H), movie.frame(f),
                    movie.location() + " frame " + f);
        }
    }

    @Test
    void tiffMoviesOpenWithTheirValues() throws IOException {
        for (String[] c : new String[][]{{"u16.tif", "u16.f32"}, {"f32.tiff", "f32.f32"}, {"imagej.tif", "u16.f32"},
                {"tiff_named.mrc", "u16.f32"}}) {
            String location = dir.resolve(c[0]).toString();
            try (MovieFrames movie = Movies.open(Storage.defaults(), location)) {
                assertInstanceOf(TiffMovie.class, movie, c[0]);
                assertEquals(location, movie.location());
                assertFrames(raw(c[1]), movie);
                if (c[0].equals("f32.tiff")) {
                    assertEquals(1.25, movie.pixelSizeA(), 1e-6, "pixel size from the resolution tags");
                } else {
                    assertEquals(0.0, movie.pixelSizeA(), c[0]);
                }
            }
        }
    }

    @Test
    void mrcMoviesOpenByExtensionOrContent() throws IOException {
        List<float[]> frames = new ArrayList<>();
        float[] all = new float[FRAMES * W * H];
        for (int f = 0; f < FRAMES; f++) {
            float[] v = new float[W * H];
            for (int i = 0; i < v.length; i++) {
                v[i] = (i * 7 + f * 13) % 101 - 50.25f;
            }
            frames.add(v);
            System.arraycopy(v, 0, all, f * W * H, v.length);
        }
        byte[] bytes = MrcWriter.encode(frames, W, H, MrcMode.FLOAT32, 0.83);
        for (String name : new String[]{"movie.mrcs", "movie_without_extension", "movie.tif"}) {
            Path file = dir.resolve(name);
            Files.write(file, bytes);
            try (MovieFrames movie = Movies.open(Storage.defaults(), file.toString())) {
                assertInstanceOf(MrcReader.class, movie, name);
                assertEquals(0.83, movie.pixelSizeA(), 1e-6);
                assertFrames(all, movie);
            }
        }
    }

    @Test
    void otherFilesAreRefusedByName() throws IOException {
        Path text = dir.resolve("notes.txt");
        Files.write(text, "not a movie".repeat(200).getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> Movies.open(Storage.defaults(), text.toString()));
        assertTrue(e.getMessage().startsWith(text + ": not a movie read here"), e.getMessage());

        Path mrc = dir.resolve("notes.mrc");
        Files.copy(text, mrc);
        e = assertThrows(IOException.class, () -> Movies.open(Storage.defaults(), mrc.toString()));
        assertTrue(e.getMessage().contains(mrc + ": not an MRC file"), e.getMessage());

        Path truncated = dir.resolve("cut.tif");
        byte[] tiff = Files.readAllBytes(dir.resolve("u16.tif"));
        Files.write(truncated, Arrays.copyOf(tiff, tiff.length / 2));
        e = assertThrows(IOException.class, () -> {
            try (MovieFrames m = Movies.open(Storage.defaults(), truncated.toString())) {
                for (int f = 0; f < m.frames(); f++) {
                    m.frame(f);
                }
            }
        });
        assertTrue(e.getMessage().contains(truncated.toString()), e.getMessage());
    }
}
