package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.spark.sql.SparkSession;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;
import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcWriter;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.testing.Python;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The EM batch job over a folder of synthetic movies (MRC and TIFF) and a truncated one: accuracy
 * against the generator's truth, every output, WarpCore's state files, and re-runs that redo exactly
 * the steps a settings change affects.
 */
class EmJobTest {
    static SparkSession spark;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("EmJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static RunSummary run(EmSettings settings, Path out) throws Exception {
        return new JobRunner(spark, Storage.defaults()).run(new EmJob(settings), out.toString());
    }

    /** Writes the movies; returns each movie's truth by file name. */
    static Map<String, SyntheticMovie.Truth> movies(Path dir) throws Exception {
        Files.createDirectories(dir);
        Map<String, SyntheticMovie.Truth> truth = new HashMap<>();
        SyntheticMovie.Spec base = SyntheticMovie.Spec.small();
        SyntheticMovie.Spec[] specs = {
            base.withSeed(11),
            base.withSeed(12).withDefocus(22000, 20500, 120),
            base.withSeed(13).withDefocus(11000, 10000, 75),
        };
        for (int m = 0; m < specs.length; m++) {
            SyntheticMovie movie = new SyntheticMovie(specs[m]);
            String name = m == 2 ? "movie_2.tif" : "movie_" + m + ".mrc";
            Path file = dir.resolve(name);
            if (m == 2) {
                try (OutputStream out = Files.newOutputStream(file)) {
                    TiffMovieWriter.write(out, movie.width(), movie.height(), movie.frames(), TiffMovieWriter.Sample.UINT16,
                            movie::frame);
                }
            } else {
                List<float[]> frames = new ArrayList<>();
                for (int i = 0; i < movie.frames(); i++) {
                    frames.add(movie.frame(i));
                }
                Files.write(file, MrcWriter.encode(frames, movie.width(), movie.height(), MrcMode.INT16,
                        movie.pixelSizeA()));
            }
            truth.put(name, movie.truth());
        }
        // A movie cut short in transfer: a failed unit with a clear error; the others finish.
        byte[] whole = Files.readAllBytes(dir.resolve("movie_0.mrc"));
        Files.write(dir.resolve("cut.mrc"), java.util.Arrays.copyOf(whole, whole.length / 2));
        return truth;
    }

