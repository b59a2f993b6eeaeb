package org.fieldwork.omr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.run.OpenCvThreads;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.Step;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;

/**
 * OMR over an OMRChecker input tree: every sheet is a unit; the merge writes each folder's CSVs in
 * input order (whatever order the tasks finished in) and one {@code results.parquet} for the run.
 * Configuration is loaded and checked on the driver while planning, so a bad template stops the
 * run before any sheet is read or any output written.
 */
public final class OmrJob implements UnitJob<OmrSheetUnit, OmrJob.Folders, SheetFacts> {
    private static final long serialVersionUID = 1L;

    public static final String RESULTS_TABLE = ResultsTable.FILE;
    /** Stage images per sheet: {@code <folder out>/Stages/<sheet file name>/NN-L<level>-<stage>.png}. */
    public static final String STAGES = "Stages";
    /** The highest stage level, which --show asks for: everything OMRChecker can show. */
    public static final int MAX_STAGE_LEVEL = OmrSettings.MAX_IMAGE_LEVEL;

    /** One folder with sheets, as planned: where it sits below the input root and its configuration. */
    public record PlannedFolder(String relative, FolderConfig config) implements java.io.Serializable {
    }

    /** The plan-wide value: every folder with sheets (templates, marker pixels), shipped to tasks once. */
    public record Folders(List<PlannedFolder> folders) implements java.io.Serializable {
    }

    private final OmrSettings settings;

    public OmrJob(OmrSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "omr";
    }

    @Override
    public String itemName() {
        return "sheets";
    }

    @Override
    public Class<SheetFacts> factsType() {
        return SheetFacts.class;
    }

    /** Every sheet is read (stage and checked images too), then scored; editing only the answer key re-scores. */
    static final String READ = "read";
    static final String SCORE = "score";

    /** The input; what changes how sheets are read or scored is in the steps, and in each sheet's folder fingerprints. */
    @Override
    public Map<String, String> settings() {
        return Map.of("input", settings.input());
    }

    @Override
    public List<Step> steps() {
        return List.of(Step.of(READ, settings.readSettings()), Step.of(SCORE, Map.of(), READ));
    }

    /** Every sheet costs about the same compute whatever its size: never keep a batch on the driver. */
    @Override
    public long driverThresholdBytes() {
        return 0;
    }

    @Override
    public int maxConcurrentUnits() {
        return settings.show() ? 1 : settings.workers();
    }

    /** A sheet that cannot be read is an ErrorFiles row, never a reason to drop the folder's CSVs. */
    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    @Override
    public Plan<OmrSheetUnit, Folders> plan(RunContext run) throws Exception {
        String input = settings.input();
        boolean local = Storage.isLocal(input);
        if (local && !java.nio.file.Files.isDirectory(Storage.localPath(input))) {
            throw new IllegalArgumentException(input + ": " + (java.nio.file.Files.exists(Storage.localPath(input))
                    ? "not a folder (give the folder that holds template.json and the sheets)" : "no such folder"));
        }
        InputTree tree = InputTree.of(run.storage(), input);
        // An output folder inside the input holds checked and stage images: they are not sheets.
        List<OmrFolders.ImageFolder> walked = OmrFolders.walk(tree, tree.pathOf(run.outputDir()));
        List<PlannedFolder> folders = new ArrayList<>();
        List<OmrSheetUnit> units = new ArrayList<>();
        for (OmrFolders.ImageFolder f : walked) {
            int index = folders.size();
            String rel = slashes(f.relative());
            folders.add(new PlannedFolder(rel, f.config()));
            for (Path image : f.images()) {
                String relative = slashes(tree.root().relativize(image));
                String location = local ? image.toAbsolutePath().normalize().toString() : tree.name(image);
                units.add(new OmrSheetUnit(index, units.size(), relative, location, image.getFileName().toString(),
                        tree.name(image), tree.size(image), tree.version(image), f.config().fingerprint,
                        f.config().scoringFingerprint));
            }
        }
        if (units.isEmpty()) {
            throw new IllegalArgumentException(input + ": no sheet images (*.png, *.jpg, *.jpeg) in this folder or below");
        }
        return Plan.of(units, new Folders(List.copyOf(folders)));
    }

    private static String slashes(Path p) {
        return p.toString().replace('\\', '/');
    }

    /** A folder's output location: the run's output plus the folder's path below the input root. */
    static String folderOutput(String outputDir, PlannedFolder f) {
        return f.relative().isEmpty() ? outputDir : Storage.join(outputDir, f.relative());
    }

    /** Stage images wanted for a folder: --image-level, else the config's show/save levels; --show wants them all. */
    int stageLevel(FolderConfig config) {
        int level = settings.imageLevel() != null ? settings.imageLevel()
                : Math.max(config.tuning.showImageLevel, config.tuning.saveImageLevel);
        if (settings.show() && settings.imageLevel() == null && level == 0) {
            level = MAX_STAGE_LEVEL;
        }
        return level;
    }

