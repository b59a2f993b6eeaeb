package org.fieldwork.io.nd2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.testing.SharedData;
import org.junit.jupiter.api.Test;

/** The two metadata encodings: binary LV ({@link LvReader}, {@link LvWriter}) and XML ({@link Nd2XmlMetadata}). */
class Nd2MetadataEncodingTest {

    private static Nd2Variant sample() {
        return Nd2Variant.level("",
                Nd2Variant.level("SLxSample",
                        Nd2Variant.bool("bOn", true),
                        Nd2Variant.bool("bOff", false),
                        Nd2Variant.i32("iNegative", -7),
                        Nd2Variant.u32("uiBig", 0xfffffff0L),
                        Nd2Variant.i64("lNegative", -1L << 40),
                        Nd2Variant.u64("ulTop", -2L),
                        Nd2Variant.pointer("pSomething", 0x1234_5678_9abcL),
                        Nd2Variant.f64("dCalibration", 0.323390342594048),
                        Nd2Variant.string("wsObjectiveName", "Plan Apo λ 20x \"oil\" <&>"),
                        Nd2Variant.string("sEmpty", ""),
                        Nd2Variant.bytes("pItemValid", new byte[] {1, 0, 1, 1}),
                        Nd2Variant.level("sEmptyLevel"),
                        Nd2Variant.level("Points",
                                Nd2Variant.level("", Nd2Variant.string("dPosName", "A1")),
                                Nd2Variant.level("", Nd2Variant.string("dPosName", "größe µm"))),
                        Nd2Variant.f64("dRepeated", 1.0),
                        Nd2Variant.f64("dRepeated", 2.0)));
    }

