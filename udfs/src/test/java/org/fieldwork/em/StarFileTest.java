package org.fieldwork.em;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.fieldwork.testing.Python;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarFileTest {

    private static final List<Pick> PICKS = List.of(new Pick(100, 120.5, 7.25), new Pick(3000.125, 17, 4.5),
            new Pick(0.5, 4095, 12));

    private static List<StarFile.Particle> particles() {
        List<StarFile.Particle> out = new ArrayList<>();
        for (int i = 0; i < PICKS.size(); i++) {
            Pick p = PICKS.get(i);
            int group = 1 + i % 2;
            out.add(new StarFile.Particle(StarFile.imageName(i + 1, "Particles/movie_0001.mrcs"), "Micrographs/movie_0001.mrc",
                    p.xPx(), p.yPx(), p.score(), group, 15000 + 100 * i, 14000 - 50 * i, 33.5 + i, 0));
        }
        return out;
    }

    private static final List<StarFile.Optics> OPTICS = List.of(
            new StarFile.Optics(1, "opticsGroup1", 1.35, 300, 2.7, 0.07, 1.35, 256),
            new StarFile.Optics(2, "opticsGroup2", 0.83, 200, 2.7, 0.1, 1.66, 128));

    @Test
    void coordinatesParseBack() {
        List<StarFile.Block> blocks = StarFile.parse(StarFile.coordinates(PICKS));
        assertEquals(1, blocks.size());
        StarFile.Block b = blocks.get(0);
        assertEquals("", b.name());
        assertTrue(b.loop());
        assertEquals(List.of("rlnCoordinateX", "rlnCoordinateY", "rlnAutopickFigureOfMerit"), b.columns());
        assertEquals(PICKS.size(), b.rows().size());
        for (int i = 0; i < PICKS.size(); i++) {
            assertEquals(PICKS.get(i).xPx(), b.number(i, "_rlnCoordinateX"), 1e-6);
            assertEquals(PICKS.get(i).yPx(), b.number(i, "rlnCoordinateY"), 1e-6);
            assertEquals(PICKS.get(i).score(), b.number(i, "rlnAutopickFigureOfMerit"), 1e-6);
        }
    }

    @Test
    void particlesParseBackWithBothTables() {
        List<StarFile.Block> blocks = StarFile.parse(StarFile.particles(OPTICS, particles()));
        StarFile.Block optics = StarFile.block(blocks, "optics");
        StarFile.Block parts = StarFile.block(blocks, "particles");
        assertEquals(9, optics.columns().size());
        assertEquals(10, parts.columns().size());
        assertEquals(2, optics.rows().size());
        assertEquals("opticsGroup2", optics.value(1, "rlnOpticsGroupName"));
        assertEquals(0.83, optics.number(1, "rlnMicrographOriginalPixelSize"), 1e-9);
        assertEquals(128, optics.number(1, "rlnImageSize"), 0);
        assertEquals(2, optics.number(0, "rlnImageDimensionality"), 0);
        List<StarFile.Particle> expected = particles();
        for (int i = 0; i < expected.size(); i++) {
            StarFile.Particle p = expected.get(i);
            assertEquals(String.format("%06d@Particles/movie_0001.mrcs", i + 1), parts.value(i, "rlnImageName"));
            assertEquals(p.micrographName(), parts.value(i, "rlnMicrographName"));
            assertEquals(p.xPx(), parts.number(i, "rlnCoordinateX"), 1e-6);
            assertEquals(p.yPx(), parts.number(i, "rlnCoordinateY"), 1e-6);
            assertEquals(p.defocusUA(), parts.number(i, "rlnDefocusU"), 1e-6);
            assertEquals(p.defocusVA(), parts.number(i, "rlnDefocusV"), 1e-6);
            assertEquals(p.defocusAngleDeg(), parts.number(i, "rlnDefocusAngle"), 1e-6);
            assertEquals(p.opticsGroup(), parts.number(i, "rlnOpticsGroup"), 0);
        }
    }

    /** An independent reader: a few lines of python that split blocks, labels and rows. */
    @Test
    void anIndependentPythonReaderSeesTheSameTables() {
        String py = "import sys, json\n"
                + "blocks = {}; cur = None; labels = None\n"
                + "for line in open(sys.argv[1]):\n"
                + "    t = line.split('#')[0].split() if not line.startswith('_') else line.split()[:1]\n"
                + "    if not t: continue\n"
                + "    if t[0].startswith('data_'):\n"
                + "        cur = {'labels': [], 'rows': []}; blocks[t[0][5:]] = cur\n"
                + "    elif t[0] == 'loop_': pass\n"
                + "    elif t[0].startswith('_'): cur['labels'].append(t[0][1:])\n"
                + "    else: cur['rows'].append(t)\n"
                + "print(json.dumps({k: [v['labels'], [[r[i] for i in range(len(v['labels']))] for r in v['rows']], "
                + "[len(r) for r in v['rows']]] for k, v in blocks.items()}))\n";
        try {
            Path f = Files.createTempFile("particles", ".star");
            Files.writeString(f, StarFile.particles(OPTICS, particles()));
            String json = Python.check(py, f.toString());
            Files.delete(f);
            com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
            assertEquals(2, root.size());
            com.fasterxml.jackson.databind.JsonNode parts = root.get("particles");
            assertEquals("rlnImageName", parts.get(0).get(0).asText());
            assertEquals(10, parts.get(0).size());
            for (com.fasterxml.jackson.databind.JsonNode width : parts.get(2)) {
                assertEquals(10, width.asInt(), "values per row");
            }
            List<StarFile.Particle> expected = particles();
            for (int i = 0; i < expected.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode row = parts.get(1).get(i);
                assertEquals(expected.get(i).imageName(), row.get(0).asText());
                assertEquals(expected.get(i).xPx(), Double.parseDouble(row.get(2).asText()), 1e-6);
                assertEquals(expected.get(i).defocusUA(), Double.parseDouble(row.get(6).asText()), 1e-6);
            }
            com.fasterxml.jackson.databind.JsonNode optics = root.get("optics");
            assertEquals(9, optics.get(0).size());
            assertEquals("256", optics.get(1).get(0).get(7).asText());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** RELION's own reader (relion_star_printtable) on both files. */
    @Test
    void relionReadsBothFiles(@TempDir Path dir) throws Exception {
        Relion.require("relion_star_printtable");
        Files.writeString(dir.resolve("particles.star"), StarFile.particles(OPTICS, particles()));
        Files.writeString(dir.resolve("coords.star"), StarFile.coordinates(PICKS));
        String out = Relion.run(dir, "relion_star_printtable", "particles.star", "data_particles", "_rlnImageName",
                "_rlnCoordinateX", "_rlnCoordinateY", "_rlnDefocusU", "_rlnOpticsGroup");
        String[] lines = out.strip().split("\n");
        List<StarFile.Particle> expected = particles();
        assertEquals(expected.size(), lines.length, out);
        for (int i = 0; i < lines.length; i++) {
            String[] v = lines[i].trim().split("\\s+");
            assertEquals(expected.get(i).imageName(), v[0]);
            assertEquals(expected.get(i).xPx(), Double.parseDouble(v[1]), 1e-6);
            assertEquals(expected.get(i).yPx(), Double.parseDouble(v[2]), 1e-6);
            assertEquals(expected.get(i).defocusUA(), Double.parseDouble(v[3]), 1e-6);
            assertEquals(expected.get(i).opticsGroup(), Integer.parseInt(v[4]));
        }
        String optics = Relion.run(dir, "relion_star_printtable", "particles.star", "data_optics", "_rlnOpticsGroup",
                "_rlnImagePixelSize", "_rlnImageSize");
        assertEquals("2 1.660000 128", optics.strip().split("\n")[1].trim().replaceAll("\\s+", " "));
        String coords = Relion.run(dir, "relion_star_printtable", "coords.star", "data_", "_rlnCoordinateX",
                "_rlnAutopickFigureOfMerit");
        String[] c = coords.strip().split("\n");
        assertEquals(PICKS.size(), c.length, coords);
        assertEquals(PICKS.get(1).xPx(), Double.parseDouble(c[1].trim().split("\\s+")[0]), 1e-6);
        assertEquals(PICKS.get(1).score(), Double.parseDouble(c[1].trim().split("\\s+")[1]), 1e-6);
    }

    @Test
    void theReaderTakesKeyValueBlocksQuotesAndComments() {
        String text = "# a comment\ndata_general\n_rlnImageSize 128 # size\n_rlnMicrographName 'a b.mrc'\n\n"
                + "data_table\nloop_\n_rlnA #1\n_rlnB #2\n1 \"x y\"\n\n2 z\n";
        List<StarFile.Block> blocks = StarFile.parse(text);
        StarFile.Block general = StarFile.block(blocks, "general");
        assertFalse(general.loop());
        assertEquals("128", general.value(0, "rlnImageSize"));
        assertEquals("a b.mrc", general.value(0, "rlnMicrographName"));
        StarFile.Block table = StarFile.block(blocks, "table");
        assertEquals(2, table.rows().size());
        assertEquals("x y", table.value(0, "rlnB"));
        assertEquals("z", table.value(1, "rlnB"));
        assertThrows(IllegalArgumentException.class, () -> StarFile.parse("data_\nloop_\n_a #1\n_b #2\n1 2 3\n"));
        assertThrows(IllegalArgumentException.class, () -> StarFile.block(blocks, "particles"));
    }

    @Test
    void namesThatRelionCannotSplitAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> StarFile.imageName(1, "my stack.mrcs"));
        assertThrows(IllegalArgumentException.class, () -> StarFile.imageName(0, "stack.mrcs"));
        assertEquals("000042@s.mrcs", StarFile.imageName(42, "s.mrcs"));
    }
}