    @Test
    void aFolderOfMoviesThroughEveryStepMeetsTheTruthAndReRunsOnlyWhatChanged(@TempDir Path tmp) throws Exception {
        Path in = tmp.resolve("movies");
        Map<String, SyntheticMovie.Truth> truth = movies(in);
        Path out = tmp.resolve("processing");
        // The TIFF has no pixel size: the option gives it (the MRC headers say the same).
        EmSettings settings = EmSettings.defaults(List.of(in.toString())).withOptics(1.35, 300, 2.7, 0);

        RunSummary first = run(settings, out);
        assertEquals(4, first.unitsTotal(), first.render());
        assertEquals(1, first.unitsFailed(), first.render());
        assertEquals(1, first.exitCode());
        assertTrue(first.failures().get(0).error().contains("cut.mrc") && first.failures().get(0).error().contains("truncated"),
                first.failures().get(0).error());

        List<EmItemsTable.Row> items = EmItemsTable.read(Storage.defaults(), out.resolve(EmJob.ITEMS).toString());
        assertEquals(List.of("cut.mrc", "movie_0.mrc", "movie_1.mrc", "movie_2.tif"),
                items.stream().map(EmItemsTable.Row::movie).toList(), "input order");
        List<PicksTable.Row> picks = PicksTable.read(Storage.defaults(), out.resolve(EmJob.PICKS).toString());
        for (EmItemsTable.Row row : items) {
            if (row.movie().equals("cut.mrc")) {
                assertEquals("failed", row.status());
                assertTrue(row.error().contains("truncated"), row.error());
                continue;
            }
            assertEquals("processed", row.status(), row.error());
            assertEquals(20, row.frames());
            assertEquals(1024, row.width());
            assertEquals(1.35, row.pixelSizeA(), 1e-9);
            assertEquals(20, row.shiftXPx().size());
            assertEquals(0.0, row.shiftXPx().get(0));
            assertTrue(row.defocusUUm() >= row.defocusVUm() && row.defocusVUm() > 0.3, row.toString());
            List<PicksTable.Row> mine = picks.stream().filter(p -> p.movie().equals(row.movie())).toList();
            assertEquals(mine.size(), row.particleCount());
            assertTrue(mine.size() > 0, row.movie() + " has no picks");

            String key = row.movie().substring(0, row.movie().lastIndexOf('.'));
            for (String kind : List.of("spectrum", "drift", "picks")) {
                Mat png = opencv_imgcodecs.imread(out.resolve("thumbnails/" + key + "_" + kind + ".png").toString());
                assertFalse(png.empty(), key + " " + kind + " thumbnail");
            }
            String star = Files.readString(out.resolve("coordinates/" + key + "_autopick.star"));
            assertTrue(star.contains("_rlnCoordinateX"), star);
        }

        // The averages: mrcfile (the oracle) opens them, with the pixel size.
        Python.requireModule("mrcfile");
        String shape = Python.check(String.join("\n",
                "import sys, mrcfile",
                "with mrcfile.open(sys.argv[1]) as m:",
                "    print(m.data.shape, round(float(m.voxel_size.x), 4), m.data.dtype)"),
                out.resolve("average/movie_2.mrc").toString()).trim();
        assertEquals("(1024, 1024) 1.35 float32", shape);

        // WarpCore's state files.
        JsonNode processed = JSON.readTree(out.resolve("processed_items.json").toFile());
        assertEquals(3, processed.size());
        JsonNode one = processed.get(0);
        assertEquals("movie_0.mrc", one.get("Path").asText());
        assertEquals(1, one.get("ProcessingStatus").asInt());
        EmItemsTable.Row r0 = items.get(1);
        assertEquals((r0.defocusUUm() + r0.defocusVUm()) / 2, one.get("Defocus").asDouble(), 1e-4);
        assertEquals(r0.particleCount(), one.get("Particles").asInt());
        assertTrue(one.has("Junk") && one.get("Junk").isNull(), "explicit nulls: " + one);
        JsonNode failed = JSON.readTree(out.resolve("failed_items.json").toFile());
        assertEquals(1, failed.size());
        assertEquals("cut.mrc", failed.get(0).get("Path").asText());
        assertEquals(5, failed.get(0).get("ProcessingStatus").asInt());

        // Exports for RELION: a stack per movie with a box per pick, particles.star naming them; the averages with their CTF.
        Path particles = tmp.resolve("particles");
        RunSummary exported = new JobRunner(spark, Storage.defaults())
                .run(new ParticleExportJob(out.toString(), 64, true, true), particles.toString());
        assertEquals(3, exported.unitsDone(), exported.render());
        assertEquals((long) picks.size(), exported.items(), exported.render());
        String stack = Python.check(String.join("\n",
                "import sys, mrcfile",
                "with mrcfile.open(sys.argv[1]) as m:",
                "    print(m.data.shape, round(float(m.voxel_size.x), 4))"),
                particles.resolve("particles/movie_1.mrcs").toString()).trim();
        long movie1 = picks.stream().filter(p -> p.movie().equals("movie_1.mrc")).count();
        assertEquals("(" + movie1 + ", 64, 64) 1.35", stack);
        List<StarFile.Block> star = StarFile.parse(Files.readString(particles.resolve(ParticleExportJob.STAR)));
        assertEquals(picks.size(), StarFile.block(star, "particles").rows().size());
        assertTrue(StarFile.block(star, "particles").value(0, "rlnImageName").startsWith("000001@"));
        Path micrographs = tmp.resolve("micrographs");
        String line = MicrographExport.run(Storage.defaults(), out.toString(), micrographs.toString(), false);
        assertTrue(line.startsWith("3 micrographs"), line);
        List<StarFile.Block> mstar = StarFile.parse(Files.readString(micrographs.resolve(MicrographExport.STAR)));
        StarFile.Block rows = StarFile.block(mstar, "micrographs");
        assertEquals(3, rows.rows().size());
        assertEquals(items.get(1).defocusUUm() * 1e4, rows.number(0, "rlnDefocusU"), 0.01);
        assertTrue(Files.exists(micrographs.resolve("micrographs/movie_0.mrc")));
        MicrographExport.run(Storage.defaults(), out.toString(), micrographs.toString(), true);
        assertEquals("(3, 1024, 1024)", Python.check(String.join("\n",
                "import sys, mrcfile",
                "with mrcfile.open(sys.argv[1]) as m:",
                "    print(m.data.shape)"), micrographs.resolve(MicrographExport.STACK).toString()).trim());

        // Same settings: nothing but the failed movie runs again.
        RunSummary again = run(settings, out);
        assertEquals(3, again.unitsSkipped(), again.render());
        assertEquals(1, again.unitsFailed(), again.render());

        // A new picking diameter: picking alone runs again, on every movie, and the manifest counts it.
        Files.delete(in.resolve("cut.mrc"));
        RunSummary picking = run(settings.withParticleDiameter(180), out);
        assertEquals(3, picking.unitsDone(), picking.render());
        assertEquals(3L, picking.counts().get("step picking"), picking.counts().toString());
        for (String other : List.of("step motion", "step ctf", "step export")) {
            assertNull(picking.counts().get(other), other + " ran: " + picking.counts());
        }
        assertFalse(Files.exists(out.resolve("failed_items.json")), "nothing failed any more");
        List<EmItemsTable.Row> after = EmItemsTable.read(Storage.defaults(), out.resolve(EmJob.ITEMS).toString());
        assertEquals(3, after.size());
        for (int i = 0; i < 3; i++) {
            EmItemsTable.Row was = items.get(i + 1);
            EmItemsTable.Row now = after.get(i);
            assertEquals(was.shiftXPx(), now.shiftXPx(), "motion kept");
            assertEquals(was.defocusUUm(), now.defocusUUm(), "CTF kept");
            assertEquals(was.motionMeanPx(), now.motionMeanPx(), 1e-6, "mean motion of the kept shifts");
        }

        // Motion changed: motion and export run again (export whenever motion runs), and what uses motion.
        RunSummary motion = run(settings.withParticleDiameter(180).withOptics(1.35, 300, 2.7, 1.0), out);
        assertEquals(3L, motion.counts().get("step motion"), motion.counts().toString());
        assertEquals(3L, motion.counts().get("step export"), motion.counts().toString());

        // Picking switched off: nothing is computed again, and the table no longer has particle counts.
        RunSummary off = run(settings.withParticleDiameter(180).withOptics(1.35, 300, 2.7, 1.0)
                .withSteps(Set.of("motion", "ctf", "export")), out);
        assertEquals(3, off.unitsDone(), off.render());
        assertTrue(off.counts().keySet().stream().noneMatch(k -> k.startsWith("step ")), off.counts().toString());
        assertNull(EmItemsTable.read(Storage.defaults(), out.resolve(EmJob.ITEMS).toString()).get(0).particleCount());
    }

