import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;

/**
 * The notebook's view of bench/segy: several imports of the same file in one Spark session, the way
 * a Databricks or Zeppelin notebook (or any long-lived session) runs them, through the API the
 * notebooks in notebooks/ use. Prints one line per import: compression and elapsed seconds.
 *   SessionImport IN.sgy OUT COMPRESSION...
 */
public final class SessionImport {
    public static void main(String[] args) throws Exception {
        String input = args[0];
        Path output = Path.of(args[1]);
        SparkSession spark = SparkSession.builder().master("local[*]").appName("bench-segy-session")
                .config("spark.ui.enabled", "false").getOrCreate();
        Storage storage = Storage.fromHadoop(spark.sparkContext().hadoopConfiguration());
        for (int i = 2; i < args.length; i++) {
            deleteTree(output); // a finished output would be resumed, not imported again
            SegyImportSettings settings = new SegyImportSettings(input, "fldr", null, SegyImportSettings.DEFAULT_MAX_PROBE,
                    args[i], null, SegyImportSettings.DEFAULT_SMALL_FILE_BYTES);
            RunSummary summary = new JobRunner(spark, storage).run(new SegyImportJob(settings, true), output.toString());
            if (!summary.succeeded() || summary.merge() == null || !summary.merge().startsWith("merged 1 dataset")) {
                System.err.println(summary.render());
                System.exit(1);
            }
            System.out.printf("%s %.3f%n", args[i], summary.elapsedMillis() / 1000.0);
        }
        deleteTree(output);
        spark.stop();
    }

    private static void deleteTree(Path p) throws Exception {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(x);
                }
            }
        }
    }
}
