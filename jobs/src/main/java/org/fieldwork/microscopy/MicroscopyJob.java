package org.fieldwork.microscopy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.fieldwork.io.InputVersion;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.stack.StackFormats;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.fieldwork.run.InputFiles;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.UnitStatus;

/**
 * Time-lapse microscopy: every field of view of every file is a unit, processed frame by frame in
 * one task straight from the file (no extraction stage): binarized masks and corrected
 * fluorescence as OME-Zarr, traces as PyAMA's CSV and a long-form Parquet part, pictures. The
 * merge concatenates the parts into the run's traces.parquet and writes experiment.json.
 */
public final class MicroscopyJob implements UnitJob<FovUnit, MicroscopyJob.Files, FovFacts> {
    private static final long serialVersionUID = 1L;
    public static final String TRACES = TraceTable.FILE;
    public static final String EXPERIMENT = "experiment.json";
    static final List<String> SUFFIXES = List.of(".nd2", ".tif", ".tiff");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** A file as planned: its metadata and the channels chosen in it. */
    public record PlannedFile(String location, String name, StackInfo info, int pcChannel, int[] flChannels,
                              String outputRoot) implements Serializable {

        public List<String> flNames() {
            List<String> out = new ArrayList<>();
            for (int c : flChannels) {
                out.add(info.channels().get(c));
            }
            return out;
        }
    }

    /** The plan-wide value: every file that could be opened (null where it could not). */
    public record Files(List<PlannedFile> files) implements Serializable {
    }

    private final MicroscopySettings settings;

    public MicroscopyJob(MicroscopySettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "microscopy";
    }

    @Override
    public String itemName() {
        return "frames";
    }

    @Override
    public Class<FovFacts> factsType() {
        return FovFacts.class;
    }

    @Override
    public Map<String, String> settings() {
        return settings.settings();
    }

    /** A FOV is seconds of compute whatever its bytes: never keep a batch of them on the driver of a cluster run. */
    @Override
    public long driverThresholdBytes() {
        return 0;
    }

    @Override
    public int maxConcurrentUnits() {
        return settings.workers();
    }

    /** A FOV that failed is listed in experiment.json; the others' traces are still merged. */
    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    @Override
    public Plan<FovUnit, Files> plan(RunContext run) throws Exception {
        Storage storage = run.storage();
        List<String> inputs = InputFiles.list(storage, settings.input(), SUFFIXES, "*.nd2, *.tif or *.tiff");
        boolean single = inputs.size() == 1 && inputs.get(0).equals(settings.input());
        List<PlannedFile> files = new ArrayList<>();
        List<FovUnit> units = new ArrayList<>();
        List<Plan.Failure> failures = new ArrayList<>();
        List<String> usedNames = new ArrayList<>();
        for (String location : inputs) {
            String name = location.substring(location.lastIndexOf('/') + 1);
            String version = InputVersion.of(storage, location);
            String key = uniqueStem(name, usedNames);
            String root = single ? run.outputDir() : Storage.join(run.outputDir(), key);
            PlannedFile f;
            List<Integer> fovs;
            try {
                StackInfo info;
                try (StackReader reader = StackFormats.open(location, storage.openInput(location))) {
                    info = reader.info();
                }
                int pc = phaseContrast(info, location);
                int[] fl = fluorescence(info, location, pc);
                f = new PlannedFile(location, name, info, pc, fl, root);
                fovs = settings.fovs() == null ? range(info.positions())
                        : MicroscopySettings.selectedFovs(settings.fovs(), info.positions(), location);
            } catch (IllegalArgumentException e) {
                if (single) {
                    throw e;   // the user's options do not fit the one file asked for: a configuration error
                }
                failures.add(new Plan.Failure(FovUnit.fileUnitId(key), location, version, 0, e.getMessage()));
                files.add(null);
                continue;
            } catch (IOException | RuntimeException e) {
                failures.add(new Plan.Failure(FovUnit.fileUnitId(key), location, version, 0,
                        e.getMessage() == null ? e.toString() : e.getMessage()));
                files.add(null);
                continue;
            }
            int index = files.size();
            files.add(f);
            long bytes = f.info().planeBytes() * f.info().frames() * (1 + f.flChannels().length);
            for (int fov : fovs) {
                units.add(new FovUnit(index, location, name, key, fov, Storage.join(root, fovFolder(fov)), bytes, version));
            }
        }
        Plan<FovUnit, Files> plan = Plan.of(units, new Files(files));
        failures.forEach(plan::fail);
        return plan;
    }

