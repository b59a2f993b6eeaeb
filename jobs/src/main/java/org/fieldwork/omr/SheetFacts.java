package org.fieldwork.omr;

import java.util.LinkedHashMap;
import java.util.Map;

import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitStatus;

/**
 * What a read sheet's manifest record keeps: enough to write its folder's CSVs and the results
 * table later, from a fresh run or a resumed one.
 *
 * @param destination the CSV it belongs in (Results or MultiMarkedFiles)
 * @param columns     output column -> value, in the template's order
 * @param score       null without an evaluation
 * @param confidence  field -> gray levels between the nearest bubble and the threshold
 * @param response    every field's value, custom labels concatenated: what scoring reads
 */
public record SheetFacts(String inputPath, String destination, Map<String, String> columns, Double score,
                         boolean multiMarked, Map<String, Double> confidence, Map<String, String> response)
        implements java.io.Serializable {

    static SheetFacts of(FolderConfig folder, SheetResult r) {
        Map<String, Double> confidence = new LinkedHashMap<>();
        for (FieldReading field : r.fields) {
            if (Double.isFinite(field.confidence())) {
                confidence.put(field.label(), field.confidence());
            }
        }
        return of(folder, r, confidence);
    }

    /** A sheet scored again: its confidences are those of the reading it was scored from. */
    static SheetFacts of(FolderConfig folder, SheetResult r, Map<String, Double> confidence) {
        return new SheetFacts(r.inputPath, ResultsCsv.destination(folder, r), new LinkedHashMap<>(r.columns), r.score,
                r.multiMarked, confidence, new LinkedHashMap<>(r.response));
    }

    /**
     * The sheet as its folder's CSVs need it. A unit that failed (unreadable file, page or markers
     * not found) becomes an ErrorFiles row with blank answers and the reason, as OMRChecker lists it.
     */
    static SheetResult restore(FolderConfig folder, OmrSheetUnit unit, UnitRecord<SheetFacts> record) {
        if (record == null || record.status() != UnitStatus.done || record.facts() == null) {
            Map<String, String> blank = new LinkedHashMap<>();
            folder.outputColumns().forEach(c -> blank.put(c, ""));
            return SheetResult.restored(unit.fileName(), unit.inputPath(), blank, null, false, failure(record));
        }
        SheetFacts f = record.facts();
        return SheetResult.restored(unit.fileName(), unit.inputPath(), f.columns(), f.score(), f.multiMarked(), null);
    }

    /** The first line of a failed record's error: what the user reads in the summary and the table. */
    static String failure(UnitRecord<?> record) {
        if (record == null) {
            return "not processed";
        }
        String e = record.error() == null ? "failed" : record.error();
        return e.lines().findFirst().orElse(e);
    }
}
