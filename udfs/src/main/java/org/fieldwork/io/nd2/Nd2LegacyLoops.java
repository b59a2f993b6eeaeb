package org.fieldwork.io.nd2;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.fieldwork.io.nd2.Nd2Experiment.Axis;
import org.fieldwork.io.nd2.Nd2Experiment.Loop;

/**
 * The experiment loops of a legacy ND2 file, outermost first, as far as its metadata tells them.
 * Two sources: the experiment box ({@code AIM1} or {@code AIMD}: a chain of levels, each with a loop
 * {@code Type} (1 time, 2 XY positions, 4 Z, 6 spectral, 8 time in phases), its {@code LoopPars}
 * with a {@code Count}, and the next loop in {@code NextLevelEx}; older files list {@code LoopNo00},
 * {@code LoopNo01}... side by side) and the dimensions line of the text info
 * ({@code Dimensions: T(3) x XY(2) x λ(2)}), whose counts win where both give one (NIS-Elements
 * agrees with the text where the experiment lists unused positions). Frames are stored row-major
 * over the loops, the innermost fastest. Loops whose counts do not multiply to the number of frames
 * are not trusted: every frame is then a time point of one position, and {@link #source()} says so.
 */
final class Nd2LegacyLoops {
    private static final Pattern DIMENSIONS = Pattern.compile("Dimensions:\\s*([^\\r\\n]*)");
    private static final Pattern DIMENSION = Pattern.compile("([A-Za-z\\u03bb]+)'?\\((\\d{1,9})\\)");
    private static final Pattern LOOP_NO = Pattern.compile("LoopNo\\d+");
    private static final int MAX_LEVELS = 32;
    private static final String CHANNEL = "\u03bb";
    private static final int TYPE_TIME = 1;
    private static final int TYPE_POSITIONS = 2;
    private static final int TYPE_Z = 4;
    private static final int TYPE_SPECTRAL = 6;
    private static final int TYPE_TIME_PHASES = 8;

    private final List<Loop> loops;
    private final String source;

    private Nd2LegacyLoops(List<Loop> loops, String source) {
        this.loops = List.copyOf(loops);
        this.source = source;
    }

    /**
     * The loops of {@code sequences} frames.
     *
     * @param experiment     the experiment tree, or null without one
     * @param experimentBox  its box tag, for {@link #source()}
     * @param textInfo       the texts of the text-info box (the dimensions line is looked for in them)
     */
    static Nd2LegacyLoops resolve(Nd2Variant experiment, String experimentBox, List<String> textInfo, int sequences) {
        Map<String, Integer> dims = dimensions(textInfo);
        List<Loop> loops = experiment == null ? null : fromExperiment(experiment);
        boolean unknownKind = experiment != null && loops == null;
        String from;
        if (loops != null && !loops.isEmpty()) {
            loops = withCounts(loops, dims);
            from = "experiment (" + experimentBox + ")" + (dims.isEmpty() ? "" : " and text info dimensions");
        } else {
            loops = fromDimensions(dims);
            from = "text info dimensions";
        }
        if (loops != null && !loops.isEmpty() && distinctAxes(loops) && product(loops) == sequences) {
            return new Nd2LegacyLoops(loops, from);
        }
        if (sequences <= 1) {
            return new Nd2LegacyLoops(List.of(), "a single frame");
        }
        String why = loops != null && !loops.isEmpty() ? "the metadata's loops " + describe(loops) + " do not fit them"
                : unknownKind ? "the experiment (" + experimentBox + ") holds a loop of a kind not read"
                : "the metadata describes no loops";
        return new Nd2LegacyLoops(List.of(new Loop(Axis.TIME, sequences, null, null)),
                "none: " + why + ", so the " + sequences + " frames are read as time points of one position");
    }

