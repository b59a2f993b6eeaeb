package org.fieldwork.io.stack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.fieldwork.io.SeekableInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seam: formats are found through ServiceLoader (a test-only provider stands for a user's
 * jar), ordered by priority, chosen by a file's first bytes, and a file nobody reads gets a
 * message that names it and the formats there are.
 */
class StackFormatsTest {
    @TempDir
    Path dir;

    private static List<String> names() {
        return StackFormats.formats().stream().map(StackFormat::name).toList();
    }

    @Test
    void findsEveryRegisteredFormatHighestPriorityFirst() {
        List<StackFormat> formats = StackFormats.formats();
        List<String> names = names();
        assertTrue(names.contains("tiff"), names.toString());
        assertTrue(names.contains("fakestack"), names.toString());
        assertTrue(names.indexOf("fakestack") < names.indexOf("tiff"), "priority 5 before priority 0: " + names);
        for (int i = 1; i < formats.size(); i++) {
            StackFormat a = formats.get(i - 1);
            StackFormat b = formats.get(i);
            assertTrue(a.priority() > b.priority() || a.priority() == b.priority() && a.name().compareTo(b.name()) <= 0,
                    "order " + names);
        }
    }

    @Test
    void aUserProvidedFormatReadsItsFile() throws IOException {
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes("FAKESTACK 3 2 2\n".getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < 12; i++) {
            file.write(i * 20);
        }
        Path path = dir.resolve("cells.fake");
        Files.write(path, file.toByteArray());
        try (StackReader r = StackFormats.open(path.toString(), SeekableInput.local(path))) {
            assertEquals("fakestack", r.info().format());
            assertEquals(2, r.info().frames());
            float[] plane = new float[6];
            r.read(0, 1, 0, 0, plane);
            assertArrayEquals(new float[] {120, 140, 160, 180, 200, 220}, plane);
        }
    }

    @Test
    void aFileNoFormatReadsNamesItselfAndTheKnownFormats() {
        ByteArrayInput input = new ByteArrayInput("s3a://bucket/run/x.czi", "ZISRAWFILE and more bytes".getBytes(StandardCharsets.US_ASCII));
        IOException e = assertThrows(IOException.class, () -> StackFormats.open("s3a://bucket/run/x.czi", input));
        String m = e.getMessage();
        assertTrue(m.startsWith("s3a://bucket/run/x.czi: no reader for this file (known formats: "), m);
        assertTrue(m.contains("fakestack") && m.contains("tiff"), m);
        assertTrue(m.contains("add a reader jar"), m);
        assertTrue(input.closed(), "the input is closed when no reader takes it");

        IOException empty = assertThrows(IOException.class,
                () -> StackFormats.open("empty.tif", new ByteArrayInput("empty.tif", new byte[0])));
        assertTrue(empty.getMessage().startsWith("empty.tif: no reader for this file, which is empty (known formats: "), empty.getMessage());
    }

    @Test
    void aJarOnTheContextClassLoaderIsFoundPastABrokenEntry() throws IOException {
        Path services = dir.resolve("jar/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve(StackFormat.class.getName()),
                "org.example.NoSuchFormat\n" + FakeStackFormat.ContextOnly.class.getName() + "\n");
        assertFalse(names().contains("context-only"));
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (URLClassLoader jar = new URLClassLoader(new URL[] {dir.resolve("jar").toUri().toURL()}, getClass().getClassLoader())) {
            thread.setContextClassLoader(jar);
            List<String> names = names();
            assertTrue(names.contains("context-only"), names.toString());
            assertTrue(names.contains("tiff"), names.toString());
            assertEquals(names.stream().distinct().toList(), names, "each format once");
            IOException e = assertThrows(IOException.class,
                    () -> StackFormats.open("x.czi", new ByteArrayInput("x.czi", new byte[] {1, 2, 3, 4})));
            assertTrue(e.getMessage().contains("readers that failed to load: ")
                    && e.getMessage().contains("org.example.NoSuchFormat"), e.getMessage());
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    @Test
    void tiffIsRecognisedByItsMagicWhateverTheName() {
        TiffStackFormat tiff = new TiffStackFormat();
        byte[] little = {'I', 'I', 42, 0, 8, 0, 0, 0};
        byte[] big = {'M', 'M', 0, 42, 0, 0, 0, 8};
        byte[] bigTiff = {'I', 'I', 43, 0, 8, 0, 0, 0};
        assertTrue(tiff.accepts("stack.dat", little));
        assertTrue(tiff.accepts("no-extension", big));
        assertTrue(tiff.accepts("huge.ome.tif", bigTiff));
        assertFalse(tiff.accepts("fake.tif", "FAKESTACK 1 1 1\n".getBytes(StandardCharsets.US_ASCII)));
        assertFalse(tiff.accepts("short.tif", new byte[] {'I', 'I'}));
        assertFalse(tiff.accepts("png.tif", new byte[] {(byte) 0x89, 'P', 'N', 'G'}));
    }
}
