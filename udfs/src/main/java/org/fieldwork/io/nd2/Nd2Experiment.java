package org.fieldwork.io.nd2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The experiment loops of an ND2 file ({@code ImageMetadataLV!} or {@code ImageMetadata!}), outermost
 * first: each level of the tree is one loop ({@code eType} 1 time, 2 XY positions, 4 Z, 6 spectral,
 * 8 time in phases) with its parameters in {@code uLoopPars} and the next loop inside
 * {@code ppNextLevelEx}. Frames are stored row-major over the loops, the innermost fastest, so a
 * (position, time, z) triple gives the sequence index of its {@code ImageDataSeq|N!} chunk.
 * Spectral loops hold the channels of one frame and add no index.
 */
final class Nd2Experiment {

    enum Axis {
        TIME("T"), POSITION("XY"), Z("Z");

        final String label;

        Axis(String label) {
            this.label = label;
        }
    }

    /**
     * One loop.
     *
     * @param points for a position loop, the index in the loop's point list of each valid position
     * @param names  for a position loop, each valid position's name ("" where it has none)
     */
    record Loop(Axis axis, int count, int[] points, List<String> names) {
    }

    private static final int MAX_LEVELS = 32;
    private static final Pattern LIST_ITEM = Pattern.compile("i\\d{10}");

    private final List<Loop> loops;

    private Nd2Experiment(List<Loop> loops) {
        this.loops = List.copyOf(loops);
    }

    static Nd2Experiment none() {
        return new Nd2Experiment(List.of());
    }

    /** Reads the loops from the experiment tree (its top level is the outermost loop). */
    static Nd2Experiment from(Nd2Variant experiment, String file, String chunk) throws Nd2FormatException {
        List<Loop> loops = new ArrayList<>();
        Nd2Variant level = experiment;
        for (int depth = 0; level != null; depth++) {
            if (depth > MAX_LEVELS) {
                throw new Nd2FormatException(file, "corrupt experiment in chunk " + chunk + ": more than " + MAX_LEVELS
                        + " nested loops");
            }
            Loop loop = loop(level, file, chunk);
            if (loop != null) {
                for (Loop l : loops) {
                    if (l.axis() == loop.axis()) {
                        throw new Nd2FormatException(file, "unsupported experiment in chunk " + chunk + ": two "
                                + loop.axis().label + " loops");
                    }
                }
                loops.add(loop);
            }
            level = next(level);
        }
        return new Nd2Experiment(loops);
    }

    /** The experiment inside {@code ppNextLevelEx} (its first item), or null. */
    private static Nd2Variant next(Nd2Variant level) {
        Nd2Variant nextLevel = level.child("ppNextLevelEx");
        if (nextLevel == null || nextLevel.children().isEmpty()) {
            return null;
        }
        Nd2Variant item = nextLevel.children().get(0);
        while (item.isLevel() && item.child("eType") == null && item.children().size() == 1
                && item.children().get(0).isLevel()) {
            item = item.children().get(0);   // an SLxExperiment or list-item wrapper
        }
        return item.isLevel() ? item : null;
    }

    /** A level that holds one unnamed list item (version 2 files wrap loop parameters so) stands for that item. */
    private static Nd2Variant listItem(Nd2Variant v) {
        if (v.children().size() == 1) {
            Nd2Variant only = v.children().get(0);
            if (only.isLevel() && (only.name().isEmpty() || LIST_ITEM.matcher(only.name()).matches())) {
                return only;
            }
        }
        return v;
    }

    private static Loop loop(Nd2Variant exp, String file, String chunk) throws Nd2FormatException {
        long type = exp.childLong("eType", 0);
        Nd2Variant pars = exp.child("uLoopPars");
        if (pars == null || !pars.isLevel()) {
            return null;
        }
        pars = listItem(pars);
        switch ((int) type) {
            case 1: {
                long count = pars.childLong("uiCount", 0);
                return count > 0 ? new Loop(Axis.TIME, checked(count, file, chunk), null, null) : null;
            }
            case 2:
                return positions(exp, pars, file, chunk);
            case 4: {
                long count = pars.childLong("uiCount", 0);
                return count > 0 ? new Loop(Axis.Z, checked(count, file, chunk), null, null) : null;
            }
            case 6:
                return null;
            case 8: {
                long count = 0;
                Nd2Variant periods = pars.child("pPeriod");
                boolean[] valid = flags(pars.child("pPeriodValid"));
                if (periods != null) {
                    List<Nd2Variant> items = periods.children();
                    for (int i = 0; i < items.size(); i++) {
                        if (valid == null || i < valid.length && valid[i]) {
                            count += listItem(items.get(i)).childLong("uiCount", 0);
                        }
                    }
                }
                if (count == 0) {
                    count = pars.childLong("uiCount", 0);
                }
                return count > 0 ? new Loop(Axis.TIME, checked(count, file, chunk), null, null) : null;
            }
            default: {
                long count = pars.childLong("uiCount", 0);
                if (count > 1) {
                    throw new Nd2FormatException(file, "unsupported experiment in chunk " + chunk + ": loop type "
                            + type + " with " + count + " items");
                }
                return null;
            }
        }
    }

