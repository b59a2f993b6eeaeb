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

    /** Checks every option before any work: one message naming the option and what is wrong. */
    public void validate() {
        if (segments != null && segments < 1) {
            throw new IllegalArgumentException("--segments must be at least 1, got " + segments);
        }
        if (chunkTraces != null && chunkTraces < 1) {
            throw new IllegalArgumentException("--chunk-traces must be at least 1, got " + chunkTraces);
        }
        if (maxProbe < 1) {
            throw new IllegalArgumentException("--max-probe must be at least 1, got " + maxProbe);
        }
        if (smallFileBytes < 0) {
            throw new IllegalArgumentException("--small-file-mb must not be negative, got " + (smallFileBytes >> 20));
        }
        SegyDataset.compressor(compression);
        if (ensembleKey != null) {
            EnsembleKey.parse(ensembleKey);
        }
    }

    /** Everything that changes the bytes written, the input included (another file under the same output is another import). */
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
