package org.fieldwork.seismic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.fieldwork.io.InputVersion;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.UnitStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * SEG-Y import: plan gather-aligned segments per file, import each in a task, then merge: assemble
 * the boundary chunks, move each segment's header and gather tables into the dataset, write
 * segy.json, and publish traces.zarr. The merge reads boundary chunks only, never headers or samples.
 */
public final class SegyImportJob implements UnitJob<SegySegmentUnit, Void, SegmentFacts> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SegyImportJob.class);
    static final String SETTINGS_FILE = "_import.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final SegyImportSettings settings;
    private final boolean merge;

    public SegyImportJob(SegyImportSettings settings, boolean merge) {
        this.settings = settings;
        this.merge = merge;
    }

    @Override
    public String name() {
        return "segy-import";
    }

    @Override
    public String itemName() {
        return "traces";
    }

    @Override
    public Map<String, String> settings() {
        return settings.asMap();
    }

    @Override
    public Class<SegmentFacts> factsType() {
        return SegmentFacts.class;
    }

    @Override
    public boolean mergeDeferred() {
        return !merge;
    }

    /** A broken file in a folder must not keep the good files' datasets from being merged. */
    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    /** The settings an earlier import stored in its output folder (for `segy merge`). */
    public static SegyImportSettings storedSettings(Storage storage, String outputDir) throws IOException {
        String path = Storage.join(outputDir, SETTINGS_FILE);
        OutputFiles files = new OutputFiles(storage);
        if (!files.exists(path)) {
            throw new IllegalArgumentException(outputDir + ": no SEG-Y import here (" + SETTINGS_FILE + " is missing)");
        }
        return JSON.readValue(files.read(path), SegyImportSettings.class);
    }

    @Override
    public Plan<SegySegmentUnit, Void> plan(RunContext run) throws Exception {
        Storage storage = run.storage();
        settings.validate();
        List<String> inputs = listInputs(storage, settings.input());
        boolean folder = inputs.size() != 1 || !inputs.get(0).equals(settings.input());
        long totalBytes = 0;
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        for (String in : inputs) {
            if (Storage.isLocal(in)) {
                sizes.put(in, java.nio.file.Files.size(Storage.localPath(in)));
                versions.put(in, InputVersion.ofLocal(Storage.localPath(in)));
            } else {
                FileStatus st = storage.fileSystem(in).getFileStatus(new Path(in));
                sizes.put(in, st.getLen());
                versions.put(in, InputVersion.of(st));
            }
            totalBytes += sizes.get(in);
        }
        int targetSegments = Math.max(1, 2 * run.defaultParallelism());
        EnsembleKey key = settings.ensembleKey() == null ? null : EnsembleKey.parse(settings.ensembleKey());
        List<SegySegmentUnit> units = new ArrayList<>();
        List<String> usedNames = new ArrayList<>();
        List<Plan.Failure> failed = new ArrayList<>();
        for (String in : inputs) {
            String dir = folder ? Storage.join(run.outputDir(), datasetName(in, usedNames)) : run.outputDir();
            long size = sizes.get(in);
            String version = versions.get(in);
            try (SegyReader reader = SegyReader.open(storage, in)) {
                SegyLayout layout = reader.layout();
                int n = settings.segments() != null ? settings.segments()
                        : (int) Math.max(1, Math.round(targetSegments * (double) size / Math.max(1, totalBytes)));
                GatherPlan plan = new GatherPartitioner(n, key, settings.maxProbe(), settings.smallFileBytes()).plan(reader);
                plan.warnings().forEach(w -> LOG.warn("{}", w));
                int chunk = settings.chunkTraces() != null ? settings.chunkTraces()
                        : SegyDataset.defaultChunkTraces(layout.samplesPerTrace());
                SegyDataset ds = new SegyDataset(dir, layout.traceCount(), layout.samplesPerTrace(), chunk, settings.compression());
                for (GatherSegment s : plan.segments()) {
                    units.add(new SegySegmentUnit(in, version, ds, s, key, s.traceCount() * layout.traceSize()));
                }
                LOG.info("{}: {} traces x {} samples, {} segments{}", in, layout.traceCount(), layout.samplesPerTrace(),
                        plan.segments().size(), key == null ? "" : " aligned to " + key.name() + " gathers");
            } catch (IOException | RuntimeException e) {
                // An unreadable file is a failed unit, whether it came alone or in a folder.
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                String id = SegySegmentUnit.datasetId(new SegyDataset(dir, 0, 0, 1, settings.compression())) + ".unreadable";
                failed.add(new Plan.Failure(id, in, version, size, message.contains(in) ? message : in + ": " + message));
            }
        }
        Plan<SegySegmentUnit, Void> plan = Plan.of(units);
        failed.forEach(plan::fail);
        return plan;
    }

    /**
     * Stores the settings for `segy merge`, then unpublishes every dataset these units write into:
     * an earlier import's {@code .zarray}, tables and description go first, so that until the merge
     * publishes again a reader finds no dataset rather than old metadata over new chunks. A published
     * dataset is redone whole (its segment tables were moved into it by the merge).
     */
    @Override
    public List<SegySegmentUnit> beforeUnits(RunContext run, Plan<SegySegmentUnit, Void> plan, List<SegySegmentUnit> todo)
            throws Exception {
        OutputFiles files = new OutputFiles(run.storage());
        files.writeAtomically(Storage.join(run.outputDir(), SETTINGS_FILE), JSON.writeValueAsBytes(settings));
        java.util.Set<String> touched = new java.util.LinkedHashSet<>();
        todo.forEach(u -> touched.add(u.dataset().dir()));
        java.util.Set<String> republished = new java.util.HashSet<>();
        for (String dir : touched) {
            SegyDataset ds = todo.stream().filter(u -> u.dataset().dir().equals(dir)).findFirst().orElseThrow().dataset();
            if (unpublish(files, ds)) {
                republished.add(dir);
                LOG.info("{}: unpublished the earlier import; it is rewritten whole", dir);
            }
        }
        if (republished.isEmpty()) {
            return todo;
        }
        List<SegySegmentUnit> all = new ArrayList<>();
        java.util.Set<String> ids = new java.util.HashSet<>();
        todo.forEach(u -> ids.add(u.id()));
        for (SegySegmentUnit u : plan.units()) {
            if (ids.contains(u.id()) || republished.contains(u.dataset().dir())) {
                all.add(u);
            }
        }
        return all;
    }

    /** Removes what makes a dataset readable; true when there was any. */
    static boolean unpublish(OutputFiles files, SegyDataset ds) throws IOException {
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

    private static String datasetName(String input, List<String> used) {
        String name = input.replaceAll(".*/", "").replaceAll("(?i)\\.(sgy|segy)$", "");
        String unique = name;
        for (int i = 2; used.contains(unique); i++) {
            unique = name + "-" + i;
        }
        used.add(unique);
        return unique;
    }

    /** A file, or every *.sgy / *.segy directly in a folder (sorted by name). */
    static List<String> listInputs(Storage storage, String input) throws IOException {
        if (Storage.isLocal(input)) {
            // The local disk directly: Hadoop's local file system starts its user and group machinery first.
            java.nio.file.Path p = Storage.localPath(input);
            if (!java.nio.file.Files.exists(p)) {
                throw new IllegalArgumentException(input + ": no such file or folder");
            }
            if (!java.nio.file.Files.isDirectory(p)) {
                return List.of(input);
            }
            List<String> files = new ArrayList<>();
            try (var s = java.nio.file.Files.list(p)) {
                s.filter(java.nio.file.Files::isRegularFile).map(f -> f.getFileName().toString())
                        .filter(n -> n.toLowerCase(Locale.ROOT).endsWith(".sgy") || n.toLowerCase(Locale.ROOT).endsWith(".segy"))
                        .forEach(n -> files.add(Storage.join(input, n)));
            }
            return sortedOrNone(input, files);
        }
        FileSystem fs = storage.fileSystem(input);
        Path p = new Path(input);
        if (!fs.exists(p)) {
            throw new IllegalArgumentException(input + ": no such file or folder");
        }
        if (fs.getFileStatus(p).isFile()) {
            return List.of(input);
        }
        List<String> files = new ArrayList<>();
        for (FileStatus st : fs.listStatus(p)) {
            String n = st.getPath().getName().toLowerCase(Locale.ROOT);
            if (st.isFile() && (n.endsWith(".sgy") || n.endsWith(".segy"))) {
                files.add(Storage.join(input, st.getPath().getName()));
            }
        }
        return sortedOrNone(input, files);
    }

    private static List<String> sortedOrNone(String input, List<String> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException(input + ": folder holds no *.sgy or *.segy files");
        }
        files.sort(Comparator.naturalOrder());
        return files;
    }

    @Override
    public UnitResult<SegmentFacts> process(SegySegmentUnit unit, Void plan, UnitContext ctx) throws Exception {
        SegmentImporter.SegmentOutput out = SegmentImporter.importSegment(ctx.storage(), unit.input(), unit.dataset(),
                unit.segment(), unit.key(), new SegmentImporter.Progress() {
                    @Override
                    public void add(long traces, long bytes) {
                        ctx.addItems(traces);
                        ctx.addBytes(bytes);
                    }

                    @Override
                    public boolean cancelled() {
                        return ctx.cancelled();
                    }
                });
        List<String> outputs = new ArrayList<>();
        outputs.add(out.headersPath());
        if (out.gathersPath() != null) {
            outputs.add(out.gathersPath());
        }
        out.edgePieces().forEach(p -> outputs.add(p.path()));
        SegmentFacts facts = new SegmentFacts(out.gatherCount(), out.headerRows(), out.fullChunks(), out.edgePieces().size());
        return new UnitResult<>(outputs, unit.segment().traceCount(), facts);
    }

    @Override
    public String merge(RunContext run, Plan<SegySegmentUnit, Void> plan, List<UnitRecord<SegmentFacts>> records)
            throws Exception {
        Map<String, UnitRecord<SegmentFacts>> byId = new TreeMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        Map<String, List<SegySegmentUnit>> byDataset = new LinkedHashMap<>();
        for (SegySegmentUnit u : plan.units()) {
            byDataset.computeIfAbsent(u.dataset().dir(), d -> new ArrayList<>()).add(u);
        }
        long traces = 0;
        int merged = 0;
        int notMerged = plan.failures().size();
        long boundaryChunks = 0;
        long gathers = 0;
        for (List<SegySegmentUnit> dsUnits : byDataset.values()) {
            boolean allDone = dsUnits.stream().allMatch(u -> byId.get(u.id()) != null
                    && byId.get(u.id()).status() == UnitStatus.done);
            if (!allDone) {
                notMerged++;
                continue;
            }
            DatasetMerge m = mergeDataset(run, dsUnits, byId);
            traces += m.traces;
            boundaryChunks += m.boundaryChunks;
            gathers += m.gathers;
            merged++;
        }
        return String.format("merged %d dataset(s): %d traces, %d boundary chunks assembled%s%s", merged, traces,
                boundaryChunks, gathers > 0 ? ", " + gathers + " gathers" : "",
                notMerged > 0 ? "; " + notMerged + " not merged (failed units)" : "");
    }

    private record DatasetMerge(long traces, long boundaryChunks, long gathers) {
    }

    private DatasetMerge mergeDataset(RunContext run, List<SegySegmentUnit> units, Map<String, UnitRecord<SegmentFacts>> records)
            throws Exception {
        Storage storage = run.storage();
        OutputFiles files = new OutputFiles(storage);
        SegyDataset ds = units.get(0).dataset();
        EnsembleKey key = units.get(0).key();
        String input = units.get(0).input();
        if (!files.exists(ds.segmentsDir()) && files.exists(Storage.join(ds.tracesPath(), ".zarray"))) {
            LOG.info("{}: already merged", ds.dir());
            return new DatasetMerge(ds.traceCount(), 0, 0);
        }
        List<SegySegmentUnit> ordered = new ArrayList<>(units);
        ordered.sort(Comparator.comparingLong(u -> u.segment().firstTrace()));
        long next = 0;
        for (SegySegmentUnit u : ordered) {
            if (u.segment().firstTrace() != next) {
                throw new IllegalStateException(input + ": segments do not cover trace " + next + " exactly once");
            }
            next = u.segment().endTrace();
        }
        if (next != ds.traceCount()) {
            throw new IllegalStateException(input + ": segments cover " + next + " traces, the file has " + ds.traceCount());
        }

        // Boundary chunks: the rows each segment kept aside, put together.
        Map<Long, List<SegmentImporter.EdgePiece>> pieces = new TreeMap<>();
        for (SegySegmentUnit u : ordered) {
            for (SegmentImporter.EdgePiece p : edgePieces(ds, u.segment())) {
                pieces.computeIfAbsent(p.chunk(), c -> new ArrayList<>()).add(p);
            }
        }
        List<Map.Entry<Long, List<SegmentImporter.EdgePiece>>> chunkList = new ArrayList<>(pieces.entrySet());
        if (chunkList.size() > 4) {
            List<Long> idx = new ArrayList<>(pieces.keySet());
            Map<Long, List<SegmentImporter.EdgePiece>> shipped = new TreeMap<>(pieces);
            run.forEachParallel(idx, c -> SegmentImporter.assembleChunk(storage, ds, c, shipped.get(c)));
        } else {
            for (Map.Entry<Long, List<SegmentImporter.EdgePiece>> e : chunkList) {
                SegmentImporter.assembleChunk(storage, ds, e.getKey(), e.getValue());
            }
        }

        // Headers and gathers: each segment's tables are final as written; moving them in costs O(files).
        long gatherCount = 0;
        java.util.Set<String> parts = new java.util.HashSet<>();
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
            SegySegmentUnit u = ordered.get(i);
            String part = partName(i);
            moveInto(files, SegmentImporter.segmentHeadersPath(ds, u.segment()), Storage.join(ds.headersPath(), part));
            if (key != null) {
                moveInto(files, SegmentImporter.segmentGathersPath(ds, u.segment()), Storage.join(ds.gathersPath(), part));
            }
            SegmentFacts facts = records.get(u.id()).facts();
            // The segments cover the file exactly (checked above), so this also checks the total.
            if (facts == null || facts.headerRows() != u.segment().traceCount()) {
                throw new IllegalStateException(ds.headersPath() + ": segment " + u.segment().id() + " wrote "
                        + (facts == null ? "no" : facts.headerRows()) + " header rows for its " + u.segment().traceCount() + " traces");
            }
            gatherCount += facts.gatherCount();
        }

        // Description, then the array becomes visible, then the scratch goes.
        SegyLayout layout;
        try (SegyReader reader = SegyReader.open(storage, input)) {
            layout = reader.layout();
        }
        Map<String, Object> description = new LinkedHashMap<>();
        description.put("source", input);
        description.put("traceCount", layout.traceCount());
        description.put("samplesPerTrace", layout.samplesPerTrace());
        description.put("sampleIntervalMicroseconds", layout.sampleInterval());
        description.put("sampleFormat", layout.formatCode());
        description.put("sampleFormatName", layout.sampleFormat().name());
        description.put("byteOrder", layout.byteOrder());
        description.put("revision", layout.revisionMajor() + "." + layout.revisionMinor());
        description.put("textHeaderEncoding", layout.textHeaderEncoding());
        description.put("textHeader", layout.textHeader());
        description.put("extendedTextHeaders", layout.extendedTextHeaders());
        description.put("binaryHeader", layout.binaryHeader());
        description.put("firstTraceOffset", layout.firstTraceOffset());
        description.put("traceSize", layout.traceSize());
        description.put("segments", ordered.size());
        description.put("ensembleKey", key == null ? null : key.name());
        description.put("gatherCount", key == null ? null : gatherCount);
        description.put("chunkTraces", ds.effectiveChunkTraces());
        description.put("compression", ds.compression());
        files.writeAtomically(ds.descriptionPath(), JSON.writeValueAsBytes(description));

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
        LOG.info("{}: merged {} segments, {} boundary chunks", ds.dir(), ordered.size(), chunkList.size());
        return new DatasetMerge(ds.traceCount(), chunkList.size(), key == null ? 0 : gatherCount);
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

    /** The edge pieces a segment wrote: the same geometry the importer used, recomputed. */
    static List<SegmentImporter.EdgePiece> edgePieces(SegyDataset ds, GatherSegment s) {
        List<SegmentImporter.EdgePiece> out = new ArrayList<>();
        int chunk = ds.effectiveChunkTraces();
        for (long first = s.firstTrace(); first < s.endTrace(); ) {
            long c = first / chunk;
            long start = c * chunk;
            long end = Math.min(start + chunk, ds.traceCount());
            int n = (int) (Math.min(end, s.endTrace()) - first);
            if (!(first == start && first + n == end)) {
                int row = (int) (first - start);
                out.add(new SegmentImporter.EdgePiece(c, row, n,
                        Storage.join(ds.segmentDir(s), "edge-" + c + "-" + row + ".f32")));
            }
            first += n;
        }
        return out;
    }

}
