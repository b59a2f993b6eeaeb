package org.fieldwork.seismic;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.fieldwork.io.InputVersion;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
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
            if (SegyDatasetMerge.unpublish(files, ds)) {
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
        return org.fieldwork.run.InputFiles.list(storage, input, List.of(".sgy", ".segy"), "*.sgy or *.segy");
    }

    @Override
    public UnitResult<SegmentFacts> process(SegySegmentUnit unit, Void plan, UnitContext<SegmentFacts> ctx) throws Exception {
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
            List<SegyDatasetMerge.Segment> segments = new ArrayList<>();
            dsUnits.forEach(u -> segments.add(new SegyDatasetMerge.Segment(u.segment(), byId.get(u.id()).facts())));
            SegySegmentUnit first = dsUnits.get(0);
            SegyDatasetMerge.Result m = SegyDatasetMerge.merge(run.storage(), first.dataset(), first.input(), first.key(),
                    segments, (chunks, job) -> run.forEachParallel(chunks, job::assemble));
            traces += m.traces();
            boundaryChunks += m.boundaryChunks();
            gathers += m.gathers();
            merged++;
        }
        return String.format("merged %d dataset(s): %d traces, %d boundary chunks assembled%s%s", merged, traces,
                boundaryChunks, gathers > 0 ? ", " + gathers + " gathers" : "",
                notMerged > 0 ? "; " + notMerged + " not merged (failed units)" : "");
    }

}