    /** Label to count from the first "Dimensions:" line, in its order (T, XY, Z, λ...); empty without one. */
    static Map<String, Integer> dimensions(List<String> texts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String text : texts) {
            Matcher line = DIMENSIONS.matcher(text);
            if (line.find()) {
                Matcher m = DIMENSION.matcher(line.group(1));
                while (m.find()) {
                    out.put(m.group(1), Integer.parseInt(m.group(2)));
                }
                return out;
            }
        }
        return out;
    }

    private static List<Loop> fromDimensions(Map<String, Integer> dims) {
        List<Loop> loops = new ArrayList<>();
        for (Map.Entry<String, Integer> d : dims.entrySet()) {
            if (d.getKey().equals(CHANNEL)) {
                continue;
            }
            Axis axis = axis(d.getKey());
            if (axis == null) {
                return null;
            }
            loops.add(new Loop(axis, d.getValue(), null, null));
        }
        return loops;
    }

    /** The experiment's loops with the counts of the dimensions line where it gives one. */
    private static List<Loop> withCounts(List<Loop> loops, Map<String, Integer> dims) {
        List<Loop> out = new ArrayList<>();
        for (Loop l : loops) {
            Integer n = dims.get(l.axis().label);
            out.add(n == null ? l : new Loop(l.axis(), n, null, null));
        }
        return out;
    }

    private static Axis axis(String label) {
        for (Axis a : Axis.values()) {
            if (a.label.equals(label)) {
                return a;
            }
        }
        return null;
    }

    /** The loops of the experiment tree, outermost first; null where a loop is of a kind we do not know. */
    private static List<Loop> fromExperiment(Nd2Variant root) {
        Nd2Variant level = root;
        for (int depth = 0; depth < MAX_LEVELS && level != null && Nd2LegacyXml.item(level, "Type") == null; depth++) {
            List<Nd2Variant> numbered = level.children().stream().filter(c -> LOOP_NO.matcher(c.name()).matches())
                    .sorted(Comparator.comparing(Nd2Variant::name)).toList();
            if (!numbered.isEmpty()) {
                List<Loop> loops = new ArrayList<>();
                for (Nd2Variant n : numbered) {
                    if (!add(loops, n)) {
                        return null;
                    }
                }
                return loops;
            }
            level = wrapped(level);
        }
        List<Loop> loops = new ArrayList<>();
        for (int depth = 0; level != null && Nd2LegacyXml.item(level, "Type") != null; depth++) {
            if (depth >= MAX_LEVELS || !add(loops, level)) {
                return null;
            }
            level = next(Nd2LegacyXml.item(level, "NextLevelEx"));
        }
        return loops;
    }

    /** The one level a wrapper holds (ignoring "UnknownData" beside it), or null. */
    private static Nd2Variant wrapped(Nd2Variant level) {
        if (!level.isLevel()) {
            return null;
        }
        List<Nd2Variant> inner = level.children().stream()
                .filter(c -> c.isLevel() && !Nd2LegacyXml.key(c.name()).equals("UnknownData")).toList();
        return inner.size() == 1 ? inner.get(0) : null;
    }

    /** The loop level inside a NextLevelEx item, which may wrap it in list items. */
    private static Nd2Variant next(Nd2Variant v) {
        for (int depth = 0; v != null && v.isLevel() && depth < MAX_LEVELS; depth++) {
            if (Nd2LegacyXml.item(v, "Type") != null) {
                return v;
            }
            v = v.children().stream().filter(Nd2Variant::isLevel).findFirst().orElse(null);
        }
        return null;
    }

    /** Adds the loop of one level (none for a spectral loop); false for a kind we do not know. */
    private static boolean add(List<Loop> loops, Nd2Variant level) {
        long type = Nd2LegacyXml.whole(Nd2LegacyXml.item(level, "Type"), -1);
        if (type == TYPE_SPECTRAL) {
            return true;
        }
        Axis axis = type == TYPE_TIME || type == TYPE_TIME_PHASES ? Axis.TIME : type == TYPE_POSITIONS ? Axis.POSITION
                : type == TYPE_Z ? Axis.Z : null;
        Nd2Variant pars = Nd2LegacyXml.item(level, "LoopPars");
        long count = Nd2LegacyXml.whole(Nd2LegacyXml.item(pars, "Count"), -1);
        if (type == TYPE_TIME_PHASES && count <= 0) {
            Nd2Variant periods = Nd2LegacyXml.item(pars, "Period");
            Nd2Variant first = periods == null ? null
                    : periods.children().stream().filter(Nd2Variant::isLevel).findFirst().orElse(null);
            count = Nd2LegacyXml.whole(Nd2LegacyXml.item(first, "Count"), -1);
        }
        if (axis == null || count <= 0 || count > Integer.MAX_VALUE) {
            return false;
        }
        loops.add(new Loop(axis, (int) count, null, null));
        return true;
    }

    private static boolean distinctAxes(List<Loop> loops) {
        Set<Axis> seen = EnumSet.noneOf(Axis.class);
        return loops.stream().allMatch(l -> seen.add(l.axis()));
    }

    private static long product(List<Loop> loops) {
        long n = 1;
        for (Loop l : loops) {
            n *= l.count();
        }
        return n;
    }

    /** Items of the loop on this axis; 1 without one. */
    int count(Axis axis) {
        for (Loop l : loops) {
            if (l.axis() == axis) {
                return l.count();
            }
        }
        return 1;
    }

    /** The sequence index of a frame: row-major over the loops, outermost first. */
    long sequenceIndex(int position, int time, int z) {
        return Nd2Experiment.sequenceIndex(loops, position, time, z);
    }

    /** Where the loops came from; starts with "none:" when the frames are read as a plain time series. */
    String source() {
        return source;
    }

    /** The loops in storage order, e.g. "T(10) XY(4)"; "none" without loops. */
    String describe() {
        return loops.isEmpty() ? "none" : describe(loops);
    }

    private static String describe(List<Loop> loops) {
        StringBuilder sb = new StringBuilder();
        for (Loop l : loops) {
            sb.append(sb.length() == 0 ? "" : " ").append(l.axis().label).append('(').append(l.count()).append(')');
        }
        return sb.toString();
    }
}
