import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.RunSummary;
import org.fieldwork.seismic.SegyImportJob;
import org.fieldwork.seismic.SegyImportSettings;

/**
 * The notebook's view of bench/segy: imports in one Spark session, the way a Databricks or Zeppelin
 * notebook (or any long-lived session) runs them, through the API the notebooks in notebooks/ use.
 * The session first imports a smaller file once per compression (not measured), then the file
 * itself; prints one line per measured import: compression and elapsed seconds.
 *   SessionImport IN.sgy OUT WARM-UP.sgy COMPRESSION...
 */
public final class SessionImport {
    public static void main(String[] args) throws Exception {
        String input = args[0];
        Path output = Path.of(args[1]);
        String warmUp = args[2];
        SparkSession spark = SparkSession.builder().master("local[*]").appName("bench-segy-session")
                .config("spark.ui.enabled", "false").getOrCreate();
        Storage storage = Storage.fromHadoop(spark.sparkContext().hadoopConfiguration());
        // A new folder per import, all deleted at the end: deleting one just before the next import
        // would make that import pay for the deletion (see bench/segy/run).
        List<Path> written = new ArrayList<>();
        for (String file : List.of(warmUp, input)) {
            for (int i = 3; i < args.length; i++) {
                Path out = output.resolveSibling(output.getFileName() + "-" + written.size());
                deleteTree(out); // a finished output would be resumed, not imported again
                written.add(out);
                SegyImportSettings settings = new SegyImportSettings(file, "fldr", null, SegyImportSettings.DEFAULT_MAX_PROBE,
                        args[i], null, SegyImportSettings.DEFAULT_SMALL_FILE_BYTES);
                RunSummary summary = new JobRunner(spark, storage).run(new SegyImportJob(settings, true), out.toString());
                if (!summary.succeeded() || summary.merge() == null || !summary.merge().startsWith("merged 1 dataset")) {
                    System.err.println(summary.render());
                    System.exit(1);
                }
                if (file.equals(input)) {
                    System.out.printf("%s %.3f%n", args[i], summary.elapsedMillis() / 1000.0);
                }
            }
        }
        for (Path p : written) {
            deleteTree(p);
        }
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
