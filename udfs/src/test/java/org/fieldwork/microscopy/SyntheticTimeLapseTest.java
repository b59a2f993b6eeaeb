package org.fieldwork.microscopy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.fieldwork.microscopy.SyntheticTimeLapse.Parameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticTimeLapseTest {
    /** A small, busy FOV: 512 x 384, 24 frames, cells at 0.7 scale, every option on. */
    private static final Parameters SMALL = Parameters.builder()
            .size(512, 384).frames(24).cells(16).cellScale(0.7).seed(7).build();
    private static final SyntheticTimeLapse FOV = new SyntheticTimeLapse(SMALL);

    @Test
    void sameParametersGiveTheSameFramesInAnyOrder() {
        SyntheticTimeLapse other = new SyntheticTimeLapse(SMALL);
        short[] phase5 = FOV.phaseContrast(5);
        short[] fluorescence5 = FOV.fluorescence(5);
        short[] phase0 = FOV.phaseContrast(0);
        for (int t = 0; t <= 5; t++) {
            other.labels(t);
            other.fluorescence(t);
            other.phaseContrast(t);
        }
        assertArrayEquals(phase5, other.phaseContrast(5));
        assertArrayEquals(fluorescence5, other.fluorescence(5));
        assertArrayEquals(phase0, other.phaseContrast(0));
        assertArrayEquals(FOV.labels(5), other.labels(5));
        assertEquals(FOV.truth(23), other.truth(23));
        assertArrayEquals(phase5, FOV.phaseContrast(5), "a frame does not change when asked again");

        SyntheticTimeLapse nextFov = new SyntheticTimeLapse(SMALL.toBuilder().fov(1).build());
        assertFalse(Arrays.equals(FOV.labels(0), nextFov.labels(0)), "another fov places other cells");
        assertFalse(Arrays.equals(phase0, nextFov.phaseContrast(0)));
        SyntheticTimeLapse otherSeed = new SyntheticTimeLapse(SMALL.toBuilder().seed(8).build());
        assertFalse(Arrays.equals(FOV.labels(0), otherSeed.labels(0)), "another seed places other cells");
        assertFalse(Arrays.equals(phase0, FOV.phaseContrast(1)), "each frame has its own noise");
    }

    @Test
    void truthIsWhatTheLabelImageSays() {
        int w = SMALL.width();
        int h = SMALL.height();
        for (int t : new int[] {0, 11, 23}) {
            int[] labels = FOV.labels(t);
            Map<Integer, long[]> measured = new TreeMap<>();
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int id = labels[y * w + x];
                    if (id != 0) {
                        long[] m = measured.computeIfAbsent(id, k -> new long[4]);
                        m[0]++;
                        m[1] += x;
                        m[2] += y;
                        m[3] |= (x == 0 || y == 0 || x == w - 1 || y == h - 1) ? 1 : 0;
                    }
                }
            }
            List<SyntheticCellTruth> truth = FOV.truth(t);
            assertEquals(measured.keySet(), truth.stream().map(SyntheticCellTruth::id).collect(Collectors.toSet()));
            for (SyntheticCellTruth cell : truth) {
                long[] m = measured.get(cell.id());
                assertEquals(t, cell.frame());
                assertEquals(m[0], cell.area(), "area of cell " + cell.id());
                assertEquals((double) m[1] / m[0], cell.centroidX(), 1e-9);
                assertEquals((double) m[2] / m[0], cell.centroidY(), 1e-9);
                assertEquals(m[3] == 1, cell.touchesBorder());
                assertEquals(cell.intensityMean() * cell.area(), cell.intensityTotal(), 1e-6 * cell.intensityTotal());
                assertTrue(cell.intensityMean() >= SMALL.signalMin() && cell.intensityMean() <= SMALL.signalMax());
            }
        }
    }

    @Test
    void divisionsSplitAParentOfThePreviousFrameIntoTwo() {
        Map<Integer, Integer> firstFrame = new HashMap<>();
        Map<Integer, List<Integer>> daughters = new TreeMap<>();
        for (int t = 0; t < SMALL.frames(); t++) {
            for (SyntheticCellTruth cell : FOV.truth(t)) {
                if (firstFrame.putIfAbsent(cell.id(), t) == null && cell.parentId() >= 0) {
                    daughters.computeIfAbsent(cell.parentId(), k -> new ArrayList<>()).add(cell.id());
                }
            }
        }
        assertTrue(daughters.size() >= 2, "divisions happen: " + daughters);
        for (Map.Entry<Integer, List<Integer>> division : daughters.entrySet()) {
            int parent = division.getKey();
            List<Integer> pair = division.getValue();
            assertEquals(2, pair.size(), "cell " + parent + " has two daughters");
            int t = firstFrame.get(pair.get(0));
            assertEquals(t, firstFrame.get(pair.get(1)), "both daughters appear together");
            SyntheticCellTruth before = find(FOV.truth(t - 1), parent);
            assertTrue(before != null, "parent " + parent + " exists in frame " + (t - 1));
            for (int later = t; later < SMALL.frames(); later++) {
                assertEquals(null, find(FOV.truth(later), parent), "parent " + parent + " is gone from frame " + t);
            }
            SyntheticCellTruth first = find(FOV.truth(t), pair.get(0));
            SyntheticCellTruth second = find(FOV.truth(t), pair.get(1));
            assertEquals(before.area(), first.area() + second.area(), 0.05 * before.area());
            assertEquals(before.intensityMean(), first.intensityMean());
            int[] previous = FOV.labels(t - 1);
            int[] now = FOV.labels(t);
            for (int daughter : pair) {
                boolean overlaps = false;
                for (int i = 0; i < now.length && !overlaps; i++) {
                    overlaps = now[i] == daughter && previous[i] == parent;
                }
                assertTrue(overlaps, "daughter " + daughter + " overlaps its parent's last mask");
            }
        }

        SyntheticTimeLapse noDivisions = new SyntheticTimeLapse(SMALL.toBuilder().divisions(false).build());
        for (int t = 0; t < SMALL.frames(); t++) {
            assertTrue(noDivisions.truth(t).stream().allMatch(c -> c.parentId() < 0), "no daughters in frame " + t);
        }
    }

    @Test
    void cellsStayAtLeastMinGapApart() {
        int w = SMALL.width();
        int h = SMALL.height();
        double gap = SMALL.minGap();
        int reach = (int) Math.ceil(gap);
        for (int t : new int[] {0, 8, 16, 23}) {
            int[] labels = FOV.labels(t);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int id = labels[y * w + x];
                    if (id == 0 || !onOutline(labels, w, h, x, y)) {
                        continue;
                    }
                    for (int dy = -reach; dy <= reach; dy++) {
                        for (int dx = -reach; dx <= reach; dx++) {
                            int yy = y + dy;
                            int xx = x + dx;
                            if (yy < 0 || yy >= h || xx < 0 || xx >= w || dx * dx + dy * dy >= gap * gap) {
                                continue;
                            }
                            int other = labels[yy * w + xx];
                            if (other != 0 && other != id) {
                                fail("cells " + id + " and " + other + " closer than " + gap + " px in frame " + t);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void borderCellsTouchTheBorderInEveryFrameAndNoOthersDo() {
        Set<Integer> touching = touchingIds(FOV.truth(0));
        assertFalse(touching.isEmpty(), "some cells touch the border");
        for (int t = 1; t < SMALL.frames(); t++) {
            assertEquals(touching, touchingIds(FOV.truth(t)), "frame " + t);
        }
        SyntheticTimeLapse inland = new SyntheticTimeLapse(SMALL.toBuilder().borderCells(false).build());
        for (int t = 0; t < SMALL.frames(); t++) {
            assertTrue(touchingIds(inland.truth(t)).isEmpty(), "no cell touches the border in frame " + t);
        }
    }

    @Test
    void lateCellsAreAbsentFromFrameZero() {
        Set<Integer> inFrameZero = Arrays.stream(FOV.labels(0)).boxed().collect(Collectors.toSet());
        Set<Integer> late = new HashSet<>();
        for (int t = 1; t < SMALL.frames(); t++) {
            for (SyntheticCellTruth cell : FOV.truth(t)) {
                if (cell.parentId() < 0 && !inFrameZero.contains(cell.id())) {
                    late.add(cell.id());
                }
            }
        }
        assertFalse(late.isEmpty(), "some cells appear after frame 0");

        SyntheticTimeLapse noLate = new SyntheticTimeLapse(SMALL.toBuilder().lateCells(false).build());
        Set<Integer> founders = ids(noLate.truth(0));
        for (int t = 1; t < SMALL.frames(); t++) {
            for (SyntheticCellTruth cell : noLate.truth(t)) {
                assertTrue(cell.parentId() >= 0 || founders.contains(cell.id()), "cell " + cell.id() + " at " + t);
            }
        }
    }

    @Test
    void defaultCellsAreMostlyInTheGoodAreaRangeWithAFewSmallOnes() {
        SyntheticTimeLapse fov = new SyntheticTimeLapse(Parameters.defaults());
        for (int t : new int[] {0, 9}) {
            List<SyntheticCellTruth> cells = fov.truth(t);
            long good = cells.stream().filter(c -> c.area() >= 1000 && c.area() <= 10000).count();
            assertTrue(good >= 0.8 * cells.size(), good + " of " + cells.size() + " in 1000..10000 px");
            assertTrue(cells.stream().anyMatch(c -> c.area() < 300), "a few small cells");
            assertTrue(cells.stream().allMatch(c -> c.area() <= 10000), "none above the good range");
            assertTrue(cells.size() >= 20, cells.size() + " cells");
        }
    }

    @Test
    void fluorescenceIsVignettedBackgroundPlusCellLevels() {
        int w = SMALL.width();
        int h = SMALL.height();
        int t = 3;
        short[] f = FOV.fluorescence(t);
        int[] labels = FOV.labels(t);
        double background = FOV.backgroundLevel(t);

        double flat = 0;
        int count = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (labels[y * w + x] == 0) {
                    flat += (f[y * w + x] & 0xFFFF) / FOV.illumination(x, y);
                    count++;
                }
            }
        }
        assertEquals(background, flat / count, 0.005 * background, "background divided by I is flat at B_t");

        double[] corner = blockMeans(f, labels, w, 0, 0, 40);
        int cx = (int) Math.round(0.5 * (w - 1) + SMALL.vignettingOffsetX() * w);
        int cy = (int) Math.round(0.5 * (h - 1) + SMALL.vignettingOffsetY() * h);
        double[] centre = blockMeans(f, labels, w, cx - 20, cy - 20, 40);
        double measured = corner[0] / centre[0];
        double expected = corner[1] / centre[1];
        assertEquals(expected, measured, 0.02, "corner/centre background follows the vignetting");
        assertTrue(expected < 0.75, "the corner is clearly darker: " + expected);

        double mean = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                mean += FOV.illumination(x, y);
            }
        }
        assertEquals(1.0, mean / (w * h), 1e-9, "illumination has mean 1");

        // The exact correction F / I - B_t gives each cell's level s_c, within the noise.
        for (SyntheticCellTruth cell : FOV.truth(t)) {
            double sum = 0;
            double variance = 0;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (labels[y * w + x] == cell.id()) {
                        double light = FOV.illumination(x, y);
                        sum += (f[y * w + x] & 0xFFFF) / light - background;
                        variance += (background + cell.intensityMean()) / light;
                    }
                }
            }
            double error = Math.sqrt(variance) / cell.area();
            assertEquals(cell.intensityMean(), sum / cell.area(), 5 * error + 1, "cell " + cell.id());
        }
    }

    @Test
    void phaseContrastCellsAreDarkTexturedAndHaloed() {
        int w = SMALL.width();
        int h = SMALL.height();
        int t = 2;
        short[] phase = FOV.phaseContrast(t);
        int[] labels = FOV.labels(t);
        double insideStd = 0;
        double insideLevel = 0;
        int inside = 0;
        double outsideStd = 0;
        double outsideLevel = 0;
        int outside = 0;
        double ring = 0;
        int ringCount = 0;
        for (int y = 4; y < h - 4; y++) {
            for (int x = 4; x < w - 4; x++) {
                int id = labels[y * w + x];
                if (id != 0 && uniform(labels, w, x, y, 1, id)) {
                    insideStd += localStd(phase, w, x, y);
                    insideLevel += phase[y * w + x] & 0xFFFF;
                    inside++;
                } else if (id == 0 && uniform(labels, w, x, y, 4, 0)) {
                    outsideStd += localStd(phase, w, x, y);
                    outsideLevel += phase[y * w + x] & 0xFFFF;
                    outside++;
                } else if (id == 0 && (labels[y * w + x - 1] != 0 || labels[y * w + x + 1] != 0
                        || labels[(y - 1) * w + x] != 0 || labels[(y + 1) * w + x] != 0)) {
                    ring += phase[y * w + x] & 0xFFFF;
                    ringCount++;
                }
            }
        }
        assertTrue(inside > 1000 && outside > 1000 && ringCount > 100);
        double ratio = (insideStd / inside) / (outsideStd / outside);
        assertTrue(ratio > 3, "3x3 std inside cells / background = " + ratio);
        assertEquals(SMALL.phaseBackground(), outsideLevel / outside, 1.0);
        assertEquals(SMALL.phaseNoise(), outsideStd / outside, 0.1 * SMALL.phaseNoise());
        assertEquals(SMALL.phaseBackground() - SMALL.cellContrast(), insideLevel / inside, 5.0);
        assertTrue(ring / ringCount > SMALL.phaseBackground() + 0.4 * SMALL.haloBrightness(), "bright halo");
    }

    @Test
    void truthJsonHoldsParametersLineageAndEveryFrame(@TempDir Path dir) throws Exception {
        SyntheticTimeLapse fov = new SyntheticTimeLapse(SMALL.toBuilder().frames(6).build());
        Path file = dir.resolve("truth.json");
        fov.writeTruthJson(file);
        JsonNode json = new ObjectMapper().readTree(file.toFile());
        assertEquals(512, json.get("parameters").get("width").asInt());
        assertEquals(7, json.get("parameters").get("seed").asLong());
        assertEquals(6, json.get("frames").size());
        for (int t = 0; t < 6; t++) {
            JsonNode frame = json.get("frames").get(t);
            assertEquals(t, frame.get("frame").asInt());
            assertEquals(fov.backgroundLevel(t), frame.get("backgroundLevel").asDouble());
            List<SyntheticCellTruth> truth = fov.truth(t);
            assertEquals(truth.size(), frame.get("cells").size());
            JsonNode first = frame.get("cells").get(0);
            assertEquals(truth.get(0).id(), first.get("id").asInt());
            assertEquals(truth.get(0).area(), first.get("area").asInt());
            assertEquals(truth.get(0).centroidX(), first.get("centroidX").asDouble());
            assertEquals(truth.get(0).intensityTotal(), first.get("intensityTotal").asDouble());
            assertEquals(truth.get(0).touchesBorder(), first.get("touchesBorder").asBoolean());
        }
        JsonNode lineage = json.get("lineage");
        assertTrue(lineage.size() >= fov.truth(0).size());
        assertEquals(1, lineage.get(0).get("id").asInt());
        assertEquals(-1, lineage.get(0).get("parentId").asInt());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Parameters p = Parameters.defaults();
        assertEquals(1024, p.width());
        assertEquals(1024, p.height());
        assertEquals(10, p.frames());
        assertEquals(26, p.cells());
        assertEquals(1, p.seed());
        assertEquals(0, p.fov());
        assertEquals(12, p.minGap());
        assertEquals(2000, p.phaseBackground());
        assertEquals(15, p.phaseNoise());
        assertEquals(700, p.cellContrast());
        assertEquals(90, p.cellTexture());
        assertEquals(400, p.fluorescenceBackground());
        assertEquals(0.35, p.vignetting());
        assertEquals(1, p.noiseGain());
        assertEquals(200, p.signalMin());
        assertEquals(1500, p.signalMax());
        assertEquals(105, Parameters.builder().size(2048, 2048).build().cells(), "cell count follows the frame area");
        assertThrows(IllegalArgumentException.class, () -> Parameters.builder().size(16, 512).build());
        assertThrows(IllegalArgumentException.class, () -> Parameters.builder().vignetting(1.0).build());
        assertThrows(IndexOutOfBoundsException.class, () -> FOV.phaseContrast(SMALL.frames()));
    }

    private static SyntheticCellTruth find(List<SyntheticCellTruth> cells, int id) {
        return cells.stream().filter(c -> c.id() == id).findFirst().orElse(null);
    }

    private static Set<Integer> touchingIds(List<SyntheticCellTruth> cells) {
        return cells.stream().filter(SyntheticCellTruth::touchesBorder).map(SyntheticCellTruth::id)
                .collect(Collectors.toSet());
    }

    private static Set<Integer> ids(List<SyntheticCellTruth> cells) {
        return cells.stream().map(SyntheticCellTruth::id).collect(Collectors.toSet());
    }

    /** Mean fluorescence and mean illumination over the background pixels of a square block. */
    private static double[] blockMeans(short[] f, int[] labels, int w, int x0, int y0, int size) {
        double value = 0;
        double light = 0;
        int n = 0;
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                if (labels[y * w + x] == 0) {
                    value += f[y * w + x] & 0xFFFF;
                    light += FOV.illumination(x, y);
                    n++;
                }
            }
        }
        return new double[] {value / n, light / n};
    }

    /** Whether a labelled pixel has a 4-neighbour (or the frame edge) outside its cell. */
    private static boolean onOutline(int[] labels, int w, int h, int x, int y) {
        int id = labels[y * w + x];
        return x == 0 || y == 0 || x == w - 1 || y == h - 1 || labels[y * w + x - 1] != id
                || labels[y * w + x + 1] != id || labels[(y - 1) * w + x] != id || labels[(y + 1) * w + x] != id;
    }

    private static boolean uniform(int[] labels, int w, int x, int y, int radius, int id) {
        for (int dy = -radius; dy <= radius; dy++) {
            for (int dx = -radius; dx <= radius; dx++) {
                if (labels[(y + dy) * w + x + dx] != id) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Sample standard deviation of the 3x3 window around (x, y), as the segmentation measures it. */
    private static double localStd(short[] image, int w, int x, int y) {
        double sum = 0;
        double sum2 = 0;
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                double v = image[(y + dy) * w + x + dx] & 0xFFFF;
                sum += v;
                sum2 += v * v;
            }
        }
        double mean = sum / 9;
        return Math.sqrt(Math.max(0, (sum2 - 9 * mean * mean) / 8));
    }
}