    public static String fovFolder(int fov) {
        return String.format("fov_%04d", fov);
    }

    private static List<Integer> range(int n) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i);
        }
        return out;
    }

    /** The file name without its format's extension, safe in file names, made unique among the run's files. */
    static String uniqueStem(String name, List<String> used) {
        String stem = name;
        for (String suffix : List.of(".ome.tiff", ".ome.tif", ".tiff", ".tif", ".nd2")) {
            if (stem.toLowerCase(Locale.ROOT).endsWith(suffix) && stem.length() > suffix.length()) {
                stem = stem.substring(0, stem.length() - suffix.length());
                break;
            }
        }
        stem = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        String unique = stem;
        for (int i = 2; used.contains(unique); i++) {
            unique = stem + "-" + i;
        }
        used.add(unique);
        return unique;
    }

    /** The phase-contrast channel: as asked, else the one named like phase contrast, else channel 0. */
    int phaseContrast(StackInfo info, String location) {
        if (settings.pcChannel() != null) {
            int i = info.channelIndex(settings.pcChannel());
            if (i < 0) {
                throw new IllegalArgumentException(location + ": no channel '" + settings.pcChannel() + "' for --pc-channel (channels: "
                        + describe(info) + ")");
            }
            return i;
        }
        for (int i = 0; i < info.channelCount(); i++) {
            String n = info.channels().get(i).toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
            if (n.equals("pc") || n.startsWith("phase") || n.equals("dic") || n.equals("bf") || n.startsWith("brightfield")
                    || n.startsWith("trans")) {
                return i;
            }
        }
        return 0;
    }

    int[] fluorescence(StackInfo info, String location, int pc) {
        List<Integer> out = new ArrayList<>();
        if (settings.flChannels().isEmpty()) {
            for (int i = 0; i < info.channelCount(); i++) {
                if (i != pc) {
                    out.add(i);
                }
            }
        } else {
            for (String c : settings.flChannels()) {
                int i = info.channelIndex(c);
                if (i < 0) {
                    throw new IllegalArgumentException(location + ": no channel '" + c + "' for --fl-channels (channels: "
                            + describe(info) + ")");
                }
                if (i == pc) {
                    throw new IllegalArgumentException(location + ": channel '" + c + "' is the phase-contrast channel;"
                            + " it cannot also be a fluorescence channel");
                }
                out.add(i);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(location + ": no fluorescence channel besides the phase contrast ("
                    + describe(info) + "); name them with --fl-channels");
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String describe(StackInfo info) {
        List<String> s = new ArrayList<>();
        for (int i = 0; i < info.channelCount(); i++) {
            s.add(i + " " + info.channels().get(i));
        }
        return String.join(", ", s);
    }

    @Override
    public UnitResult<FovFacts> process(FovUnit unit, Files plan, UnitContext<FovFacts> ctx) throws Exception {
        PlannedFile file = plan.files().get(unit.file());
        Storage storage = ctx.storage();
        OutputFiles files = new OutputFiles(storage);
        String out = unit.outputDir();
        List<String> outputs = new ArrayList<>();
        try (StackReader reader = StackFormats.open(unit.location(), storage.openInput(unit.location()))) {
            StackInfo info = reader.info();
            if (info.width() != file.info().width() || info.height() != file.info().height()
                    || info.frames() != file.info().frames() || info.channelCount() != file.info().channelCount()) {
                throw new IOException(unit.location() + ": the file changed since the run was planned");
            }
            List<String> flNames = file.flNames();
            FovArrays arrays = new FovArrays(storage, out, info, flNames, settings.extractRaw());
            outputs.addAll(arrays.paths());
            long frameBytes = info.planeBytes() * (1 + file.flChannels().length);
            FovOutput counted = new CountingOutput(arrays, ctx, frameBytes);
            FovResult result = new FovProcessor(settings.parameters()).process(reader, unit.fov(), file.pcChannel(),
                    file.flChannels(), counted, ctx::cancelled);

            List<String> groups = FovArrays.groupNames(flNames);
            double[] times = reader.frameTimesS(unit.fov());
            for (int k = 0; k < flNames.size(); k++) {
                String csv = Storage.join(out, TracesCsv.fileName(k, groups.get(k)));
                files.writeAtomically(csv, TracesCsv.render(unit.fov(), result.rows(), k));
                outputs.add(csv);
            }
            String table = Storage.join(out, TRACES);
            TraceTable.write(storage, table, TraceTable.rows(file.name(), unit.fov(), flNames, result.rows(),
                    times, settings.parameters().fieldwork()));
            outputs.add(table);
            List<String> pictures = pictures(reader, unit, file, arrays, result, groups, times, files);
            outputs.addAll(pictures);

            int good = (int) result.rows().stream().filter(TraceRow::good).mapToInt(TraceRow::cellId).distinct().count();
            ctx.count("cells", result.tracks().size());
            int invalid = result.invalidFrames().values().stream().mapToInt(List::size).sum();
            if (invalid > 0) {
                ctx.count("frames without background", invalid);
            }
            FovFacts facts = new FovFacts(file.name(), unit.fov(), info.frames(), result.tracks().size(), good,
                    result.invalidFrames(), result.seconds(), table, pictures);
            return new UnitResult<>(outputs, info.frames(), facts);
        }
    }

    /** The trace plot of each channel, and the outlines over the first and last phase-contrast frame. */
    private static List<String> pictures(StackReader reader, FovUnit unit, PlannedFile file, FovArrays arrays,
            FovResult result, List<String> groups, double[] times, OutputFiles files) throws IOException {
        StackInfo info = reader.info();
        List<String> out = new ArrayList<>();
        List<String> flNames = file.flNames();
        for (int k = 0; k < flNames.size(); k++) {
            String name = k == 0 ? "traces.png" : "traces_" + groups.get(k) + ".png";
            String path = Storage.join(unit.outputDir(), name);
            files.writeAtomically(path, FovPictures.tracePlot(file.name() + " FOV " + unit.fov() + ", "
                    + flNames.get(k) + ", mean intensity of good cells", result.rows(), k, times));
            out.add(path);
        }
        float[] plane = new float[info.width() * info.height()];
        int last = info.frames() - 1;
        byte[] first = null;
        for (int t : new int[] {0, last}) {
            String path = Storage.join(unit.outputDir(), t == 0 && first == null ? "overlay_first.png" : "overlay_last.png");
            if (t == 0 && first != null) {
                files.writeAtomically(path, first);   // one frame: the last is the first
            } else {
                reader.read(unit.fov(), t, 0, file.pcChannel(), plane);
                byte[] mask = arrays.binarized(t);
                int labels = CellRegions.of(mask, info.width(), info.height()).count();
                first = FovPictures.overlay(plane, mask, info.width(), info.height(), result.cellIdsByLabel(t, labels));
                files.writeAtomically(path, first);
            }
            out.add(path);
        }
        return out;
    }

    /** Counts a frame's bytes for the progress bar as its mask is written. */
    private record CountingOutput(FovArrays arrays, UnitContext<?> ctx, long frameBytes) implements FovOutput {
        @Override
        public void binarized(int t, byte[] mask) throws IOException {
            arrays.binarized(t, mask);
            ctx.addBytes(frameBytes);
        }

        @Override
        public byte[] binarized(int t) throws IOException {
            return arrays.binarized(t);
        }

        @Override
        public void corrected(int channel, int t, float[] frame) throws IOException {
            arrays.corrected(channel, t, frame);
        }

        @Override
        public boolean wantsRaw() {
            return arrays.wantsRaw();
        }

        @Override
        public void raw(int channel, int t, float[] plane) throws IOException {
            arrays.raw(channel, t, plane);
        }
    }

    @Override
    public String merge(RunContext run, Plan<FovUnit, Files> plan, List<UnitRecord<FovFacts>> records) throws Exception {
        Storage storage = run.storage();
        Map<String, UnitRecord<FovFacts>> byId = new LinkedHashMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        List<TraceTable.Row> rows = new ArrayList<>();
        int cells = 0;
        int good = 0;
        int done = 0;
        String firstPicture = null;
        for (FovUnit u : plan.units()) {
            UnitRecord<FovFacts> r = byId.get(u.id());
            if (r != null && r.status() == UnitStatus.done && r.facts() != null) {
                rows.addAll(TraceTable.read(storage, r.facts().tracesTable()));
                cells += r.facts().cells();
                good += r.facts().goodCells();
                done++;
                if (firstPicture == null && !r.facts().pictures().isEmpty()) {
                    firstPicture = r.facts().pictures().get(0);
                }
            }
        }
        TraceTable.write(storage, Storage.join(run.outputDir(), TRACES), rows);
        new OutputFiles(storage).writeAtomically(Storage.join(run.outputDir(), EXPERIMENT),
                JSON.writeValueAsBytes(experiment(plan, byId)));
        String pictures = firstPicture == null ? "" : "; pictures per FOV: traces.png, overlay_first.png, overlay_last.png (e.g. "
                + firstPicture + ")";
        return String.format("%d of %d FOVs traced: %d cells (%d good), %d rows in %s, %s%s", done, plan.units().size()
                + plan.failures().size(), cells, good, rows.size(), TRACES, EXPERIMENT, pictures);
    }

    /** experiment.json: the input files' metadata, the method and its parameters, and every FOV's status. */
    private Map<String, Object> experiment(Plan<FovUnit, Files> plan, Map<String, UnitRecord<FovFacts>> byId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", settings.input());
        m.put("method", settings.parameters().method());
        m.put("parameters", settings.parameters());
        List<Map<String, Object>> files = new ArrayList<>();
        for (int i = 0; i < plan.value().files().size(); i++) {
            PlannedFile f = plan.value().files().get(i);
            if (f == null) {
                continue;
            }
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("file", f.location());
            fm.put("metadata", f.info());
            fm.put("phase_contrast_channel", f.info().channels().get(f.pcChannel()));
            fm.put("fluorescence_channels", f.flNames());
            if (f.info().zSlices() > 1) {
                fm.put("z_plane", 0);   // of a z-stack, the first plane is processed
            }
            List<Map<String, Object>> fovs = new ArrayList<>();
            for (FovUnit u : plan.units()) {
                if (u.file() != i) {
                    continue;
                }
                UnitRecord<FovFacts> r = byId.get(u.id());
                Map<String, Object> fov = new LinkedHashMap<>();
                fov.put("fov", u.fov());
                fov.put("output", u.outputDir());
                fov.put("status", r == null ? "not run" : r.status().name());
                if (r != null && r.error() != null) {
                    fov.put("error", r.error().lines().findFirst().orElse(""));
                }
                if (r != null && r.facts() != null) {
                    FovFacts facts = r.facts();
                    fov.put("cells", facts.cells());
                    fov.put("good_cells", facts.goodCells());
                    fov.put("invalid_frames", facts.invalidFrames());
                    fov.put("pictures", facts.pictures());
                    fov.put("seconds", facts.seconds());
                }
                fovs.add(fov);
            }
            fm.put("fovs", fovs);
            files.add(fm);
        }
        m.put("files", files);
        List<Map<String, Object>> failed = new ArrayList<>();
        for (Plan.Failure f : plan.failures()) {
            failed.add(Map.of("file", f.input(), "error", f.error()));
        }
        m.put("unreadable_files", failed);
        return m;
    }
}