    /** A position loop: only the points whose pItemValid flag is set were acquired. */
    private static Loop positions(Nd2Variant exp, Nd2Variant pars, String file, String chunk) throws Nd2FormatException {
        Nd2Variant pointList = pars.child("Points");
        List<Nd2Variant> points = pointList == null ? List.of() : pointList.children();
        long raw = pars.childLong("uiCount", points.size());
        if (raw <= 0) {
            raw = points.size();
        }
        int rawCount = checked(raw, file, chunk);
        boolean[] valid = flags(exp.child("pItemValid"));
        List<Integer> kept = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < rawCount; i++) {
            if (valid == null || i < valid.length && valid[i]) {
                kept.add(i);
                String name = "";
                if (i < points.size()) {
                    Nd2Variant point = listItem(points.get(i));
                    name = point.childString("dPosName", point.childString("pPosName", ""));
                }
                names.add(name);
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        return new Loop(Axis.POSITION, kept.size(), kept.stream().mapToInt(Integer::intValue).toArray(), names);
    }

    /** Validity flags: a byte array (LV) or a list of booleans (XML); null when absent. */
    private static boolean[] flags(Nd2Variant v) {
        if (v == null) {
            return null;
        }
        if (v.value() instanceof byte[] bytes) {
            boolean[] f = new boolean[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                f[i] = bytes[i] != 0;
            }
            return f;
        }
        if (v.isLevel()) {
            List<Nd2Variant> items = v.children();
            boolean[] f = new boolean[items.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = items.get(i).asBool(false);
            }
            return f;
        }
        return null;
    }

    private static int checked(long count, String file, String chunk) throws Nd2FormatException {
        if (count > Integer.MAX_VALUE) {
            throw new Nd2FormatException(file, "corrupt experiment in chunk " + chunk + ": a loop of " + count + " items");
        }
        return (int) count;
    }

    /**
     * Fits the loops to the frames the file holds: an acquisition stopped early has fewer frames
     * than its loops promise, so the outermost loop is cut to what was recorded; a file with frames
     * but no loops is read as a time series.
     */
    Nd2Experiment fittedTo(int sequenceCount) {
        if (loops.isEmpty()) {
            return sequenceCount > 1 ? new Nd2Experiment(List.of(new Loop(Axis.TIME, sequenceCount, null, null)))
                    : this;
        }
        long total = 1;
        for (Loop l : loops) {
            total *= l.count();
        }
        if (total <= sequenceCount || sequenceCount <= 0) {
            return this;
        }
        long inner = total / loops.get(0).count();
        int outer = (int) Math.max(1, (sequenceCount + inner - 1) / inner);
        List<Loop> fitted = new ArrayList<>(loops);
        Loop first = loops.get(0);
        int[] points = first.points() == null ? null : Arrays.copyOf(first.points(), outer);
        List<String> names = first.names() == null ? null : first.names().subList(0, outer);
        fitted.set(0, new Loop(first.axis(), outer, points, names));
        return new Nd2Experiment(fitted);
    }

    List<Loop> loops() {
        return loops;
    }

    /** Items of the loop on this axis; 1 without one. */
    int count(Axis axis) {
        Loop l = loop(axis);
        return l == null ? 1 : l.count();
    }

    Loop loop(Axis axis) {
        for (Loop l : loops) {
            if (l.axis() == axis) {
                return l;
            }
        }
        return null;
    }

    /** Frames the loops describe. */
    long sequences() {
        long n = 1;
        for (Loop l : loops) {
            n *= l.count();
        }
        return n;
    }

    /** The sequence index of a frame: row-major over the loops, outermost first. */
    long sequenceIndex(int position, int time, int z) {
        return sequenceIndex(loops, position, time, z);
    }

    /** The sequence index of a frame in loops given in storage order (outermost first). */
    static long sequenceIndex(List<Loop> loops, int position, int time, int z) {
        long n = 0;
        for (Loop l : loops) {
            int i = switch (l.axis()) {
                case TIME -> time;
                case POSITION -> position;
                case Z -> z;
            };
            n = n * l.count() + i;
        }
        return n;
    }

    /** The loops in storage order, e.g. "T(53)" or "T(10) XY(4) Z(3)"; "none" without loops. */
    String describe() {
        if (loops.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (Loop l : loops) {
            sb.append(sb.length() == 0 ? "" : " ").append(l.axis().label).append('(').append(l.count()).append(')');
        }
        return sb.toString();
    }
}
