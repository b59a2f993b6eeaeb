package org.fieldwork.microscopy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;

/**
 * One field of view, frame by frame, in two passes over the file. The first binarizes the phase
 * contrast, tracks the cells and takes each fluorescence frame's background tile medians; the
 * gain follows from the medians alone; the second reads the fluorescence again, corrects it and
 * sums it over the tracked cells. Memory holds a few frames whatever the movie's length.
 */
public final class FovProcessor {
    private final FovParameters parameters;

    public FovProcessor(FovParameters parameters) {
        this.parameters = parameters;
    }

    /**
     * @param pcChannel  the phase-contrast channel's index
     * @param flChannels the fluorescence channels' indices
     */
    public FovResult process(StackReader reader, int position, int pcChannel, int[] flChannels, FovOutput out,
            BooleanSupplier cancelled) throws IOException {
        StackInfo info = reader.info();
        int w = info.width();
        int h = info.height();
        int frames = info.frames();
        boolean integer = !"float32".equals(info.pixelType());
        Stopwatch clock = new Stopwatch();

        PhaseContrastBinarizer binarizer = new PhaseContrastBinarizer(w, h, parameters.maskSize());
        SchwarzfischerBackground background = SchwarzfischerBackground.of(w, h, parameters);
        CellTracker tracker = CellTracker.of(parameters.method(), parameters.classes(), parameters.minTraceLength());
        float[] plane = new float[w * h];
        byte[] mask = new byte[w * h];
        List<List<double[]>> medians = new ArrayList<>();
        Map<String, List<String>> invalid = new LinkedHashMap<>();
        for (int c : flChannels) {
            medians.add(new ArrayList<>());
            invalid.put(info.channels().get(c), new ArrayList<>());
        }

        for (int t = 0; t < frames; t++) {
            check(cancelled);
            clock.start();
            reader.read(position, t, 0, pcChannel, plane);
            clock.stop("read");
            if (out.wantsRaw()) {
                out.raw(pcChannel, t, plane);
            }
            binarizer.binarize(plane, mask);
            clock.stop("binarize");
            out.binarized(t, mask);
            clock.stop("write");
            tracker.add(CellRegions.of(mask, w, h));
            clock.stop("track");
            for (int k = 0; k < flChannels.length; k++) {
                reader.read(position, t, 0, flChannels[k], plane);
                clock.stop("read");
                if (out.wantsRaw()) {
                    out.raw(flChannels[k], t, plane);
                }
                double[] m = background.model().fit(plane, mask, integer);
                if (m == null) {
                    invalid.get(info.channels().get(flChannels[k])).add("frame " + t + ": " + background.model().whyNot());
                }
                medians.get(k).add(m);
                clock.stop("background");
            }
            if (out.wantsRaw()) {
                for (int c = 0; c < info.channelCount(); c++) {
                    int channel = c;
                    if (c != pcChannel && Arrays.stream(flChannels).noneMatch(f -> f == channel)) {
                        reader.read(position, t, 0, c, plane);
                        out.raw(c, t, plane);
                    }
                }
                clock.stop("read");
            }
        }

        List<CellTrack> tracks = tracker.tracks();
        List<float[]> gains = new ArrayList<>();
        for (int k = 0; k < flChannels.length; k++) {
            check(cancelled);
            gains.add(medians.get(k).stream().allMatch(m -> m == null) ? null : background.gain(medians.get(k)));
        }
        clock.stop("background");

        // Per frame: which track each label belongs to, then the second pass.
        List<TraceRow> rows = new ArrayList<>();
        double[][][] totals = new double[frames][][];
        int[][] areas = new int[frames][];
        double[][] xs = new double[frames][];
        double[][] ys = new double[frames][];
        boolean[][] good = new boolean[frames][];
        float[] corrected = new float[w * h];
        for (int t = 0; t < frames; t++) {
            check(cancelled);
            byte[] m = out.binarized(t);
            clock.stop("read");
            CellRegions regions = CellRegions.of(m, w, h);
            int[] labels = regions.labels();
            int[] trackLabels = new int[tracks.size()];
            boolean[] wanted = new boolean[regions.count() + 1];
            for (int i = 0; i < tracks.size(); i++) {
                trackLabels[i] = tracks.get(i).labelAt(t);
                wanted[trackLabels[i]] = trackLabels[i] > 0;
            }
            areas[t] = new int[tracks.size()];
            xs[t] = new double[tracks.size()];
            ys[t] = new double[tracks.size()];
            good[t] = new boolean[tracks.size()];
            for (int i = 0; i < tracks.size(); i++) {
                int l = trackLabels[i];
                if (l > 0) {
                    areas[t][i] = regions.area(l);
                    xs[t][i] = regions.centroidX(l);
                    ys[t][i] = regions.centroidY(l);
                    good[t][i] = parameters.classes().good(regions, l);
                }
            }
            clock.stop("track");
            totals[t] = new double[tracks.size()][flChannels.length];
            for (int k = 0; k < flChannels.length; k++) {
                double[] med = medians.get(k).get(t);
                if (med == null) {
                    Arrays.fill(corrected, Float.NaN);
                } else {
                    reader.read(position, t, 0, flChannels[k], plane);
                    clock.stop("read");
                    background.correct(plane, med, gains.get(k), corrected);
                }
                double[] perLabel = new double[regions.count() + 1];
                for (int i = 0; i < labels.length; i++) {
                    int l = labels[i];
                    if (l > 0 && wanted[l]) {
                        perLabel[l] += corrected[i];
                    }
                }
                for (int i = 0; i < tracks.size(); i++) {
                    totals[t][i][k] = trackLabels[i] > 0 ? perLabel[trackLabels[i]] : Double.NaN;
                }
                clock.stop("correct");
                out.corrected(k, t, corrected);
                clock.stop("write");
            }
        }
        for (int i = 0; i < tracks.size(); i++) {
            CellTrack track = tracks.get(i);
            for (int t = track.firstFrame(); t <= track.lastFrame(); t++) {
                if (track.labelAt(t) > 0) {
                    rows.add(new TraceRow(track.cellId(), track.parentId(), t, good[t][i], xs[t][i], ys[t][i],
                            areas[t][i], totals[t][i]));
                }
            }
        }
        return new FovResult(rows, tracks, invalid, clock.seconds());
    }

    private static void check(BooleanSupplier cancelled) throws IOException {
        if (cancelled != null && cancelled.getAsBoolean()) {
            throw new java.io.InterruptedIOException("cancelled");
        }
    }

    /** Wall time per step, accumulated between stops. */
    private static final class Stopwatch {
        private final Map<String, Double> seconds = new LinkedHashMap<>();
        private long last = System.nanoTime();

        void start() {
            last = System.nanoTime();
        }

        void stop(String step) {
            long now = System.nanoTime();
            seconds.merge(step, (now - last) / 1e9, Double::sum);
            last = now;
        }

        Map<String, Double> seconds() {
            return seconds;
        }
    }
}
