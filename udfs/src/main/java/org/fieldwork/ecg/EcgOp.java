package org.fieldwork.ecg;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What can be asked of an ECG image; each brings the steps it builds on ({@link #withPrerequisites}). */
public enum EcgOp {
    /** The edge map of the chosen method. */
    EDGES,
    /** The content box (from the edge map) and the crop. */
    CROP,
    /** Trace image and grid mask, and the grid colour. */
    COLOR,
    /** Grid spacing and lines (from the grid mask). */
    GRID,
    /** The quality gates (the grid gate counts the grid's lines). */
    QUALITY,
    /** Each lead's signal (calibrated by the grid). */
    DIGITIZE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "edges,crop,color" (any case, spaces allowed) to a set; "all" is every op but digitize. */
    public static Set<EcgOp> parseList(String text) {
        Set<EcgOp> ops = EnumSet.noneOf(EcgOp.class);
        for (String part : (text == null ? "" : text).split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            if (p.equalsIgnoreCase("all")) {
                ops.addAll(EnumSet.range(EDGES, QUALITY));
                continue;
            }
            EcgOp found = null;
            for (EcgOp op : values()) {
                if (op.label().equalsIgnoreCase(p) || (op == COLOR && p.equalsIgnoreCase("colour"))) {
                    found = op;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown ECG operation '" + p
                        + "' (edges, crop, color, grid, quality, digitize or all)");
            }
            ops.add(found);
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("no ECG operation given (edges, crop, color, grid, quality, digitize or all)");
        }
        return ops;
    }

    /** The ops with every op they build on: crop needs edges; grid needs colour; quality and digitize need the grid. */
    public static Set<EcgOp> withPrerequisites(Set<EcgOp> ops) {
        Set<EcgOp> all = EnumSet.copyOf(ops);
        if (all.contains(CROP)) {
            all.add(EDGES);
        }
        if (all.contains(QUALITY) || all.contains(DIGITIZE)) {
            all.add(GRID);
        }
        if (all.contains(GRID)) {
            all.add(COLOR);
        }
        return all;
    }
}
