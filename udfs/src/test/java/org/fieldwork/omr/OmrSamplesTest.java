package org.fieldwork.omr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every shared sample folder that has OMRChecker's expected CSVs is processed sequentially and its
 * Results, MultiMarkedFiles and ErrorFiles are compared row by row with {@link OmrExpected}.
 */
class OmrSamplesTest {
    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> everySampleWithExpectedOutputsMatchesOmrChecker() throws IOException {
        Path samples = SharedData.require("omr/samples");
        Path expected = SharedData.require("omr/expected");
        return OmrExpected.cases(samples, expected).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            OmrFolders.ImageFolder folder = OmrFolders.folder(samples, c.sample());
            List<SheetResult> results = new ArrayList<>();
            for (Path image : folder.images()) {
                results.add(SheetProcessor.process(folder.config(), Files.readAllBytes(image),
                        image.getFileName().toString(), samples.getParent().relativize(image).toString(), 0));
            }
            Path outDir = out.resolve(c.name());
            ResultsCsv.write(outDir, folder.config(), results);
            OmrExpected.assertSameAsExpected(c, outDir);
        }));
    }
}
