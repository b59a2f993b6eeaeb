package org.fieldwork.seismic;

import java.io.Serializable;

import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.Compressor;
import org.fieldwork.io.zarr.DataType;
import org.fieldwork.io.zarr.ZarrArrayMetadata;

/**
 * Where one imported SEG-Y file lives in an output folder, and the shape of its trace array:
 * {@code traces.zarr} (float32 [traces, samples], chunks of whole traces), {@code headers.parquet},
 * {@code gathers.parquet}, {@code segy.json}, and {@code _segments/} while the import is unmerged.
 */
public record SegyDataset(String dir, long traceCount, int samplesPerTrace, int chunkTraces, String compression)
        implements Serializable {

    public static final String TRACES = "traces.zarr";
    public static final String HEADERS = "headers.parquet";
    public static final String GATHERS = "gathers.parquet";
    public static final String DESCRIPTION = "segy.json";
    public static final String SEGMENTS = "_segments";

    /**
     * Chunks of up to 4 MiB of samples unless the user chose a size, in a number of traces that makes
     * an uncompressed chunk a whole number of 4 KB disk blocks where that keeps it near 4 MiB (1024
     * traces of 1000 samples rather than 1048): direct I/O then writes the whole chunk at once, with
     * no short last block to write through the page cache.
     */
    public static int defaultChunkTraces(int samplesPerTrace) {
        int ns = Math.max(1, samplesPerTrace);
        int traces = Math.max(1, (4 << 20) / (4 * ns));
        // 4 * ns * t is a multiple of 4096 when t is a multiple of 1024 / gcd(ns, 1024).
        int step = 1024 / java.math.BigInteger.valueOf(ns).gcd(java.math.BigInteger.valueOf(1024)).intValue();
        return traces >= step ? traces / step * step : traces;
    }

    public String tracesPath() {
        return Storage.join(dir, TRACES);
    }

    public String headersPath() {
        return Storage.join(dir, HEADERS);
    }

    public String gathersPath() {
        return Storage.join(dir, GATHERS);
    }

    public String descriptionPath() {
        return Storage.join(dir, DESCRIPTION);
    }

    public String segmentsDir() {
        return Storage.join(dir, SEGMENTS);
    }

    public String segmentDir(GatherSegment segment) {
        return Storage.join(segmentsDir(), String.format("seg-%05d", segment.id()));
    }

    public ZarrArrayMetadata tracesMetadata() {
        return ZarrArrayMetadata.of(new long[] {traceCount, samplesPerTrace},
                new int[] {(int) Math.min(chunkTraces, Math.max(1, traceCount)), samplesPerTrace},
                DataType.FLOAT32, compressor(compression), 0.0);
    }

    /**
     * zstd, zstd-always, zlib or none, each but none optionally with :LEVEL. zstd stores the chunks
     * it would shrink by less than an eighth as raw zstd frames; zstd-always compresses every chunk.
     */
    public static Compressor compressor(String spec) {
        String[] p = spec.trim().toLowerCase(java.util.Locale.ROOT).split(":", -1);
        Integer level = null;
        if (p.length > 2 || p.length == 2 && !p[1].matches("-?\\d{1,7}") || p.length == 2 && p[0].equals("none")) {
            throw new IllegalArgumentException("--compression '" + spec + "': use zstd, zstd-always, zlib or none,"
                    + " the first three optionally with :LEVEL (a whole number)");
        }
        if (p.length == 2) {
            level = Integer.parseInt(p[1]);
        }
        try {
            return switch (p[0]) {
                case "zstd" -> Compressor.zstd(level == null ? 1 : level);
                case "zstd-always" -> Compressor.zstd(level == null ? 1 : level, 0);
                case "zlib" -> Compressor.zlib(level == null ? 1 : level);
                case "none" -> Compressor.none();
                default -> throw new IllegalArgumentException("use zstd, zstd-always, zlib or none (optionally :LEVEL)");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--compression '" + spec + "': " + e.getMessage(), e);
        }
    }

    /** The chunk row count actually used (an array shorter than a chunk gets one chunk of its length). */
    public int effectiveChunkTraces() {
        return tracesMetadata().chunks()[0];
    }
}
