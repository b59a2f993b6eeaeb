package org.fieldwork.seismic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.fieldwork.io.Storage;
import org.fieldwork.testing.Python;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every SEG-Y file in ../shared/data/segy read by Fieldwork against the reference: segyio where it
 * opens the file and knows its format, else an independent numpy decoding (segyio 1.8 knows neither
 * revision 2, nor formats 6, 7 and 9-16, nor an extended-header count of -1). Files neither accepts
 * must give a SegyFormatException that names the file. One python process dumps everything.
 */
class SegyReaderOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dump;
    private static Path dir;
    private static JsonNode index;

    /** One python process reads every file with segyio (numpy where segyio cannot) and dumps it. */
    @BeforeAll
    static void dumpReferences() throws IOException {
        dir = SharedData.require("segy");
        Python.requireModule("segyio");
        String script = new String(SegyReaderOracleTest.class.getResourceAsStream("segy_oracle.py").readAllBytes(), StandardCharsets.UTF_8);
        Python.check(script, dir.toString(), dump.toString());
        index = JSON.readTree(dump.resolve("index.json").toFile());
    }

    @TestFactory
    Stream<DynamicTest> everyFileMatchesTheReference() {
        List<DynamicTest> tests = new ArrayList<>();
        int[] counts = new int[3];
        for (JsonNode rec : index) {
            String file = rec.get("file").asText();
            String oracle = rec.get("oracle").asText();
            Path path = dir.resolve(file);
            counts["segyio".equals(oracle) ? 0 : "numpy".equals(oracle) ? 1 : 2]++;
            tests.add(DynamicTest.dynamicTest(file + " vs " + oracle, () -> {
                if ("none".equals(oracle)) {
                    SegyFormatException e = assertThrows(SegyFormatException.class, () -> SegyReader.open(Storage.defaults(), path.toString()).close(),
                            file + ": segyio said '" + rec.get("segyio").asText() + "', numpy said '" + rec.path("reason").asText() + "'");
                    assertTrue(e.getMessage().contains(path.getFileName().toString()), e.getMessage());
                    System.err.println("expected error: " + e.getMessage());
                } else {
                    int id = rec.get("id").asInt();
                    compare(path, oracle, JSON.readTree(dump.resolve(id + ".json").toFile()), dump.resolve(id + ".f32"));
                }
            }));
        }
        System.err.printf("SEG-Y oracle: %d files vs segyio, %d vs numpy, %d expected errors%n", counts[0], counts[1], counts[2]);
        assertTrue(counts[0] >= 40, "segyio should open most sample files");
        return tests.stream();
    }

    /**
     * The multiformats files hold one data set in every format: the signed ones equal segyio's
     * int32 (Format2) values, the unsigned ones those values modulo 2^bits. So Fieldwork's reading of
     * the formats segyio 1.8 cannot read is checked against segyio itself, not only against numpy.
     */
    @TestFactory
    Stream<DynamicTest> formatsSegyioCannotReadEqualSegyioInt32Data() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String order : List.of("msb", "lsb")) {
            for (int code : new int[] {6, 7, 9, 10, 11, 12, 15, 16}) {
                String name = "multiformats/Format" + code + order + ".sgy";
                tests.add(DynamicTest.dynamicTest(name + " vs segyio Format2" + order, () -> {
                    int base = code == 16 ? 8 : code == 11 ? 3 : 2;
                    JsonNode ref = record("multiformats/Format" + base + order + ".sgy");
                    assertEquals("segyio", ref.get("oracle").asText());
                    int id = ref.get("id").asInt();
                    JsonNode meta = JSON.readTree(dump.resolve(id + ".json").toFile());
                    double modulus = switch (code) {
                        case 10 -> 0x1p32;
                        case 11 -> 0x1p16;
                        case 12 -> 0x1p64;
                        case 15 -> 0x1p24;
                        case 16 -> 0x1p8;
                        default -> 0;
                    };
                    try (SegyReader reader = SegyReader.open(Storage.defaults(), dir.resolve(name).toString())) {
                        SegyLayout layout = reader.layout();
                        assertEquals(code, layout.formatCode());
                        int n = Math.toIntExact(layout.traceCount());
                        int ns = layout.samplesPerTrace();
                        assertEquals(meta.get("tracecount").asInt(), n);
                        assertEquals(meta.get("ns").asInt(), ns);
                        float[] expected = readFloats(dump.resolve(id + ".f32"), n * ns);
                        TraceBlock block = TraceBlock.allFields(n, ns);
                        reader.read(0, n, block);
                        for (int i = 0; i < n * ns; i++) {
                            double v = expected[i];
                            float want = (float) (v < 0 && modulus > 0 ? v + modulus : v);
                            assertEquals(want, block.samples()[i], "sample " + i);
                        }
                        for (Iterator<Map.Entry<String, JsonNode>> it = meta.get("headers").fields(); it.hasNext(); ) {
                            Map.Entry<String, JsonNode> h = it.next();
                            int[] col = block.column(TraceField.valueOf(h.getKey()));
                            for (int t = 0; t < n; t++) {
                                assertEquals(h.getValue().get(t).asInt(), col[t], h.getKey() + " of trace " + t);
                            }
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    private static JsonNode record(String file) {
        for (JsonNode rec : index) {
            if (rec.get("file").asText().equals(file)) {
                return rec;
            }
        }
        throw new AssertionError("no reference for " + file);
    }

    private static void compare(Path path, String oracle, JsonNode meta, Path samplesFile) throws IOException {
        try (SegyReader reader = SegyReader.open(Storage.defaults(), path.toString())) {
            SegyLayout layout = reader.layout();
            String name = path.getFileName().toString();
            assertEquals(!name.contains("lsb"), layout.bigEndian(), "byte order");
            assertEquals(meta.get("tracecount").asLong(), layout.traceCount(), "trace count");
            assertEquals(meta.get("ns").asInt(), layout.samplesPerTrace(), "samples per trace");

            for (Iterator<Map.Entry<String, JsonNode>> it = meta.get("bin").fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Number ours = layout.binaryHeader().get(e.getKey());
                assertNotNull(ours, "binary field " + e.getKey());
                assertEquals(e.getValue().asLong(), ours.longValue(), "binary field " + e.getKey());
            }
            checkText(path, oracle, meta, layout);

            int ns = layout.samplesPerTrace();
            int n = Math.toIntExact(layout.traceCount());
            float[] expected = readFloats(samplesFile, n * ns);
            Map<String, JsonNode> headers = new java.util.TreeMap<>();
            meta.get("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue()));
            assertTrue(headers.size() >= 89, "reference gives the standard fields");
            int blockSize = 7; // odd, so blocks straddle any pattern in the files
            TraceBlock block = TraceBlock.allFields(blockSize, ns);
            for (int first = 0; first < n; first += blockSize) {
                int count = Math.min(blockSize, n - first);
                reader.read(first, count, block);
                for (Map.Entry<String, JsonNode> h : headers.entrySet()) {
                    int[] col = block.column(TraceField.valueOf(h.getKey()));
                    for (int t = 0; t < count; t++) {
                        assertEquals(h.getValue().get(first + t).asInt(), col[t], h.getKey() + " of trace " + (first + t));
                    }
                }
                float[] s = block.samples();
                for (int i = 0; i < count * ns; i++) {
                    float want = expected[first * ns + i];
                    if (Float.floatToIntBits(want) != Float.floatToIntBits(s[i])) {
                        assertEquals(want, s[i], "sample " + (i % ns) + " of trace " + (first + i / ns) + " (bits "
                                + Integer.toHexString(Float.floatToIntBits(want)) + " vs " + Integer.toHexString(Float.floatToIntBits(s[i])) + ")");
                        assertEquals(Float.floatToIntBits(want), Float.floatToIntBits(s[i]), "sign of zero");
                    }
                }
                // The import's path: the same samples straight to little-endian float32 bytes.
                byte[] encoded = new byte[8 + 4 * count * ns];
                java.nio.ByteBuffer le = java.nio.ByteBuffer.wrap(encoded).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                reader.readEncoded(first, count, block, le, 8);
                for (int i = 0; i < count * ns; i++) {
                    int want = Float.floatToIntBits(expected[first * ns + i]);
                    int got = Float.floatToIntBits(Float.intBitsToFloat(le.getInt(8 + 4 * i)));
                    if (want != got) {
                        assertEquals(Integer.toHexString(want), Integer.toHexString(got),
                                "encoded sample " + (i % ns) + " of trace " + (first + i / ns));
                    }
                }
            }
        }
    }

    /**
     * Our text must round-trip to the file's bytes exactly; segyio 1.8 always decodes EBCDIC to
     * ASCII and stops at a NUL, so where it gives a printable character, ours must be the same.
     */
    private static void checkText(Path path, String oracle, JsonNode meta, SegyLayout layout) throws IOException {
        byte[] raw = Arrays.copyOf(Files.readAllBytes(path), 3200);
        boolean ascii = raw[0] == 'C';
        assertEquals(ascii ? "ASCII" : "EBCDIC", layout.textHeaderEncoding());
        // Lossless apart from EBCDIC 0x6A, which reads as '|' like segyio (IBM037 says broken bar).
        String plain = ascii ? new String(raw, StandardCharsets.ISO_8859_1)
                : new String(raw, Charset.forName("IBM037")).replace('\u00a6', '|');
        assertEquals(plain, layout.textHeader(), "textual header");
        if ("segyio".equals(oracle)) {
            JsonNode text = meta.get("text");
            assertEquals(text.size() - 1, layout.extendedTextHeaders().size(), "extended textual headers");
            byte[] all = Files.readAllBytes(path);
            for (int k = 0; k < text.size(); k++) {
                String ours = k == 0 ? layout.textHeader() : layout.extendedTextHeaders().get(k - 1);
                byte[] stanza = Arrays.copyOfRange(all, k == 0 ? 0 : 3600 + 3200 * (k - 1), k == 0 ? 3200 : 3600 + 3200 * k);
                if (k == 0 ? ascii : plainAscii(stanza)) {
                    // segyio 1.8 decodes every stanza as EBCDIC; an ASCII one can only equal its bytes.
                    assertEquals(new String(stanza, StandardCharsets.ISO_8859_1), ours, "ASCII text header " + k);
                    continue;
                }
                String theirs = text.get(k).asText();
                int same = 0;
                for (int i = 0; i < theirs.length(); i++) {
                    char c = theirs.charAt(i);
                    if (c >= 32 && c < 127) {
                        assertEquals(c, ours.charAt(i), "text header " + k + " char " + i);
                        same++;
                    }
                }
                assertTrue(same > 0 || theirs.isEmpty(), "text header " + k);
            }
        } else {
            assertEquals(meta.get("extended").asInt(), layout.extendedTextHeaders().size(), "extended textual headers");
            assertEquals(meta.get("first").asLong(), layout.firstTraceOffset(), "first trace offset");
            assertEquals(meta.get("tsize").asInt(), layout.traceSize(), "trace size");
        }
    }

    /** A stanza written in ASCII: it opens with an ASCII "((" header, or holds only printable ASCII. */
    private static boolean plainAscii(byte[] b) {
        if (b[0] == '(' && b[1] == '(') {
            return true;
        }
        for (byte x : b) {
            if (!(x == 0 || x == '\n' || x == '\r' || (x >= 32 && x < 127))) {
                return false;
            }
        }
        return true;
    }

    private static float[] readFloats(Path file, int count) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(count * 4L, bb.remaining(), "reference sample count");
        float[] out = new float[count];
        bb.asFloatBuffer().get(out);
        return out;
    }
}
