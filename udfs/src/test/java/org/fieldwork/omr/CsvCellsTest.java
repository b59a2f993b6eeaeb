package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

/** The product's CSV (univocity) against Commons CSV both ways: commas, quotes and line breaks inside cells. */
class CsvCellsTest {
    private static final List<List<String>> ROWS = List.of(
            List.of("file_id", "input_path", "score"),
            List.of("a,b.png", "say \"hi\"", "1.0"),
            List.of("multi\nline", "", "NA"),
            List.of("", "tail\r\nwith crlf", " spaced "));

    @Test
    void whatWeWriteCommonsCsvReads() throws Exception {
        StringBuilder text = new StringBuilder();
        ROWS.forEach(r -> text.append(CsvCells.quoteAll(r)));
        assertEquals(ROWS, OmrExpected.rows(text.toString()));
        assertEquals("\"a,b.png\",\"say \"\"hi\"\"\",\"1.0\"\n", CsvCells.quoteAll(ROWS.get(1)));
    }

    @Test
    void whatCommonsCsvWritesWeRead() throws Exception {
        StringWriter out = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.RFC4180)) {
            for (List<String> r : ROWS) {
                p.printRecord(r);
            }
            p.println();
        }
        List<List<String>> read = new ArrayList<>();
        List<Long> lines = new ArrayList<>();
        for (CsvCells.Row row : CsvCells.read(out.toString())) {
            read.add(row.cells());
            lines.add(row.line());
        }
        assertEquals(ROWS, read);
        assertEquals(List.of(1L, 2L, 3L, 5L), lines, "the line each record starts on");
    }
}