    @Override
    public UnitResult<SheetFacts> process(OmrSheetUnit unit, Folders plan, UnitContext<SheetFacts> ctx) throws Exception {
        OpenCvThreads.onePerTask();
        PlannedFolder folder = plan.folders().get(unit.folder());
        FolderConfig config = folder.config();
        OutputFiles files = new OutputFiles(ctx.storage());
        String out = folderOutput(ctx.outputDir(), folder);
        List<String> outputs = new ArrayList<>();
        SheetResult r;
        Map<String, Double> confidence;
        if (ctx.runs(READ)) {
            r = read(unit, config, files, out, outputs, ctx);
            confidence = null;
            ctx.count("sheets read", 1);
        } else {
            // Only the evaluation changed: score the values read before; their images stay as they are.
            UnitRecord<SheetFacts> before = ctx.previous();
            SheetFacts f = before.facts();
            r = SheetProcessor.score(config, unit.fileName(), unit.inputPath(), f.response(), f.multiMarked());
            confidence = f.confidence();
            before.outputs().stream().filter(p -> !p.contains("/" + ResultsCsv.EVALUATION + "/")).forEach(outputs::add);
        }
        ctx.count("sheets scored", 1);
        byte[] evaluation = ResultsCsv.evaluationCsv(config, r);
        String evaluationPath = Storage.join(out, ResultsCsv.evaluationFile(unit.fileName()));
        if (evaluation != null) {
            files.writeAtomically(evaluationPath, evaluation);
            outputs.add(evaluationPath);
        } else if (!ctx.runs(READ)) {
            files.delete(evaluationPath); // a table the new evaluation no longer asks for
        }
        ctx.addItems(1);
        return new UnitResult<>(outputs, 1, confidence == null ? SheetFacts.of(config, r) : SheetFacts.of(config, r, confidence));
    }

    /** The reading half: decode, pre-process, read the bubbles, and write the stage and checked images. */
    private SheetResult read(OmrSheetUnit unit, FolderConfig config, OutputFiles files, String out, List<String> outputs,
            UnitContext<SheetFacts> ctx) throws IOException {
        byte[] bytes;
        try {
            bytes = files.read(unit.location());
        } catch (IOException e) {
            throw new IOException(unit.inputPath() + ": cannot read: " + e.getMessage(), e);
        }
        ctx.addBytes(bytes.length);
        boolean checked = settings.saveImages() || config.tuning.saveImageLevel > 0;
        SheetResult r = SheetProcessor.process(config, bytes, unit.fileName(), unit.inputPath(), stageLevel(config), checked,
                ctx.kernels());
        for (int i = 0; i < r.stages.size(); i++) {
            StageImage s = r.stages.get(i);
            String path = Storage.join(out, STAGES + "/" + unit.fileName() + "/"
                    + String.format("%02d-L%d-%s.png", i + 1, s.level(), slug(s.name())));
            files.writeAtomically(path, s.png());
            outputs.add(path);
        }
        if (r.checkedImage != null) {
            String path = Storage.join(out, ResultsCsv.CHECKED + "/" + unit.fileName());
            files.writeAtomically(path, r.checkedImage);
            outputs.add(path);
        }
        if (r.isError()) {
            // An ErrorFiles sheet is a failed unit: counted, retried by the next run. Its stage images show why.
            throw new SheetUnreadable(unit.inputPath() + ": " + r.error);
        }
        return r;
    }

    /** A sheet OMRChecker would put in ErrorFiles: not an image, page or markers not found. */
    static final class SheetUnreadable extends IOException {
        private static final long serialVersionUID = 1L;

        SheetUnreadable(String message) {
            super(message);
        }
    }

    private static String slug(String stage) {
        return stage.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    }

    @Override
    public String merge(RunContext run, Plan<OmrSheetUnit, Folders> plan, List<UnitRecord<SheetFacts>> records)
            throws Exception {
        List<PlannedFolder> folders = plan.value().folders();
        List<OmrSheetUnit> units = plan.units();
        Map<String, UnitRecord<SheetFacts>> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        OutputFiles files = new OutputFiles(run.storage());
        List<List<OmrSheetUnit>> perFolder = new ArrayList<>();
        folders.forEach(f -> perFolder.add(new ArrayList<>()));
        units.forEach(u -> perFolder.get(u.folder()).add(u));

        int read = 0;
        int multi = 0;
        int errors = 0;
        List<ResultsTable.Row> rows = new ArrayList<>();
        for (int i = 0; i < folders.size(); i++) {
            PlannedFolder folder = folders.get(i);
            String out = folderOutput(run.outputDir(), folder);
            List<SheetResult> sheets = new ArrayList<>();
            for (OmrSheetUnit u : perFolder.get(i)) {
                UnitRecord<SheetFacts> record = byId.get(u.id());
                SheetResult r = SheetFacts.restore(folder.config(), u, record);
                sheets.add(r);
                rows.add(row(folder, u, r, record));
                if (r.isError()) {
                    errors++;
                } else {
                    read++;
                    multi += r.multiMarked ? 1 : 0;
                }
            }
            for (Map.Entry<String, byte[]> csv : ResultsCsv.render(out, folder.config(), sheets).entrySet()) {
                files.writeAtomically(Storage.join(out, csv.getKey()), csv.getValue());
            }
        }
        ResultsTable.write(run.storage(), Storage.join(run.outputDir(), RESULTS_TABLE), rows);
        return String.format("%d sheets: %d read (%d multi-marked), %d to ErrorFiles; CSVs for %d folder(s), %s",
                units.size(), read, multi, errors, folders.size(), RESULTS_TABLE);
    }

    private static ResultsTable.Row row(PlannedFolder folder, OmrSheetUnit u, SheetResult r, UnitRecord<SheetFacts> record) {
        Map<String, Double> confidence = record != null && record.facts() != null && !r.isError()
                ? record.facts().confidence() : Map.of();
        Double min = confidence.values().stream().min(Double::compare).orElse(null);
        // The same rule that chose the sheet's CSV: "Results", "MultiMarkedFiles" or "ErrorFiles".
        String destination = ResultsCsv.destination(folder.config(), r).replaceAll(".*/", "").replace(".csv", "");
        return new ResultsTable.Row(folder.relative(), u.fileName(), u.inputPath(), u.index(), destination, r.score,
                r.multiMarked, r.error, r.columns, confidence, min);
    }
}