    /**
     * Accuracy through the whole job with default settings on movies of realistic exposure (2048 x
     * 2048 x 40 frames at 1 e/px/frame): defocus within 1%, astigmatism angle within 5 degrees,
     * picking recall and precision at least 0.9, drift RMS error under 0.1 px (the README gives the
     * figures on other movies at both sizes: a 2k frame carries a quarter of a 4k frame's signal).
     */
    @Test
    void resultsMeetTheGeneratorsTruth(@TempDir Path tmp) throws Exception {
        Path in = Files.createDirectories(tmp.resolve("movies"));
        Map<String, SyntheticMovie.Truth> truth = new HashMap<>();
        for (int m = 0; m < 2; m++) {
            SyntheticMovie movie = new SyntheticMovie(EmSynth.spec(m, 2, 2048, 40, 0, 3));
            String name = "movie_" + m + ".mrc";
            EmSynth.write(movie, in.resolve(name), false);
            truth.put(name, movie.truth());
        }
        Path out = tmp.resolve("processing");
        RunSummary summary = run(EmSettings.defaults(List.of(in.toString())), out);
        assertEquals(2, summary.unitsDone(), summary.render());
        Map<String, List<double[]>> found = new HashMap<>();
        for (PicksTable.Row p : PicksTable.read(Storage.defaults(), out.resolve(EmJob.PICKS).toString())) {
            found.computeIfAbsent(p.movie(), k -> new ArrayList<>()).add(new double[] {p.xPx(), p.yPx()});
        }
        TruthScore.Matching picking = new TruthScore.Matching(0, 0, 0);
        for (EmItemsTable.Row r : EmItemsTable.read(Storage.defaults(), out.resolve(EmJob.ITEMS).toString())) {
            SyntheticMovie.Truth t = truth.get(r.movie());
            double drift = TruthScore.driftRmsPx(t, r.shiftXPx(), r.shiftYPx());
            System.out.printf("%s: drift RMS error %.3f px, defocus %.3f/%.3f um (truth %.3f/%.3f)%n", r.movie(), drift,
                    r.defocusUUm(), r.defocusVUm(), t.defocusUUm(), t.defocusVUm());
            assertTrue(drift < 0.1, r.movie() + ": drift RMS error " + drift + " px");
            assertEquals(t.defocusUUm(), r.defocusUUm(), 0.01 * t.defocusUUm(), r.movie() + " defocus u");
            assertEquals(t.defocusVUm(), r.defocusVUm(), 0.01 * t.defocusVUm(), r.movie() + " defocus v");
            double angle = TruthScore.angleErrorDeg(r.astigmatismAngleDeg(), t.astigmatismAngleDeg());
            assertTrue(angle < 5, r.movie() + ": astigmatism angle off by " + angle + " degrees");
            picking = picking.plus(TruthScore.picking(t.particles(), found.getOrDefault(r.movie(), List.of()),
                    0.3 * 200 / t.pixelSizeA()));
        }
        assertTrue(picking.recall() >= 0.9 && picking.precision() >= 0.9, picking.toString());
    }
}
