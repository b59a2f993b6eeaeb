package org.fieldwork.ecg;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.fieldwork.io.OpenCvMessages;
import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.run.InputFiles;
import org.fieldwork.run.OpenCvThreads;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.UnitStatus;

/**
 * ECG paper images in bulk: every image is a unit, many small ones packed into a Spark task by
 * their bytes. A unit decodes its image by content and runs the asked ops ({@link EcgAnalysis});
 * pictures go to OUT/images/&lt;key&gt;/, digitized leads to a part under OUT/_signals/. The merge
 * writes results.parquet (one row per image, input order, failed images with their error) and
 * signals.parquet.
 */
public final class EcgJob implements UnitJob<EcgImageUnit, Void, EcgFacts> {
    private static final long serialVersionUID = 1L;

    public static final String RESULTS = EcgResultsTable.FILE;
    public static final String SIGNALS = SignalsTable.FILE;
    public static final String IMAGES = "images";
    static final String SIGNAL_PARTS = "_signals";
    /** What a folder is searched for; the content decides the decoder, so a mislabelled file is still read. */
    public static final List<String> IMAGE_SUFFIXES = List.of(".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp");
    /** About this many input bytes per Spark task (fewer when that would leave cores idle). */
    static final long TASK_BYTES = 64L << 20;

    private final EcgSettings settings;

    public EcgJob(EcgSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return "ecg";
    }

    @Override
    public String itemName() {
        return "images";
    }

    @Override
    public Class<EcgFacts> factsType() {
        return EcgFacts.class;
    }

    @Override
    public Map<String, String> settings() {
        return settings.settings();
    }

    /** An image is a fraction of a second of compute whatever its bytes: never keep a batch on the driver of a cluster run. */
    @Override
    public long driverThresholdBytes() {
        return 0;
    }

    @Override
    public int maxConcurrentUnits() {
        return settings.workers();
    }

    @Override
    public long taskBytes() {
        return TASK_BYTES;
    }

    /** An image that failed is a row with its error; the others' results are still written. */
    @Override
    public boolean mergeWithFailures() {
        return true;
    }

