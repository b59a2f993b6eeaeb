package org.fieldwork.em;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcMode;
import org.fieldwork.io.mrc.MrcReader;
import org.fieldwork.io.mrc.MrcWriter;

/**
 * `fieldwork em export-micrographs`: the aligned averages of a processing folder for downstream
 * tools, copied as OUT/micrographs/&lt;movie&gt;.mrc (or stacked into one OUT/micrographs.mrcs), with
 * OUT/micrographs.star (RELION 3.1's micrographs_ctf.star layout: optics, name, defocus, fit resolution).
 */
public final class MicrographExport {
    public static final String STAR = "micrographs.star";
    public static final String FOLDER = "micrographs";
    public static final String STACK = "micrographs.mrcs";

    private MicrographExport() {
    }

    public static String run(Storage storage, String processing, String out, boolean stack) throws IOException {
        List<ProcessedMovies.Movie> movies = ProcessedMovies.read(storage, processing);
        List<ProcessedMovies.Movie> withAverage = movies.stream().filter(m -> m.facts().average() != null).toList();
        if (withAverage.isEmpty()) {
            throw new IllegalArgumentException(processing + ": no movie has an exported average; run `fieldwork em batch`"
                    + " with the export step");
        }
        OutputFiles files = new OutputFiles(storage);
        List<StarFile.Micrograph> rows = new ArrayList<>();
        EmFacts first = withAverage.get(0).facts();
        if (stack) {
            if (!Storage.isLocal(out)) {
                throw new IllegalArgumentException("--stack writes one local file; give a local OUT folder, got " + out);
            }
            java.nio.file.Path file = Storage.localPath(Storage.join(out, STACK));
            java.nio.file.Files.createDirectories(file.getParent());
            try (MrcWriter w = MrcWriter.toFile(file, first.width(), first.height(), MrcMode.FLOAT32, first.pixelSizeA(),
                    MrcWriter.Kind.IMAGES)) {
                int n = 0;
                for (ProcessedMovies.Movie m : withAverage) {
                    EmFacts f = m.facts();
                    if (f.width() != first.width() || f.height() != first.height()) {
                        throw new IllegalArgumentException("--stack needs micrographs of one size: " + f.movie() + " is "
                                + f.width() + "x" + f.height() + ", " + first.movie() + " " + first.width() + "x"
                                + first.height());
                    }
                    try (MrcReader r = MrcReader.open(storage, f.average())) {
                        w.write(r.frame(0));
                    }
                    rows.add(row(String.format(Locale.ROOT, "%06d@%s", ++n, file.toAbsolutePath()), f));
                }
            }
        } else {
            for (ProcessedMovies.Movie m : withAverage) {
                String target = Storage.join(out, FOLDER + "/" + m.key() + ".mrc");
                files.writeAtomically(target, files.read(m.facts().average()));
                rows.add(row(ParticleExportJob.local(target), m.facts()));
            }
        }
        StarFile.Optics optics = new StarFile.Optics(1, "opticsGroup1", first.pixelSizeA(), first.voltageKv(), first.csMm(),
                first.amplitudeContrast(), first.pixelSizeA(), first.width());
        files.writeAtomically(Storage.join(out, STAR),
                StarFile.micrographs(List.of(optics), rows).getBytes(StandardCharsets.UTF_8));
        return String.format(Locale.ROOT, "%d micrographs %s; %s", rows.size(),
                stack ? "stacked in " + STACK : "copied to " + FOLDER + "/", STAR);
    }

    private static StarFile.Micrograph row(String name, EmFacts f) {
        return new StarFile.Micrograph(name, 1, f.defocusUUm() == null ? 0 : f.defocusUUm() * 1e4,
                f.defocusVUm() == null ? 0 : f.defocusVUm() * 1e4,
                f.astigmatismAngleDeg() == null ? 0 : f.astigmatismAngleDeg(),
                f.ctfFitResolutionA() == null ? 0 : f.ctfFitResolutionA());
    }
}
