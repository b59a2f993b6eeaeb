package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Bit-exact parity with Python's cv2 and numpy: for every shared sample folder whose template
 * loads, the mean gray of every bubble (printed as Python's repr) equals what
 * {@code omr_oracle.py} computes with Debian's python3-opencv. Answers can match by luck; these
 * numbers cannot.
 */
class OmrOpenCvOracleTest {
    @TestFactory
    Stream<DynamicTest> bubbleMeansEqualPythonCv2BitForBit() throws IOException {
        Path samples = SharedData.require("omr/samples");
        Python.requireModule("cv2");
        String oracle;
        try (InputStream in = getClass().getResourceAsStream("omr_oracle.py")) {
            oracle = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Path> folders = new ArrayList<>();
        try (Stream<Path> s = Files.walk(samples)) {
            s.filter(Files::isDirectory).sorted().forEach(folders::add);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Path dir : folders) {
            FolderConfig config;
            try {
                config = FolderConfig.load(samples, dir);
            } catch (OmrConfigException e) {
                continue; // no template up the tree, or one OMRChecker rejects too (OmrConfigErrorsTest)
            }
            OmrFolders.ImageFolder folder = OmrFolders.folder(samples, dir);
            if (folder.images().isEmpty()) {
                continue;
            }
            String relative = samples.relativize(dir).toString().replace('\\', '/');
            final String script = oracle;
            tests.add(DynamicTest.dynamicTest(relative, () -> {
                String expected = Python.check(script, samples.toString(), relative);
                StringBuilder actual = new StringBuilder();
                for (Path image : folder.images()) {
                    String name = image.getFileName().toString();
                    SheetResult r = SheetProcessor.process(config, Files.readAllBytes(image), name);
                    if (r.isError()) {
                        actual.append(name).append(" ERROR\n");
                        continue;
                    }
                    for (FieldReading f : r.fields) {
                        actual.append(name).append(' ').append(f.label());
                        for (double m : f.bubbleMeans()) {
                            actual.append(' ').append(PythonText.floatStr(m));
                        }
                        actual.append('\n');
                    }
                }
                assertEquals(expected, actual.toString(), relative);
            }));
        }
        assertFalse(tests.isEmpty());
        return tests.stream();
    }
}
