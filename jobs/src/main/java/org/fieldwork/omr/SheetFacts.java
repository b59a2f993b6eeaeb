package org.fieldwork.omr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitStatus;

/**
 * What a sheet's manifest record keeps of its result: enough to write the folder's CSVs and the
 * results table later, from a fresh run or a resumed one. Plain JSON values only (strings,
 * numbers, booleans, maps), so a record read back from disk equals the one a task returned.
 */
public final class SheetFacts {
    public static final String INPUT_PATH = "input_path";
    public static final String DESTINATION = "destination";
    public static final String COLUMNS = "columns";
    public static final String SCORE = "score";
    public static final String MULTI_MARKED = "multi_marked";
    public static final String ERROR = "error";
    public static final String CONFIDENCE = "confidence";

    private SheetFacts() {
    }

    static Map<String, Object> of(FolderConfig folder, SheetResult r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put(INPUT_PATH, r.inputPath);
        f.put(DESTINATION, ResultsCsv.destination(folder, r));
        f.put(COLUMNS, new LinkedHashMap<>(r.columns));
        if (r.score != null) {
            f.put(SCORE, r.score);
        }
        f.put(MULTI_MARKED, r.multiMarked);
        if (r.error != null) {
            f.put(ERROR, r.error);
        }
        Map<String, Double> confidence = new LinkedHashMap<>();
        for (FieldReading field : r.fields) {
            if (Double.isFinite(field.confidence())) {
                confidence.put(field.label(), field.confidence());
            }
        }
        f.put(CONFIDENCE, confidence);
        return f;
    }

    /**
     * The sheet as its folder's CSVs need it. A unit that failed (unreadable file, undecodable
     * bytes) becomes an ErrorFiles row with blank answers and the reason, as OMRChecker lists it.
     */
    static SheetResult restore(FolderConfig folder, OmrSheetUnit unit, UnitRecord record) {
        if (record == null || record.status() != UnitStatus.done || record.facts() == null) {
            Map<String, String> blank = new LinkedHashMap<>();
            folder.outputColumns().forEach(c -> blank.put(c, ""));
            return SheetResult.restored(unit.fileName(), unit.inputPath(), blank, null, false, failure(record));
        }
        Map<String, Object> f = record.facts();
        Object score = f.get(SCORE);
        return SheetResult.restored(unit.fileName(), unit.inputPath(), strings(f.get(COLUMNS)),
                score instanceof Number n ? n.doubleValue() : null, Boolean.TRUE.equals(f.get(MULTI_MARKED)),
                (String) f.get(ERROR));
    }

    static String failure(UnitRecord record) {
        if (record == null) {
            return "not processed";
        }
        String e = record.error() == null ? "failed" : record.error();
        return e.lines().findFirst().orElse(e);
    }

    static Map<String, String> strings(Object map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        }
        return out;
    }

    static Map<String, Double> doubles(Object map) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (map instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (v instanceof Number n) {
                    out.put(String.valueOf(k), n.doubleValue());
                }
            });
        }
        return out;
    }
}
