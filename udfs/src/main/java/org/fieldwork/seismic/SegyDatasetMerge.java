package org.fieldwork.seismic;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one imported SEG-Y file's segments a dataset: assembles the boundary chunks from the rows
 * each segment kept aside, moves each segment's header and gather tables into the dataset (they are
 * final as written), writes {@code segy.json}, removes chunks that killed writes or an earlier
 * import with another chunk size left, and only then writes {@code .zarray}: the array appears
 * whole or not at all. Reads boundary chunks only, never headers or samples: O(files + boundary chunks).
 */
public final class SegyDatasetMerge {
    private static final Logger LOG = LoggerFactory.getLogger(SegyDatasetMerge.class);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SegyDatasetMerge() {
    }

    /** One imported segment and what its import reported. */
    public record Segment(GatherSegment segment, SegmentFacts facts) {
    }

    /** Runs the assembly of each boundary chunk, in parallel where the caller can (Spark tasks, threads). */
    public interface BoundaryChunks extends Serializable {
        void assemble(List<Long> chunks, ChunkJob job) throws Exception;
    }

    /** The assembly of one boundary chunk. */
    public interface ChunkJob extends Serializable {
        void assemble(long chunk) throws Exception;
    }

    /** What the merge did. */
    public record Result(long traces, long boundaryChunks, long gathers) {
    }

    /** Merges the dataset of {@code input}; a dataset merged already is left as it is. */
    public static Result merge(Storage storage, SegyDataset ds, String input, EnsembleKey key, List<Segment> segments,
            BoundaryChunks parallel) throws Exception {
        OutputFiles files = new OutputFiles(storage);
        if (!files.exists(ds.segmentsDir()) && files.exists(Storage.join(ds.tracesPath(), ".zarray"))) {
            LOG.info("{}: already merged", ds.dir());
            return new Result(ds.traceCount(), 0, 0);
        }
        List<Segment> ordered = new ArrayList<>(segments);
        ordered.sort(Comparator.comparingLong(s -> s.segment().firstTrace()));
        long next = 0;
        for (Segment s : ordered) {
            if (s.segment().firstTrace() != next) {
                throw new IllegalStateException(input + ": segments do not cover trace " + next + " exactly once");
            }
            next = s.segment().endTrace();
        }
        if (next != ds.traceCount()) {
            throw new IllegalStateException(input + ": segments cover " + next + " traces, the file has " + ds.traceCount());
        }

        // Boundary chunks: the rows each segment kept aside, put together.
        Map<Long, List<SegmentImporter.EdgePiece>> pieces = new TreeMap<>();
        for (Segment s : ordered) {
            for (SegmentImporter.EdgePiece p : SegmentChunks.edgePieces(ds, s.segment())) {
                pieces.computeIfAbsent(p.chunk(), c -> new ArrayList<>()).add(p);
            }
        }
        Map<Long, List<SegmentImporter.EdgePiece>> shipped = new TreeMap<>(pieces);
        if (pieces.size() > 4) {
            parallel.assemble(new ArrayList<>(pieces.keySet()), c -> SegmentImporter.assembleChunk(storage, ds, c, shipped.get(c)));
        } else {
            for (Map.Entry<Long, List<SegmentImporter.EdgePiece>> e : pieces.entrySet()) {
                SegmentImporter.assembleChunk(storage, ds, e.getKey(), e.getValue());
            }
        }

        // Headers and gathers: each segment's tables are final as written; moving them in costs O(files).
        long gatherCount = 0;
        Set<String> parts = new HashSet<>();
        for (int i = 0; i < ordered.size(); i++) {
            parts.add(partName(i));
        }
        // Files of an earlier import into this folder (other segments, a key then, another version) must not mix in.
        for (String table : List.of(ds.headersPath(), ds.gathersPath())) {
            boolean keep = key != null || table.equals(ds.headersPath());
            for (String name : files.list(table)) {
                if (!keep || !parts.contains(name)) {
                    files.delete(Storage.join(table, name));
                }
            }
        }
        for (int i = 0; i < ordered.size(); i++) {
            Segment s = ordered.get(i);
            String part = partName(i);
            moveInto(files, SegmentImporter.segmentHeadersPath(ds, s.segment()), Storage.join(ds.headersPath(), part));
            if (key != null) {
                moveInto(files, SegmentImporter.segmentGathersPath(ds, s.segment()), Storage.join(ds.gathersPath(), part));
            }
            // The segments cover the file exactly (checked above), so this also checks the total.
            if (s.facts() == null || s.facts().headerRows() != s.segment().traceCount()) {
                throw new IllegalStateException(ds.headersPath() + ": segment " + s.segment().id() + " wrote "
                        + (s.facts() == null ? "no" : s.facts().headerRows()) + " header rows for its "
                        + s.segment().traceCount() + " traces");
            }
            gatherCount += s.facts().gatherCount();
        }

        // Description, then the array becomes visible, then the scratch goes.
        SegyLayout layout;
        try (SegyReader reader = SegyReader.open(storage, input)) {
            layout = reader.layout();
        }
        files.writeAtomically(ds.descriptionPath(), JSON.writeValueAsBytes(description(input, layout, ds, key,
                ordered.size(), gatherCount)));

        // A task killed mid-write (SIGKILL, a lost executor) leaves its chunk's temporary behind; the
        // chunk itself was rewritten by the task that replaced it.
        int abandoned = files.removeAbandonedTemporaries(ds.tracesPath());
        if (abandoned > 0) {
            LOG.info("{}: removed {} temporaries abandoned by killed writes", ds.tracesPath(), abandoned);
        }
        // Chunks of an earlier import with another chunk size or trace count lie outside this grid.
        int stray = 0;
        for (String name : files.list(ds.tracesPath())) {
            if (ds.tracesMetadata().isStrayChunk(name)) {
                files.delete(Storage.join(ds.tracesPath(), name));
                stray++;
            }
        }
        if (stray > 0) {
            LOG.info("{}: removed {} chunks an earlier import left outside this array", ds.tracesPath(), stray);
        }
        ZarrArray traces = ZarrArray.unpublished(storage, ds.tracesPath(), ds.tracesMetadata());
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("source", input);
        attrs.put("sample_interval_us", layout.sampleInterval());
        attrs.put("dimensions", List.of("trace", "sample"));
        traces.writeAttributes(attrs);
        traces.publish();
        files.deleteTree(ds.segmentsDir());
        LOG.info("{}: merged {} segments, {} boundary chunks", ds.dir(), ordered.size(), pieces.size());
        return new Result(ds.traceCount(), pieces.size(), key == null ? 0 : gatherCount);
    }