    @Override
    public Plan<EcgImageUnit, Void> plan(RunContext run) throws Exception {
        List<InputFiles.Found> found = InputFiles.tree(run.storage(), settings.inputs(), IMAGE_SUFFIXES, "image",
                run.outputDir());
        List<String> keys = InputFiles.keys(found);
        List<EcgImageUnit> units = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            InputFiles.Found f = found.get(i);
            units.add(new EcgImageUnit(f.location(), keys.get(i), f.bytes(), f.version()));
        }
        return Plan.of(units, null);
    }

    /** Before images are redone, the run's tables stop being published: the merge writes them again. */
    @Override
    public List<EcgImageUnit> beforeUnits(RunContext run, Plan<EcgImageUnit, Void> plan, List<EcgImageUnit> todo)
            throws Exception {
        if (!todo.isEmpty()) {
            OutputFiles files = new OutputFiles(run.storage());
            files.deleteTree(Storage.join(run.outputDir(), RESULTS));
            files.deleteTree(Storage.join(run.outputDir(), SIGNALS));
        }
        return todo;
    }

    @Override
    public UnitResult<EcgFacts> process(EcgImageUnit unit, Void plan, UnitContext<EcgFacts> ctx) throws Exception {
        OpenCvThreads.onePerTask();
        OutputFiles files = new OutputFiles(ctx.storage());
        byte[] bytes;
        try {
            bytes = files.read(unit.location());
        } catch (IOException e) {
            throw new IOException("ECG image " + unit.location() + ": cannot read: " + e.getMessage(), e);
        }
        ctx.addBytes(bytes.length);
        EcgResult result;
        try {
            result = EcgAnalysis.analyze(unit.location(), bytes, settings.options(), ctx.kernels());
        } catch (RuntimeException e) {
            // OpenCV's own exceptions carry build paths; the user reads the image and the reason.
            String m = OpenCvMessages.describe(e);
            if (m.contains(unit.location())) {
                throw e;
            }
            throw new IllegalStateException("ECG image " + unit.location() + ": " + m, e);
        }
        List<String> outputs = new ArrayList<>();
        String pictures = Storage.join(ctx.outputDir(), IMAGES + "/" + unit.key());
        files.deleteTree(pictures); // an earlier run's pictures that these options no longer draw
        for (Map.Entry<String, byte[]> picture : result.images().entrySet()) {
            String path = Storage.join(pictures, picture.getKey() + ".png");
            files.writeAtomically(path, picture.getValue());
            outputs.add(path);
        }
        String part = Storage.join(ctx.outputDir(), SIGNAL_PARTS + "/" + unit.key() + ".parquet");
        String signalsPart = null;
        if (result.digitized() != null) {
            SignalsTable.write(ctx.storage(), part, result.digitized().rows(unit.location()));
            outputs.add(part);
            signalsPart = part;
            ctx.count("leads digitized", result.digitized().leads().size());
        } else {
            files.delete(part);
        }
        if (result.quality() != null && !result.quality().passed()) {
            ctx.count("images failing a quality gate", 1);
        }
        ctx.addItems(1);
        return new UnitResult<>(outputs, 1, new EcgFacts(EcgResultsTable.row(unit.location(), result), signalsPart));
    }

    @Override
    public String merge(RunContext run, Plan<EcgImageUnit, Void> plan, List<UnitRecord<EcgFacts>> records)
            throws Exception {
        Map<String, UnitRecord<EcgFacts>> byId = new HashMap<>();
        records.forEach(r -> byId.put(r.unit(), r));
        List<EcgResultsTable.Row> rows = new ArrayList<>();
        List<DigitizedEcg.SignalRow> signals = new ArrayList<>();
        int analysed = 0;
        int failed = 0;
        int passed = 0;
        Map<String, Integer> gateFailures = new LinkedHashMap<>();
        for (EcgImageUnit u : plan.units()) {
            UnitRecord<EcgFacts> r = byId.get(u.id());
            if (r == null || r.status() != UnitStatus.done || r.facts() == null) {
                failed++;
                rows.add(EcgResultsTable.Row.failed(u.location(), UnitRecord.errorLine(r)));
                continue;
            }
            analysed++;
            EcgFacts f = r.facts();
            rows.add(f.row());
            if (Boolean.TRUE.equals(f.row().qualityPass())) {
                passed++;
            } else if (f.row().qualityFailures() != null) {
                f.row().qualityFailures().forEach(reason -> gateFailures.merge(reason.replaceAll(":.*", ""), 1, Integer::sum));
            }
            if (f.signalsPart() != null) {
                signals.addAll(SignalsTable.read(run.storage(), f.signalsPart()));
            }
        }
        for (Plan.Failure pf : plan.failures()) {
            failed++;
            rows.add(EcgResultsTable.Row.failed(pf.input(), pf.error()));
        }
        EcgResultsTable.write(run.storage(), Storage.join(run.outputDir(), RESULTS), rows);
        String signalsLine = "";
        if (!signals.isEmpty()) {
            SignalsTable.write(run.storage(), Storage.join(run.outputDir(), SIGNALS), signals);
            signalsLine = String.format(Locale.ROOT, ", %d leads in %s", signals.size(), SIGNALS);
        }
        String quality = settings.options().runs(EcgOp.QUALITY)
                ? String.format(Locale.ROOT, ", %d passed the quality gates%s", passed,
                        gateFailures.isEmpty() ? "" : " (failed: " + gateFailures.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("") + ")")
                : "";
        return String.format(Locale.ROOT, "%d images: %d analysed, %d failed%s; %s%s", rows.size(), analysed, failed,
                quality, RESULTS, signalsLine);
    }
}
