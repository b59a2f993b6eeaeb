package org.fieldwork.em;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.run.RunManifest;
import org.fieldwork.run.UnitRecord;
import org.fieldwork.run.UnitStatus;

/**
 * The movies an EM batch run finished, read back from its processing folder for the exports: each
 * movie's key (its unit id) and facts from the run manifest, limited to the movies its published
 * items.parquet lists as processed.
 */
public final class ProcessedMovies {
    private ProcessedMovies() {
    }

    public record Movie(String key, EmFacts facts) {
    }

    public static List<Movie> read(Storage storage, String processing) throws IOException {
        OutputFiles files = new OutputFiles(storage);
        String items = Storage.join(processing, EmJob.ITEMS);
        if (!files.exists(items)) {
            throw new IllegalArgumentException(processing + ": no " + EmJob.ITEMS + " there; run `fieldwork em batch` into it"
                    + " first (or wait until its run has finished)");
        }
        java.util.Set<String> processed = new java.util.HashSet<>();
        for (EmItemsTable.Row r : EmItemsTable.read(storage, items)) {
            if ("processed".equals(r.status())) {
                processed.add(r.movie());
            }
        }
        Map<String, UnitRecord<EmFacts>> records = new RunManifest(processing, storage).readAll(EmFacts.class);
        List<Movie> out = new ArrayList<>();
        for (UnitRecord<EmFacts> r : records.values()) {
            if (r.status() == UnitStatus.done && r.facts() != null && processed.contains(r.facts().movie())) {
                out.add(new Movie(r.unit(), r.facts()));
            }
        }
        out.sort(java.util.Comparator.comparing(Movie::key));
        return out;
    }
}