    /** Same names, values and structure; XML keeps a pointer as an unsigned 64-bit value. */
    static void assertSameTree(Nd2Variant want, Nd2Variant got, boolean viaXml) {
        assertEquals(want.name(), got.name());
        Nd2Variant.Kind kind = viaXml && want.kind() == Nd2Variant.Kind.POINTER ? Nd2Variant.Kind.UINT64 : want.kind();
        assertEquals(kind, got.kind(), want.name());
        if (want.value() instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) got.value(), want.name());
        } else {
            assertEquals(want.value(), got.value(), want.name());
        }
        assertEquals(want.children().size(), got.children().size(), want.name());
        for (int i = 0; i < want.children().size(); i++) {
            assertSameTree(want.children().get(i), got.children().get(i), viaXml);
        }
    }

    @Test
    void lvRoundTripsEveryKind() throws IOException {
        Nd2Variant tree = sample();
        byte[] lv = LvWriter.write(tree);
        assertSameTree(tree, LvReader.read(lv, "f.nd2", "Test!"), false);
        Nd2Variant s = LvReader.read(lv, "f.nd2", "Test!").unwrap();
        assertEquals(-2L, s.child("ulTop").value());
        assertEquals(Math.pow(2, 64) - 2, s.childDouble("ulTop", 0));
        assertEquals(0xfffffff0L, s.childLong("uiBig", 0));
        assertEquals("größe µm", s.find("Points").children().get(1).childString("dPosName", null));
    }

    @Test
    void xmlRoundTripsEveryKind() throws IOException {
        Nd2Variant tree = sample();
        byte[] xml = Nd2XmlMetadata.write(tree);
        Nd2Variant read = Nd2XmlMetadata.read(xml, "f.nd2", "Test!");
        assertEquals("variant", read.name());
        assertSameTree(tree.children().get(0), read.children().get(0), true);
        assertTrue(new String(xml, StandardCharsets.UTF_8).contains("<no_name runtype=\"CLxListVariant\">"),
                "list items are no_name elements");
    }

    @Test
    void xmlAsVersion2FilesWriteIt() throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<variant version=\"1.0\"><no_name runtype=\"CLxListVariant\">"
                + "<uiWidth runtype=\"lx_uint32\" value=\"512\"/><uiWidthBytes runtype=\"lx_uint32\" value=\"1024\"/>"
                + "<uiHeight runtype=\"lx_uint32\" value=\"256\"/><uiComp runtype=\"lx_uint32\" value=\"1\"/>"
                + "<uiBpcInMemory runtype=\"lx_uint32\" value=\"16\"/><uiBpcSignificant runtype=\"lx_uint32\" value=\"12\"/>"
                + "<uiSequenceCount runtype=\"lx_uint32\" value=\"10\"/><eCompression runtype=\"lx_int32\" value=\"2\"/>"
                + "<dUnknown runtype=\"double\" value=\"not a number\"/>"
                + "</no_name></variant>\0\0";
        byte[] le = xml.getBytes(StandardCharsets.UTF_16LE);
        byte[] withMark = new byte[le.length + 2];
        withMark[0] = (byte) 0xff;
        withMark[1] = (byte) 0xfe;
        System.arraycopy(le, 0, withMark, 2, le.length);
        for (byte[] encoded : List.of(xml.getBytes(StandardCharsets.UTF_16), withMark,
                xml.replace("UTF-16", "UTF-8").getBytes(StandardCharsets.UTF_8))) {
            Nd2Attributes a = Nd2Attributes.from(Nd2XmlMetadata.read(encoded, "v2.nd2", "ImageAttributes!").unwrap(),
                    "v2.nd2", "ImageAttributes!");
            assertEquals(new Nd2Attributes(512, 1024, 256, 1, 16, 12, 10, Nd2Attributes.NONE), a);
        }

        Nd2FormatException e = assertThrows(Nd2FormatException.class,
                () -> Nd2XmlMetadata.read("<variant><a runtype=\"lx_int32\" value=\"x\"/></variant>".getBytes(StandardCharsets.UTF_8),
                        "v2.nd2", "ImageAttributes!"));
        assertTrue(e.getMessage().startsWith("v2.nd2: corrupt XML metadata in chunk ImageAttributes!"), e.getMessage());
        e = assertThrows(Nd2FormatException.class,
                () -> Nd2XmlMetadata.read("<variant><a>".getBytes(StandardCharsets.UTF_8), "v2.nd2", "ImageMetadata!"));
        assertTrue(e.getMessage().startsWith("v2.nd2: corrupt XML metadata in chunk ImageMetadata!"), e.getMessage());
    }

    @Test
    void compressedLvBlocks() throws IOException {
        Nd2Variant plain = Nd2Variant.level("", Nd2Variant.u32("uiBefore", 1));
        Nd2Variant packed = Nd2Variant.level("", Nd2Variant.string("sInside", "deflated"),
                Nd2Variant.level("sLevel", Nd2Variant.f64("dValue", 2.5)));
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream out = new DeflaterOutputStream(z, new Deflater())) {
            out.write(LvWriter.write(packed));
        }
        // Type 76 ('L'), a name-length byte, 10 bytes we skip, then zlib data to the end.
        for (int skip : new int[] {10, 8}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(LvWriter.write(plain));
            b.write(76);
            b.write(0);
            b.writeBytes(new byte[skip]);
            b.writeBytes(z.toByteArray());
            Nd2Variant read = LvReader.read(b.toByteArray(), "c.nd2", "ImageMetadataSeqLV|0!");
            assertEquals(List.of("uiBefore", "sInside", "sLevel"), read.children().stream().map(Nd2Variant::name).toList());
            assertEquals(2.5, read.find("sLevel", "dValue").asDouble(0));
        }
        byte[] bad = {76, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x78, (byte) 0x9c, 1, 2, 3};
        Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> LvReader.read(bad, "c.nd2", "X!"));
        assertTrue(e.getMessage().startsWith("c.nd2: corrupt metadata in chunk X!"), e.getMessage());
    }

    @Test
    void corruptLvNamesTheChunkAndTheByte() {
        byte[] lv = LvWriter.write(sample());
        Nd2FormatException cut = assertThrows(Nd2FormatException.class,
                () -> LvReader.read(Arrays.copyOf(lv, lv.length - 20), "d.nd2", "ImageMetadataLV!"));
        assertTrue(cut.getMessage().startsWith("d.nd2: corrupt metadata in chunk ImageMetadataLV! at byte 0: level 'SLxSample'"),
                cut.getMessage());
        byte[] unknown = {10, 2, 'a', 0, 0, 0};
        Nd2FormatException e = assertThrows(Nd2FormatException.class, () -> LvReader.read(unknown, "d.nd2", "Y!"));
        assertEquals("d.nd2: corrupt metadata in chunk Y! at byte 0: unknown value type 10 for 'a'", e.getMessage());
        byte[] noEnd = {8, 2, 's', 0, 0, 0, 'x', 0};
        e = assertThrows(Nd2FormatException.class, () -> LvReader.read(noEnd, "d.nd2", "Y!"));
        assertTrue(e.getMessage().contains("string 's' has no terminator"), e.getMessage());
    }

    /**
     * The LV chunks of the real files decode and re-encode to the same tree; where no level holds
     * two items of one name (the order of offsets among equal names is NIS-Elements' own), to the
     * same bytes, the trailing offset tables included.
     */
    @Test
    void realChunksReencodeAsNisElementsWroteThem() throws IOException {
        Set<String> exact = Set.of("ImageAttributesLV!", "ImageTextInfoLV!", "ImageCalibrationLV|0!");
        int checked = 0;
        for (String name : new String[] {"example-timelapse.nd2", "example-multichannel.nd2", "example-cerevisiae.nd2"}) {
            Path file = SharedData.require("nd2/" + name);
            try (SeekableInput in = SeekableInput.local(file)) {
                Nd2ChunkMap map = Nd2ChunkMap.read(in);
                for (Nd2ChunkMap.Entry e : map.entries()) {
                    if (!e.name().contains("LV")) {
                        continue;
                    }
                    byte[] data = map.readData(in, e);
                    Nd2Variant tree = LvReader.read(data, name, e.name());
                    byte[] again = LvWriter.write(tree);
                    assertEquals(data.length, again.length, name + " " + e.name());
                    assertSameTree(tree, LvReader.read(again, name, e.name()), false);
                    if (exact.contains(e.name())) {
                        assertArrayEquals(data, again, name + " " + e.name());
                    }
                    checked++;
                }
            }
        }
        assertEquals(13, checked);
    }
}
