package org.fieldwork.microscopy;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a microscopy run was asked to do.
 *
 * @param input      an ND2 or TIFF file, or a folder of them, local or s3a://
 * @param pcChannel  the phase-contrast channel by name or index; null: the channel whose name says phase
 *                   contrast (PC, Phase, DIC, BF, Brightfield, Trans), else channel 0
 * @param flChannels the fluorescence channels by name or index; empty: every channel but the phase contrast
 * @param fovs       which fields of view, e.g. "0-9,12"; null: all
 * @param parameters the processing method and its parameters
 * @param extractRaw also write the raw channels as Zarr
 * @param workers    at most this many FOVs at once (0: as many as Spark runs)
 */
public record MicroscopySettings(String input, String pcChannel, List<String> flChannels, String fovs,
                                 FovParameters parameters, boolean extractRaw, int workers) implements Serializable {

    public MicroscopySettings {
        flChannels = flChannels == null ? List.of() : List.copyOf(flChannels);
        if (workers < 0) {
            throw new IllegalArgumentException("--workers must not be negative (0: one task per FOV), got " + workers);
        }
        if (fovs != null) {
            selectedFovs(fovs, Integer.MAX_VALUE, "");
        }
    }

    public static MicroscopySettings of(String input) {
        return new MicroscopySettings(input, null, List.of(), null, FovParameters.defaults(FovParameters.PYAMA), false, 0);
    }

    /**
     * The FOV indices of a selection such as "0-9,12", each below {@code positions}; in increasing order.
     *
     * @param file the file the selection is for, named in the message when it has fewer FOVs
     */
    public static List<Integer> selectedFovs(String spec, int positions, String file) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-', 1);
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).trim());
                if (from < 0 || to < from) {
                    throw new NumberFormatException();
                }
                if (to >= positions) {
                    throw new IllegalArgumentException((file.isEmpty() ? "" : file + ": ") + "--fovs " + spec + ": FOV " + to
                            + " does not exist (the file has " + positions + ", numbered 0 to " + (positions - 1) + ")");
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fovs " + spec + ": '" + p + "' is not a FOV number or range such as 0-9");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--fovs " + spec + ": selects no FOV");
        }
        return new ArrayList<>(out);
    }

    /** What decides a FOV's outputs (the worker count does not). */
    public Map<String, String> settings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("pcChannel", String.valueOf(pcChannel));
        m.put("flChannels", String.join(",", flChannels));
        m.put("extractRaw", String.valueOf(extractRaw));
        m.putAll(prefixed("segmentation.", parameters.segmentationSettings()));
        m.putAll(prefixed("background.", parameters.backgroundSettings()));
        m.putAll(prefixed("traces.", parameters.traceSettings()));
        return m;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }
}
