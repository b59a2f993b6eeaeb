import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.fieldwork.io.Storage;
import org.fieldwork.run.JobRunner;
import org.fieldwork.run.Plan;
import org.fieldwork.run.RunContext;
import org.fieldwork.run.RunSummary;
import org.fieldwork.run.SparkOnDemand;
import org.fieldwork.run.UnitContext;
import org.fieldwork.run.UnitJob;
import org.fieldwork.run.UnitResult;
import org.fieldwork.run.WorkUnit;
import org.fieldwork.testing.S3ProxyServer;

/**
 * The run framework with a million trivial units, as a local command runs them (units on the
 * driver's threads, Spark never started): a first run, then a resumed one that must plan, skip
 * every unit and finish; on the local disk and on S3 (S3Proxy on loopback). Prints one line per
 * store: units, first run seconds, resumed run seconds, manifest files.
 *   ManifestBench UNITS WORK-FOLDER
 */
public final class ManifestBench {

    record Item(int n) implements WorkUnit {
        @Override
        public String id() {
            return String.format("item-%07d", n);
        }

        @Override
        public long inputBytes() {
            return 0;
        }
    }

    /** Units that do nothing but exist: what the framework itself costs per unit. */
    static final class TrivialJob implements UnitJob<Item, Void, Void> {
        final int units;

        TrivialJob(int units) {
            this.units = units;
        }

        @Override
        public String name() {
            return "trivial";
        }

        @Override
        public Map<String, String> settings() {
            return Map.of("units", Integer.toString(units));
        }

        @Override
        public Class<Void> factsType() {
            return Void.class;
        }

        @Override
        public Plan<Item, Void> plan(RunContext run) {
            List<Item> items = new ArrayList<>(units);
            for (int i = 0; i < units; i++) {
                items.add(new Item(i));
            }
            return Plan.of(items);
        }

        @Override
        public UnitResult<Void> process(Item unit, Void plan, UnitContext<Void> ctx) {
            return UnitResult.of(List.of(), 1);
        }
    }

    static RunSummary run(Storage storage, String out, int units) throws Exception {
        SparkOnDemand noSpark = SparkOnDemand.lazy("local[*]", () -> {
            throw new IllegalStateException("the framework benchmark must not need Spark");
        });
        return new JobRunner(noSpark, storage).run(new TrivialJob(units), out);
    }

    static void measure(String store, Storage storage, String out, int units, java.util.function.IntSupplier files)
            throws Exception {
        long t0 = System.nanoTime();
        RunSummary first = run(storage, out, units);
        double firstSeconds = (System.nanoTime() - t0) / 1e9;
        if (first.unitsDone() != units) {
            throw new IllegalStateException(store + ": first run did " + first.unitsDone() + " of " + units);
        }
        long t1 = System.nanoTime();
        RunSummary resumed = run(storage, out, units);
        double resumedSeconds = (System.nanoTime() - t1) / 1e9;
        if (resumed.unitsSkipped() != units) {
            throw new IllegalStateException(store + ": resumed run skipped " + resumed.unitsSkipped() + " of " + units);
        }
        System.out.printf("framework %s: %d units, first run %.1f s, resumed (plan, skip all, finish) %.1f s, %d manifest files%n",
                store, units, firstSeconds, resumedSeconds, files.getAsInt());
    }

    public static void main(String[] args) throws Exception {
        int units = Integer.parseInt(args[0]);
        Path work = Path.of(args[1]);
        Path local = work.resolve("local-out");
        deleteTree(local);
        measure("local disk", Storage.defaults(), local.toString(), units, () -> count(local.resolve("_manifest")));
        deleteTree(local);

        S3ProxyServer s3 = S3ProxyServer.shared();
        String bucket = "framework-bench";
        s3.createBucket(bucket);
        String out = S3ProxyServer.s3aUri(bucket, "out");
        measure("S3 (S3Proxy)", Storage.of(s3.s3aSettings()), out, units,
                () -> (int) s3.list(bucket, "out/_manifest/").stream().filter(k -> k.endsWith(".jsonl")).count());
        s3.deleteBucket(bucket);
    }

    private static int count(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.count();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
