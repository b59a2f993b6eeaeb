package org.fieldwork.seismic;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a SEG-Y import was asked to do; stored in the output so `segy merge` can finish it later. */
public record SegyImportSettings(
        String input,
        String ensembleKey,
        Integer segments,
        int maxProbe,
        String compression,
        Integer chunkTraces,
        long smallFileBytes) implements Serializable {

    public static final int DEFAULT_MAX_PROBE = 4096;
    public static final long DEFAULT_SMALL_FILE_BYTES = 64L << 20;

    /** Everything that changes the bytes written (not the input path: the output folder names the run). */
    public Map<String, String> asMap() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("input", input);
        m.put("ensembleKey", String.valueOf(ensembleKey));
        m.put("segments", segments == null ? "auto" : segments.toString());
        m.put("maxProbe", String.valueOf(maxProbe));
        m.put("compression", compression);
        m.put("chunkTraces", chunkTraces == null ? "auto" : chunkTraces.toString());
        m.put("smallFileBytes", String.valueOf(smallFileBytes));
        return m;
    }
}
