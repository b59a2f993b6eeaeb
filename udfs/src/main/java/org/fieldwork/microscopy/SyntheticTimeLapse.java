package org.fieldwork.microscopy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A synthetic field of view of a time-lapse experiment with known ground truth: a
 * phase-contrast channel and a fluorescence channel of elliptical cells that move, grow and
 * divide, for testing, demonstrating and benchmarking the microscopy pipeline.
 *
 * <p>Phase contrast: a flat background with low noise; cells darker, with a textured interior
 * (noise several times the background's) and a bright halo just outside their outline, so a
 * local-variance segmentation finds them. Fluorescence: {@code F = I(x,y) * (B_t + s_c inside
 * cell c) + noise}, where {@code I} is a vignetting profile with mean 1 over the frame,
 * {@code B_t} a slowly drifting background level and the noise Gaussian with variance
 * {@code noiseGain * signal} (Poisson-like). The exact background correction
 * {@code F / I - B_t} therefore gives {@code s_c} inside cell c and 0 outside: a cell's true
 * {@code intensity_total} is {@code s_c * area}.
 *
 * <p>Only the cells' outlines over time are computed up front (small); every frame's pixels are
 * computed on request, for any frame in any order, with noise from a generator seeded by
 * (seed, fov, frame, channel). Same parameters, same pixels. Instances are immutable and may
 * serve several threads.
 */
public final class SyntheticTimeLapse {
    private static final int CHANNEL_GEOMETRY = 0;
    private static final int CHANNEL_PHASE = 1;
    private static final int CHANNEL_FLUORESCENCE = 2;
    /** Lowest illumination relative to the profile's centre, so a strong off-centre vignette stays positive. */
    private static final double ILLUMINATION_FLOOR = 0.05;

    private final Parameters p;
    private final List<SyntheticCellPath> cells;
    private final double[] levelById;
    private final double[] columnFalloff;
    private final double[] rowFalloff;
    private final double illuminationScale;

    public SyntheticTimeLapse(Parameters parameters) {
        this.p = parameters;
        this.cells = SyntheticColony.simulate(p,
                new SplittableRandom(streamSeed(p.seed(), p.fov(), -1, CHANNEL_GEOMETRY)));
        this.levelById = new double[cells.size() + 1];
        for (SyntheticCellPath cell : cells) {
            levelById[cell.id] = cell.level;
        }
        double radius = 0.5 * Math.sqrt((double) p.width() * p.width() + (double) p.height() * p.height());
        double centreX = 0.5 * (p.width() - 1) + p.vignettingOffsetX() * p.width();
        double centreY = 0.5 * (p.height() - 1) + p.vignettingOffsetY() * p.height();
        this.columnFalloff = falloff(p.width(), centreX, radius, p.vignetting());
        this.rowFalloff = falloff(p.height(), centreY, radius, p.vignetting());
        double sum = 0;
        for (int y = 0; y < p.height(); y++) {
            double row = 1.0 - rowFalloff[y];
            for (int x = 0; x < p.width(); x++) {
                sum += Math.max(ILLUMINATION_FLOOR, row - columnFalloff[x]);
            }
        }
        this.illuminationScale = (double) p.width() * p.height() / sum;
    }

    private static double[] falloff(int n, double centre, double radius, double strength) {
        double[] terms = new double[n];
        for (int i = 0; i < n; i++) {
            double r = (i - centre) / radius;
            terms[i] = strength * r * r;
        }
        return terms;
    }

    public Parameters parameters() {
        return p;
    }

    /** The vignetting profile I(x, y) (column x, row y); its mean over the frame is 1. */
    public double illumination(int x, int y) {
        return illuminationScale * Math.max(ILLUMINATION_FLOOR, 1.0 - rowFalloff[y] - columnFalloff[x]);
    }

    /** The fluorescence background level B_t before illumination: {@code B * (1 + drift * t)}. */
    public double backgroundLevel(int t) {
        return p.fluorescenceBackground() * (1 + p.backgroundDrift() * t);
    }

    /** Phase-contrast frame t, row-major, unsigned 16-bit values in a short[]. */
    public short[] phaseContrast(int t) {
        checkFrame(t);
        int w = p.width();
        short[] frame = new short[w * p.height()];
        SyntheticGaussian noise = noise(t, CHANNEL_PHASE);
        double background = p.phaseBackground();
        double sigma = p.phaseNoise();
        for (int i = 0; i < frame.length; i++) {
            frame[i] = unsigned(background + sigma * noise.next());
        }
        double interior = background - p.cellContrast();
        double texture = p.cellTexture();
        double halo = p.haloBrightness();
        double haloWidth = p.haloWidth();
        int reach = (int) Math.ceil(haloWidth) + 1;
        for (SyntheticCellPath cell : cells) {
            SyntheticCellShape shape = cell.shape(t);
            if (shape == null) {
                continue;
            }
            int x0 = Math.max(0, shape.minX() - reach);
            int x1 = Math.min(w - 1, shape.maxX() + reach);
            int y0 = Math.max(0, shape.minY() - reach);
            int y1 = Math.min(p.height() - 1, shape.maxY() + reach);
            for (int y = y0; y <= y1; y++) {
                int row = y * w;
                for (int x = x0; x <= x1; x++) {
                    double form = shape.form(x, y);
                    if (form <= 1.0) {
                        frame[row + x] = unsigned(interior + texture * noise.next());
                    } else if (haloWidth > 0) {
                        double d = shape.outsideDistance(x, y, form);
                        if (d <= haloWidth) {
                            double value = background + halo * (1 - 0.5 * d / haloWidth) + sigma * noise.next();
                            frame[row + x] = unsigned(value);
                        }
                    }
                }
            }
        }
        return frame;
    }

    /** Fluorescence frame t, row-major, unsigned 16-bit values in a short[]. */
    public short[] fluorescence(int t) {
        int[] labels = labels(t);
        int w = p.width();
        short[] frame = new short[labels.length];
        SyntheticGaussian noise = noise(t, CHANNEL_FLUORESCENCE);
        double background = backgroundLevel(t);
        double gain = p.noiseGain();
        for (int y = 0; y < p.height(); y++) {
            double rowLight = 1.0 - rowFalloff[y];
            int row = y * w;
            for (int x = 0; x < w; x++) {
                double light = illuminationScale * Math.max(ILLUMINATION_FLOOR, rowLight - columnFalloff[x]);
                double signal = light * (background + levelById[labels[row + x]]);
                frame[row + x] = unsigned(signal + Math.sqrt(gain * signal) * noise.next());
            }
        }
        return frame;
    }

    /** The true label image of frame t: each cell's pixels hold its id, background 0. */
    public int[] labels(int t) {
        checkFrame(t);
        int w = p.width();
        int[] labels = new int[w * p.height()];
        for (SyntheticCellPath cell : cells) {
            SyntheticCellShape shape = cell.shape(t);
            if (shape == null) {
                continue;
            }
            int x0 = Math.max(0, shape.minX());
            int x1 = Math.min(w - 1, shape.maxX());
            int y0 = Math.max(0, shape.minY());
            int y1 = Math.min(p.height() - 1, shape.maxY());
            for (int y = y0; y <= y1; y++) {
                int row = y * w;
                for (int x = x0; x <= x1; x++) {
                    if (shape.covers(x, y)) {
                        labels[row + x] = cell.id;
                    }
                }
            }
        }
        return labels;
    }

    /** Every cell present in frame t, in id order, computed from its true mask. */
    public List<SyntheticCellTruth> truth(int t) {
        checkFrame(t);
        int w = p.width();
        int h = p.height();
        List<SyntheticCellTruth> truth = new ArrayList<>();
        for (SyntheticCellPath cell : cells) {
            SyntheticCellShape shape = cell.shape(t);
            if (shape == null) {
                continue;
            }
            int x0 = Math.max(0, shape.minX());
            int x1 = Math.min(w - 1, shape.maxX());
            int y0 = Math.max(0, shape.minY());
            int y1 = Math.min(h - 1, shape.maxY());
            long area = 0;
            long sumX = 0;
            long sumY = 0;
            boolean border = false;
            for (int y = y0; y <= y1; y++) {
                for (int x = x0; x <= x1; x++) {
                    if (shape.covers(x, y)) {
                        area++;
                        sumX += x;
                        sumY += y;
                        border |= x == 0 || y == 0 || x == w - 1 || y == h - 1;
                    }
                }
            }
            if (area > 0) {
                truth.add(new SyntheticCellTruth(t, cell.id, cell.parentId, (int) area, (double) sumX / area,
                        (double) sumY / area, cell.level, cell.level * area, border));
            }
        }
        return truth;
    }

    /**
     * Writes the parameters, the vignetting profile's definition, every cell's lineage and every
     * frame's truth as one JSON document, for the demo and the benchmark.
     */
    public void writeTruthJson(Path path) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (OutputStream out = Files.newOutputStream(path);
             JsonGenerator json = mapper.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeObjectField("parameters", p);
            json.writeArrayFieldStart("lineage");
            for (SyntheticCellPath cell : cells) {
                json.writeStartObject();
                json.writeNumberField("id", cell.id);
                json.writeNumberField("parentId", cell.parentId);
                json.writeNumberField("firstFrame", cell.firstFrame);
                json.writeNumberField("lastFrame", cell.endFrame() - 1);
                json.writeStringField("kind", cell.kind.name().toLowerCase(Locale.ROOT));
                json.writeNumberField("intensityMean", cell.level);
                json.writeArrayFieldStart("daughters");
                for (SyntheticCellPath other : cells) {
                    if (other.parentId == cell.id) {
                        json.writeNumber(other.id);
                    }
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("frames");
            for (int t = 0; t < p.frames(); t++) {
                json.writeStartObject();
                json.writeNumberField("frame", t);
                json.writeNumberField("backgroundLevel", backgroundLevel(t));
                json.writeObjectField("cells", truth(t));
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private void checkFrame(int t) {
        if (t < 0 || t >= p.frames()) {
            throw new IndexOutOfBoundsException("frame " + t + " outside 0.." + (p.frames() - 1));
        }
    }

    private SyntheticGaussian noise(int t, int channel) {
        return new SyntheticGaussian(new SplittableRandom(streamSeed(p.seed(), p.fov(), t, channel)));
    }

    /** A seed for one (seed, fov, frame, channel) stream, well mixed so neighbouring keys share nothing. */
    static long streamSeed(long seed, int fov, int frame, int channel) {
        long h = mix(seed ^ 0x6A09E667F3BCC909L);
        h = mix(h + fov * 0x9E3779B97F4A7C15L);
        h = mix(h + (frame + 1L) * 0xC2B2AE3D27D4EB4FL);
        return mix(h + channel * 0x165667B19E3779F9L);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static short unsigned(double value) {
        if (value <= 0) {
            return 0;
        }
        if (value >= 65535) {
            return (short) 65535;
        }
        return (short) (int) (value + 0.5);
    }

    /**
     * Everything that defines a synthetic FOV. Build with {@link #builder()}; defaults describe a
     * 1024 x 1024, 10-frame FOV at the reference's cell sizes.
     *
     * @param width                  frame width in pixels (default 1024)
     * @param height                 frame height in pixels (default 1024)
     * @param frames                 number of frames T (default 10)
     * @param cells                  cells placed: at frame 0 (ordinary, border and small ones) and
     *                               later (late ones); default one per 40000 px of frame at
     *                               scale 1 (26 on 1024 x 1024). Cells that find no room are left out
     * @param seed                   random seed (default 1)
     * @param fov                    field-of-view index; each gives a different FOV (default 0)
     * @param cellScale              linear cell size factor (default 1: birth areas 1500..4000 px,
     *                               division at twice the birth area; small cells 140..280 px)
     * @param divisions              whether grown cells divide (default true); if not they stop
     *                               growing at twice their birth area
     * @param borderCells            whether ~10% of the cells sit on a frame edge (default true)
     * @param lateCells              whether ~10% of the cells appear after frame 0 (default true)
     * @param smallCells             whether ~8% of the cells are small (under 300 px) (default true)
     * @param minGap                 least distance between outlines, and between an ordinary cell and
     *                               the frame edge, in pixels (default 12)
     * @param maxSpeed               fastest cell motion in pixels per frame (default 2)
     * @param growthMin              slowest relative area growth per frame (default 0.01)
     * @param growthMax              fastest relative area growth per frame (default 0.03)
     * @param phaseBackground        phase-contrast background level (default 2000)
     * @param phaseNoise             phase-contrast background noise sigma (default 15)
     * @param cellContrast           how much darker cell interiors are in phase contrast (default 700)
     * @param cellTexture            noise sigma inside cells in phase contrast (default 90)
     * @param haloBrightness         brightness of the halo just outside each cell (default 600)
     * @param haloWidth              halo width in pixels (default 2.5)
     * @param fluorescenceBackground fluorescence background level B (default 400)
     * @param backgroundDrift        relative change of B per frame (default 0.002)
     * @param vignetting             illumination drop from the optical centre to a frame corner at
     *                               the centred position, as a fraction (default 0.35)
     * @param vignettingOffsetX      optical centre's offset from the frame centre, in frame widths (default 0.05)
     * @param vignettingOffsetY      optical centre's offset from the frame centre, in frame heights (default -0.04)
     * @param noiseGain              fluorescence noise variance per count of signal (default 1: Poisson-like)
     * @param signalMin              lowest cell fluorescence level s_c (default 200)
     * @param signalMax              highest cell fluorescence level s_c (default 1500)
     */
    public record Parameters(int width, int height, int frames, int cells, long seed, int fov, double cellScale,
                             boolean divisions, boolean borderCells, boolean lateCells, boolean smallCells,
                             double minGap, double maxSpeed, double growthMin, double growthMax,
                             double phaseBackground, double phaseNoise, double cellContrast, double cellTexture,
                             double haloBrightness, double haloWidth, double fluorescenceBackground,
                             double backgroundDrift, double vignetting, double vignettingOffsetX,
                             double vignettingOffsetY, double noiseGain, double signalMin, double signalMax) {
        public Parameters {
            require(width >= 32 && height >= 32, "frames must be at least 32 x 32 pixels");
            require((long) width * height <= Integer.MAX_VALUE, "frame too large");
            require(frames >= 1, "need at least one frame");
            require(cells >= 0, "cells must not be negative");
            require(fov >= 0, "fov must not be negative");
            require(cellScale > 0, "cellScale must be positive");
            require(minGap >= 0 && maxSpeed >= 0, "minGap and maxSpeed must not be negative");
            require(growthMin >= 0 && growthMax >= growthMin, "need 0 <= growthMin <= growthMax");
            require(phaseNoise >= 0 && cellTexture >= 0 && haloWidth >= 0 && noiseGain >= 0,
                    "noise levels and halo width must not be negative");
            require(fluorescenceBackground > 0, "fluorescenceBackground must be positive");
            require(1 + backgroundDrift * (frames - 1) > 0, "backgroundDrift makes the background negative");
            require(vignetting >= 0 && vignetting < 1, "vignetting must be in [0, 1)");
            require(Math.abs(vignettingOffsetX) <= 0.5 && Math.abs(vignettingOffsetY) <= 0.5,
                    "vignetting offsets must be within half the frame");
            require(signalMin >= 0 && signalMax >= signalMin, "need 0 <= signalMin <= signalMax");
        }

        private static void require(boolean condition, String message) {
            if (!condition) {
                throw new IllegalArgumentException(message);
            }
        }

        public static Parameters defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        /** A builder holding these values (with the resolved cell count). */
        public Builder toBuilder() {
            Builder b = new Builder();
            b.width = width;
            b.height = height;
            b.frames = frames;
            b.cells = cells;
            b.seed = seed;
            b.fov = fov;
            b.cellScale = cellScale;
            b.divisions = divisions;
            b.borderCells = borderCells;
            b.lateCells = lateCells;
            b.smallCells = smallCells;
            b.minGap = minGap;
            b.maxSpeed = maxSpeed;
            b.growthMin = growthMin;
            b.growthMax = growthMax;
            b.phaseBackground = phaseBackground;
            b.phaseNoise = phaseNoise;
            b.cellContrast = cellContrast;
            b.cellTexture = cellTexture;
            b.haloBrightness = haloBrightness;
            b.haloWidth = haloWidth;
            b.fluorescenceBackground = fluorescenceBackground;
            b.backgroundDrift = backgroundDrift;
            b.vignetting = vignetting;
            b.vignettingOffsetX = vignettingOffsetX;
            b.vignettingOffsetY = vignettingOffsetY;
            b.noiseGain = noiseGain;
            b.signalMin = signalMin;
            b.signalMax = signalMax;
            return b;
        }
    }

    /** Builds {@link Parameters}; every value starts at its documented default. */
    public static final class Builder {
        private int width = 1024;
        private int height = 1024;
        private int frames = 10;
        private Integer cells;
        private long seed = 1;
        private int fov;
        private double cellScale = 1.0;
        private boolean divisions = true;
        private boolean borderCells = true;
        private boolean lateCells = true;
        private boolean smallCells = true;
        private double minGap = 12;
        private double maxSpeed = 2;
        private double growthMin = 0.01;
        private double growthMax = 0.03;
        private double phaseBackground = 2000;
        private double phaseNoise = 15;
        private double cellContrast = 700;
        private double cellTexture = 90;
        private double haloBrightness = 600;
        private double haloWidth = 2.5;
        private double fluorescenceBackground = 400;
        private double backgroundDrift = 0.002;
        private double vignetting = 0.35;
        private double vignettingOffsetX = 0.05;
        private double vignettingOffsetY = -0.04;
        private double noiseGain = 1;
        private double signalMin = 200;
        private double signalMax = 1500;

        private Builder() {
        }

        public Builder width(int value) {
            width = value;
            return this;
        }

        public Builder height(int value) {
            height = value;
            return this;
        }

        /** Sets width and height. */
        public Builder size(int w, int h) {
            width = w;
            height = h;
            return this;
        }

        public Builder frames(int value) {
            frames = value;
            return this;
        }

        public Builder cells(int value) {
            cells = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder fov(int value) {
            fov = value;
            return this;
        }

        public Builder cellScale(double value) {
            cellScale = value;
            return this;
        }

        public Builder divisions(boolean value) {
            divisions = value;
            return this;
        }

        public Builder borderCells(boolean value) {
            borderCells = value;
            return this;
        }

        public Builder lateCells(boolean value) {
            lateCells = value;
            return this;
        }

        public Builder smallCells(boolean value) {
            smallCells = value;
            return this;
        }

        public Builder minGap(double value) {
            minGap = value;
            return this;
        }

        public Builder maxSpeed(double value) {
            maxSpeed = value;
            return this;
        }

        public Builder growth(double min, double max) {
            growthMin = min;
            growthMax = max;
            return this;
        }

        public Builder phaseBackground(double value) {
            phaseBackground = value;
            return this;
        }

        public Builder phaseNoise(double value) {
            phaseNoise = value;
            return this;
        }

        public Builder cellContrast(double value) {
            cellContrast = value;
            return this;
        }

        public Builder cellTexture(double value) {
            cellTexture = value;
            return this;
        }

        public Builder halo(double brightness, double widthPx) {
            haloBrightness = brightness;
            haloWidth = widthPx;
            return this;
        }

        public Builder fluorescenceBackground(double value) {
            fluorescenceBackground = value;
            return this;
        }

        public Builder backgroundDrift(double value) {
            backgroundDrift = value;
            return this;
        }

        public Builder vignetting(double value) {
            vignetting = value;
            return this;
        }

        /** Offset of the optical centre from the frame centre, in frame widths and heights. */
        public Builder vignettingOffset(double x, double y) {
            vignettingOffsetX = x;
            vignettingOffsetY = y;
            return this;
        }

        public Builder noiseGain(double value) {
            noiseGain = value;
            return this;
        }

        public Builder signal(double min, double max) {
            signalMin = min;
            signalMax = max;
            return this;
        }

        public Parameters build() {
            int count = cells != null ? cells
                    : (int) Math.max(1, Math.round((double) width * height / (40000.0 * cellScale * cellScale)));
            return new Parameters(width, height, frames, count, seed, fov, cellScale, divisions, borderCells,
                    lateCells, smallCells, minGap, maxSpeed, growthMin, growthMax, phaseBackground, phaseNoise,
                    cellContrast, cellTexture, haloBrightness, haloWidth, fluorescenceBackground, backgroundDrift,
                    vignetting, vignettingOffsetX, vignettingOffsetY, noiseGain, signalMin, signalMax);
        }
    }
}