    /**
     * Removes what makes a dataset readable (the array's metadata, the tables, the description), so
     * that until a merge publishes it again a reader finds no dataset; true when there was any.
     */
    public static boolean unpublish(OutputFiles files, SegyDataset ds) throws IOException {
        boolean published = false;
        for (String marker : List.of(Storage.join(ds.tracesPath(), ".zarray"), Storage.join(ds.tracesPath(), ".zattrs"),
                ds.descriptionPath())) {
            if (files.exists(marker)) {
                files.delete(marker);
                published = true;
            }
        }
        for (String table : List.of(ds.headersPath(), ds.gathersPath())) {
            if (files.exists(table)) {
                files.deleteTree(table);
                published = true;
            }
        }
        return published;
    }

    /** {@code segy.json}: the file's headers and layout, and how it was imported. */
    static Map<String, Object> description(String input, SegyLayout layout, SegyDataset ds, EnsembleKey key, int segments,
            long gatherCount) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("source", input);
        d.put("traceCount", layout.traceCount());
        d.put("samplesPerTrace", layout.samplesPerTrace());
        d.put("sampleIntervalMicroseconds", layout.sampleInterval());
        d.put("sampleFormat", layout.formatCode());
        d.put("sampleFormatName", layout.sampleFormat().name());
        d.put("byteOrder", layout.byteOrder());
        d.put("revision", layout.revisionMajor() + "." + layout.revisionMinor());
        d.put("textHeaderEncoding", layout.textHeaderEncoding());
        d.put("textHeader", layout.textHeader());
        d.put("extendedTextHeaders", layout.extendedTextHeaders());
        d.put("binaryHeader", layout.binaryHeader());
        d.put("firstTraceOffset", layout.firstTraceOffset());
        d.put("traceSize", layout.traceSize());
        d.put("segments", segments);
        d.put("ensembleKey", key == null ? null : key.name());
        d.put("gatherCount", key == null ? null : gatherCount);
        d.put("chunkTraces", ds.effectiveChunkTraces());
        d.put("compression", ds.compression());
        return d;
    }

    /** The dataset's part file for the i-th segment in trace order. */
    private static String partName(int i) {
        return String.format("part-%05d.parquet", i);
    }

    /**
     * Moves a segment's table into the dataset folder. A merge interrupted after some moves finds
     * the table already there on the next run.
     */
    private static void moveInto(OutputFiles files, String from, String to) throws IOException {
        if (files.exists(from)) {
            if (files.exists(to)) {
                files.delete(to);
            }
            files.rename(from, to);
        } else if (!files.exists(to)) {
            throw new IOException(from + ": segment table missing (and not yet at " + to + ")");
        }
    }
}
