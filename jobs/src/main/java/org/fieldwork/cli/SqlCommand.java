package org.fieldwork.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork sql`: Spark SQL over Fieldwork outputs, with Fieldwork's functions registered. */
@Command(name = "sql", mixinStandardHelpOptions = true,
        description = {"Runs a Spark SQL query with Fieldwork's SQL functions registered and prints the result.",
            "Query outputs directly, e.g.: fieldwork sql \"SELECT count(*) FROM parquet.`out/headers.parquet`\""})
public final class SqlCommand implements Callable<Integer> {

    enum Format { table, csv, json }

    @Parameters(index = "0", paramLabel = "QUERY", description = "The SQL statement.")
    String query;

    @Option(names = "--format", defaultValue = "table", description = "Output format: table, csv or json (one object per line). Default: ${DEFAULT-VALUE}.")
    Format format;

    @Option(names = "--limit", paramLabel = "N",
            description = "Print at most N rows; 0 = all. Default: 1000 for table, every row for csv and json (they are for machines).")
    Integer limit;

    @Mixin
    SparkOptions sparkOptions;

    @Override
    public Integer call() {
        SparkSession spark = FieldworkSpark.session("fieldwork sql", sparkOptions);
        try {
            Dataset<Row> result = spark.sql(query);
            int rows = limit != null ? limit : format == Format.table ? 1000 : 0;
            Dataset<Row> shown = rows > 0 ? result.limit(rows) : result;
            PrintStream out = System.out;
            switch (format) {
                case json -> shown.toJSON().toLocalIterator().forEachRemaining(out::println);
                case csv -> printCsv(shown, out);
                case table -> printTable(shown, out);
                default -> throw new IllegalStateException();
            }
            ClassArchiveRecording.did("query");
            return 0;
        } finally {
            spark.stop();
        }
    }

    static void printCsv(Dataset<Row> ds, PrintStream out) {
        out.println(String.join(",", quoteAll(List.of(ds.columns()))));
        // Row by row: every row of a large result, without holding it all on the driver.
        for (java.util.Iterator<Row> it = ds.toLocalIterator(); it.hasNext(); ) {
            Row r = it.next();
            List<String> cells = new ArrayList<>();
            for (int i = 0; i < r.size(); i++) {
                cells.add(cell(r.get(i)));
            }
            out.println(String.join(",", quoteAll(cells)));
        }
    }

    private static List<String> quoteAll(List<String> cells) {
        List<String> q = new ArrayList<>();
        for (String c : cells) {
            q.add(c.contains(",") || c.contains("\"") || c.contains("\n") ? "\"" + c.replace("\"", "\"\"") + "\"" : c);
        }
        return q;
    }

    static void printTable(Dataset<Row> ds, PrintStream out) {
        String[] cols = ds.columns();
        List<String[]> rows = new ArrayList<>();
        int[] w = new int[cols.length];
        for (int i = 0; i < cols.length; i++) {
            w[i] = cols[i].length();
        }
        for (Row r : ds.collectAsList()) {
            String[] cells = new String[cols.length];
            for (int i = 0; i < cols.length; i++) {
                String c = cell(r.get(i));
                cells[i] = c.length() > 60 ? c.substring(0, 57) + "..." : c;
                w[i] = Math.max(w[i], cells[i].length());
            }
            rows.add(cells);
        }
        StringBuilder sep = new StringBuilder("+");
        for (int x : w) {
            sep.append("-".repeat(x + 2)).append('+');
        }
        out.println(sep);
        out.println(line(cols, w));
        out.println(sep);
        rows.forEach(r -> out.println(line(r, w)));
        out.println(sep);
        out.println(rows.size() + (rows.size() == 1 ? " row" : " rows"));
    }

    private static String line(String[] cells, int[] w) {
        StringBuilder sb = new StringBuilder("|");
        for (int i = 0; i < cells.length; i++) {
            sb.append(' ').append(String.format("%-" + w[i] + "s", cells[i])).append(" |");
        }
        return sb.toString();
    }

    private static String cell(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof scala.collection.Seq<?> seq) {
            return scala.collection.JavaConverters.seqAsJavaList(seq).toString();
        }
        if (v instanceof byte[] b) {
            return "<" + b.length + " bytes>";
        }
        return v.toString();
    }
}
