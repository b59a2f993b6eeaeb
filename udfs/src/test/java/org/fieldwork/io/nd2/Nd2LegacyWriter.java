package org.fieldwork.io.nd2;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import ome.codecs.CodecException;
import ome.codecs.JPEG2000Codec;
import ome.codecs.JPEG2000CodecOptions;

/**
 * Synthetic legacy (version 1) ND2 files for tests, laid out as the readers we consulted describe
 * them: the JPEG 2000 signature, {@code ftyp} and {@code jp2h} (with {@code ihdr}) boxes, one
 * lossless codestream box ({@code jp2c}, tag {@code LUNK}) per channel plane per frame, then the XML
 * boxes (per frame {@code VCAL} and {@code VIMD}; {@code ARTT}, {@code TINF} and the experiment box
 * once), then the box map and its trailer. The XML follows the variant style of version 2 files
 * (type-prefixed names, {@code runtype} and {@code value} attributes); real files may differ in detail.
 */
final class Nd2LegacyWriter {

    /** The sample of frame {@code n}, channel plane {@code plane}, component {@code k} at pixel {@code i}. */
    interface Samples {
        int at(int n, int plane, int k, int i);
    }

    private record Entry(String type, String tag, long offset) {
    }

    private final int width;
    private final int height;
    private final int bits;
    private final int components;
    private final int frames;
    private final List<String> planes;
    private double[] timesMs;
    private double pixelSizeUm = Double.NaN;
    private int significantBits;
    private String dimensions;
    private String experimentTag;
    private String experimentXml;
    private boolean frameMetadata = true;

    /** {@code planes} channel planes per frame, named; an empty name writes no name. */
    Nd2LegacyWriter(int width, int height, int bits, int components, int frames, String... planes) {
        this.width = width;
        this.height = height;
        this.bits = bits;
        this.components = components;
        this.frames = frames;
        this.planes = List.of(planes);
    }

    Nd2LegacyWriter times(double... ms) {
        this.timesMs = ms;
        return this;
    }

    Nd2LegacyWriter pixelSize(double um) {
        this.pixelSizeUm = um;
        return this;
    }

    Nd2LegacyWriter significantBits(int n) {
        this.significantBits = n;
        return this;
    }

    /** The text info's dimensions line, e.g. "T(3) x λ(2)". */
    Nd2LegacyWriter dimensions(String line) {
        this.dimensions = line;
        return this;
    }

    /** An experiment box ("AIM1" or "AIMD") holding {@code xml} (without the declaration). */
    Nd2LegacyWriter experiment(String tag, String xml) {
        this.experimentTag = tag;
        this.experimentXml = xml;
        return this;
    }

    /** Leaves out every XML box: a file that says nothing but its image header. */
    Nd2LegacyWriter withoutMetadata() {
        this.frameMetadata = false;
        return this;
    }

