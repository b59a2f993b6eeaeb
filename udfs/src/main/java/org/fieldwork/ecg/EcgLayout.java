package org.fieldwork.ecg;

import java.util.ArrayList;
import java.util.List;

/**
 * How leads are arranged on a printed ECG: rows from top to bottom, each row spanning {@code
 * rowSeconds} and split evenly between its leads (a row of one lead is a rhythm strip).
 */
public record EcgLayout(List<List<String>> rows, double rowSeconds) {

    /** One lead's place in the layout: row, column, and the time span it shows. */
    public record Panel(String lead, int row, int column, double startSeconds, double seconds) {
    }

    public EcgLayout {
        rows = rows.stream().map(List::copyOf).toList();
        if (rows.isEmpty() || rows.stream().anyMatch(List::isEmpty) || !(rowSeconds > 0)) {
            throw new IllegalArgumentException("a layout needs at least one row, each with a lead, and a positive row duration");
        }
    }

    /** The standard 12-lead print: 3 rows x 4 columns of 2.5 s and a 10 s rhythm strip of lead II. */
    public static EcgLayout standard() {
        return new EcgLayout(List.of(
                List.of("I", "aVR", "V1", "V4"),
                List.of("II", "aVL", "V2", "V5"),
                List.of("III", "aVF", "V3", "V6"),
                List.of("II")), 10.0);
    }

    /** Every panel, row by row. */
    public List<Panel> panels() {
        List<Panel> out = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            double seconds = rowSeconds / row.size();
            for (int c = 0; c < row.size(); c++) {
                out.add(new Panel(row.get(c), r, c, c * seconds, seconds));
            }
        }
        return out;
    }
}
