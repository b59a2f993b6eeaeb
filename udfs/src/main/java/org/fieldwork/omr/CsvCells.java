package org.fieldwork.omr;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.CsvWriter;
import com.univocity.parsers.csv.CsvWriterSettings;

/**
 * CSV as OMRChecker reads and writes it, through univocity-parsers: RFC 4180 cells (quoted cells may
 * hold commas, quotes as "" and line breaks), every written cell quoted as pandas writes strings with
 * QUOTE_NONNUMERIC, lines ending in \n.
 */
public final class CsvCells {
    private CsvCells() {
    }

    /** One record and the line of the text it starts on (1-based), for messages. */
    public record Row(long line, List<String> cells) {
    }

    /** Every non-blank record of {@code text}; empty cells are empty strings. */
    public static List<Row> read(String text) {
        CsvParserSettings settings = new CsvParserSettings();
        settings.setLineSeparatorDetectionEnabled(true);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setSkipEmptyLines(true);
        settings.setNormalizeLineEndingsWithinQuotes(false);
        settings.setMaxCharsPerColumn(-1);
        settings.setMaxColumns(100_000);
        CsvParser parser = new CsvParser(settings);
        List<Row> rows = new ArrayList<>();
        parser.beginParsing(new StringReader(text));
        // The line a record starts on, counted here: the parser counts no line breaks inside quotes.
        int at = 0;
        long line = 1;
        try {
            for (String[] cells; (cells = parser.parseNext()) != null; ) {
                while (at < text.length() && (text.charAt(at) == '\n' || text.charAt(at) == '\r')) {
                    line += text.charAt(at) == '\n' ? 1 : 0;
                    at++;
                }
                rows.add(new Row(line, Arrays.asList(cells)));
                int end = (int) Math.min(text.length(), Math.max(at, parser.getContext().currentChar()));
                for (; at < end; at++) {
                    line += text.charAt(at) == '\n' ? 1 : 0;
                }
            }
        } finally {
            parser.stopParsing();
        }
        return rows;
    }

    /** One output line with every field quoted, as pandas writes with QUOTE_NONNUMERIC and string dtype. */
    static String quoteAll(List<String> cells) {
        CsvWriterSettings settings = new CsvWriterSettings();
        settings.setQuoteAllFields(true);
        settings.setIgnoreLeadingWhitespaces(false);
        settings.setIgnoreTrailingWhitespaces(false);
        settings.setNormalizeLineEndingsWithinQuotes(false);
        settings.setNullValue("");
        settings.setEmptyValue("");
        settings.getFormat().setLineSeparator("\n");
        StringWriter out = new StringWriter();
        CsvWriter writer = new CsvWriter(out, settings);
        writer.writeRow(cells);
        writer.close();
        return out.toString();
    }
}