    byte[] write(Samples samples) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Entry> map = new ArrayList<>();
        box(out, map, "jP  ", "", new byte[] {0x0D, 0x0A, (byte) 0x87, 0x0A});
        ByteBuffer ftyp = ByteBuffer.allocate(12);
        ftyp.put(ascii("jp2 ")).putInt(0).put(ascii("jp2 "));
        box(out, map, "ftyp", "", ftyp.array());
        box(out, map, "jp2h", "", header());
        for (int n = 0; n < frames; n++) {
            for (int p = 0; p < planes.size(); p++) {
                box(out, map, "jp2c", "LUNK", codestream(samples, n, p));
            }
        }
        if (frameMetadata) {
            for (int n = 0; n < frames; n++) {
                box(out, map, "xml ", "VCAL", xml("<CalibrationSeq _SEQUENCE_INDEX=\"" + n + "\">"
                        + scalar("dCalibration", "double", pixelSizeUm > 0 ? pixelSizeUm : 1) + "</CalibrationSeq>"));
                box(out, map, "xml ", "VIMD", xml(frameMetadata(n)));
            }
            if (significantBits > 0) {
                box(out, map, "xml ", "ARTT", xml("<AdvancedImageAttributes>"
                        + "<AdvancedImageAttributes runtype=\"CLxListVariant\">"
                        + scalar("uiSignificantBits", "lx_uint32", significantBits)
                        + "</AdvancedImageAttributes></AdvancedImageAttributes>"));
            }
            if (dimensions != null) {
                box(out, map, "xml ", "TINF", xml("<TextInfo><TextInfoItem>" + scalar("wsText", "CLxStringW",
                        "Metadata:&#13;&#10;Dimensions: " + dimensions + "&#13;&#10;Camera Name: synthetic&#13;&#10;")
                        + "</TextInfoItem></TextInfo>"));
            }
            if (experimentXml != null) {
                box(out, map, "xml ", experimentTag, xml(experimentXml));
            }
        }
        long mapOffset = out.size();
        ByteBuffer m = ByteBuffer.allocate(4 + map.size() * Nd2BoxIndex.ENTRY + Nd2BoxIndex.TRAILER);
        m.putInt(map.size());
        for (Entry e : map) {
            m.put(ascii(e.type()));
            m.put(e.tag().isEmpty() ? new byte[4] : ascii(e.tag()));
            m.order(ByteOrder.LITTLE_ENDIAN).putLong(e.offset()).order(ByteOrder.BIG_ENDIAN);
        }
        m.put(ascii(Nd2BoxIndex.SIGNATURE));
        long distance = m.capacity();
        m.order(ByteOrder.LITTLE_ENDIAN).putLong(distance);
        out.write(m.array());
        if (out.size() - mapOffset != distance) {
            throw new IllegalStateException("box map size");
        }
        return out.toByteArray();
    }

    Path write(Path file, Samples samples) throws IOException {
        return Files.write(file, write(samples));
    }

    /**
     * The jp2h payload: ihdr (height, width, components, depth - 1, compression type 7, colour space
     * unknown, no IPR) and colr (enumerated: 17 grey, 16 sRGB).
     */
    private byte[] header() {
        ByteBuffer ihdr = ByteBuffer.allocate(14);
        ihdr.putInt(height).putInt(width).putShort((short) components).put((byte) (bits - 1)).put((byte) 7)
                .put((byte) 1).put((byte) 0);
        ByteBuffer colr = ByteBuffer.allocate(7);
        colr.put((byte) 1).put((byte) 0).put((byte) 0).putInt(components == 3 ? 16 : 17);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        box(b, null, "ihdr", "", ihdr.array());
        box(b, null, "colr", "", colr.array());
        return b.toByteArray();
    }

    /** One plane of frame n, lossless JPEG 2000 through ome-codecs. */
    private byte[] codestream(Samples samples, int n, int plane) throws IOException {
        int pixels = width * height;
        int bytes = bits <= 8 ? 1 : 2;
        byte[] raw = new byte[pixels * components * bytes];
        for (int k = 0; k < components; k++) {
            for (int i = 0; i < pixels; i++) {
                int v = samples.at(n, plane, k, i);
                int at = (k * pixels + i) * bytes;
                raw[at] = (byte) v;
                if (bytes == 2) {
                    raw[at + 1] = (byte) (v >>> 8);
                }
            }
        }
        // The defaults are lossless (reversible wavelet, no rate limit) and write a whole JP2 file:
        // the codestream alone is what a jp2c box holds.
        JPEG2000CodecOptions options = JPEG2000CodecOptions.getDefaultOptions();
        options.writeBox = false;
        options.width = width;
        options.height = height;
        options.channels = components;
        options.bitsPerSample = bits;
        options.littleEndian = true;
        options.interleaved = false;
        try {
            return new JPEG2000Codec().compress(raw, options);
        } catch (CodecException e) {
            throw new IOException("JPEG 2000 encoding failed", e);
        }
    }

    private String frameMetadata(int n) {
        StringBuilder planeItems = new StringBuilder();
        for (int p = 0; p < planes.size(); p++) {
            planeItems.append("<a").append(p).append(" runtype=\"CLxListVariant\">")
                    .append(scalar("uiCompCount", "lx_uint32", components))
                    .append(planes.get(p).isEmpty() ? "" : scalar("sOpticalConfigName", "CLxStringW", planes.get(p)))
                    .append(scalar("uiColor", "lx_uint32", 0xFFFFFF))
                    .append("</a").append(p).append('>');
        }
        return "<MetadataSeq _SEQUENCE_INDEX=\"" + n + "\">"
                + (timesMs == null ? "" : scalar("dTimeMSec", "double", timesMs[n]))
                + (pixelSizeUm > 0
                        ? scalar("dCalibration", "double", pixelSizeUm) + scalar("bCalibrated", "bool", "true")
                        : scalar("bCalibrated", "bool", "false"))
                + scalar("wsObjectiveName", "CLxStringW", "Plan Fluor 10x Ph1")
                + scalar("dObjectiveMag", "double", 10) + scalar("dObjectiveNA", "double", 0.3)
                + "<sPicturePlanes runtype=\"CLxListVariant\">"
                + scalar("uiCount", "lx_uint32", planes.size())
                + scalar("uiCompCount", "lx_uint32", planes.size() * components)
                + "<sPlane runtype=\"CLxListVariant\">" + planeItems + "</sPlane>"
                + "</sPicturePlanes></MetadataSeq>";
    }

    static String scalar(String name, String runtype, Object value) {
        return "<" + name + " runtype=\"" + runtype + "\" value=\"" + value + "\"/>";
    }

    private static byte[] xml(String body) {
        return ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void box(ByteArrayOutputStream out, List<Entry> map, String type, String tag, byte[] payload) {
        if (map != null) {
            map.add(new Entry(type, tag, out.size()));
        }
        ByteBuffer h = ByteBuffer.allocate(8).putInt(8 + payload.length).put(ascii(type));
        out.writeBytes(h.array());
        out.writeBytes(payload);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
