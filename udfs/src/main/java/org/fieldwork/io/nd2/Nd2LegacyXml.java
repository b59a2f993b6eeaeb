package org.fieldwork.io.nd2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The XML metadata boxes of legacy ND2 files ({@code VIMD} frame metadata, {@code TINF} text info,
 * {@code AIM1}/{@code AIMD} experiment, {@code ARTT} image attributes...), read into an
 * {@link Nd2Variant} tree. They resemble the XML of version 2 files, looser: a scalar carries
 * {@code value} with or without a {@code runtype}, some hold their value as text, list items are
 * {@code no_name}, and names start with a lower-case type prefix ({@code dTimeMSec}, {@code uiCount})
 * that varies, so items are looked up by the name after that prefix ({@link #item}).
 */
final class Nd2LegacyXml {
    private static final Pattern TYPE_PREFIX = Pattern.compile("^[a-z_]+(?=[A-Z0-9])");
    private static final String LIST_ITEM = "no_name";
    private static final int MAX_DEPTH = 128;

    private Nd2LegacyXml() {
    }

    /** Parses one XML box; the root element becomes the root level. */
    static Nd2Variant read(byte[] data, String file, String box) throws Nd2FormatException {
        try {
            DocumentBuilder builder = Nd2XmlMetadata.secureBuilder();
            Element root;
            boolean utf16 = data.length >= 2 && ((data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xfe
                    || (data[0] & 0xff) == 0xfe && (data[1] & 0xff) == 0xff);
            if (utf16) {
                String text = withoutControls(new String(data, StandardCharsets.UTF_16));
                root = builder.parse(new InputSource(new StringReader(text.strip()))).getDocumentElement();
            } else {
                byte[] clean = withoutControls(data);
                int end = clean.length;
                while (end > 0 && (clean[end - 1] == ' ' || Character.isWhitespace(clean[end - 1]))) {
                    end--;
                }
                root = builder.parse(new ByteArrayInputStream(clean, 0, end)).getDocumentElement();
            }
            return element(root, 0, file, box);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new Nd2FormatException(file, "corrupt XML metadata in " + box + ": " + e.getMessage(), e);
        }
    }

    /**
     * Control characters (NUL padding, stray bytes) become spaces: XML forbids them, and old files
     * have them. Bytes at 0x80 and above are kept, so UTF-8 text is untouched.
     */
    private static byte[] withoutControls(byte[] data) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            int c = out[i] & 0xff;
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                out[i] = ' ';
            }
        }
        return out;
    }

    private static String withoutControls(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 && c != '\t' && c != '\n' && c != '\r' ? ' ' : c);
        }
        return sb.toString();
    }

    private static Nd2Variant element(Element e, int depth, String file, String box) throws Nd2FormatException {
        if (depth > MAX_DEPTH) {
            throw new Nd2FormatException(file, "corrupt XML metadata in " + box + ": nested more than " + MAX_DEPTH
                    + " levels deep");
        }
        String tag = e.getTagName();
        String name = LIST_ITEM.equals(tag) ? "" : tag;
        if (e.hasAttribute("value")) {
            return scalar(name, e.getAttribute("runtype"), e.getAttribute("value"));
        }
        List<Nd2Variant> children = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                children.add(element(child, depth + 1, file, box));
            }
        }
        if (children.isEmpty() && !e.getTextContent().isBlank()) {
            return scalar(name, e.getAttribute("runtype"), e.getTextContent().trim());
        }
        return Nd2Variant.level(name, children);
    }

    /** A scalar of the run type; a number that does not parse stays text, as the value was written. */
    private static Nd2Variant scalar(String name, String runtype, String value) {
        String v = value.trim();
        try {
            return switch (runtype) {
                case "bool" -> Nd2Variant.bool(name, v.equalsIgnoreCase("true") || v.equals("1"));
                case "lx_int32" -> Nd2Variant.i32(name, (int) Long.parseLong(v));
                case "lx_uint32" -> Nd2Variant.u32(name, Long.parseLong(v));
                case "lx_int64" -> Nd2Variant.i64(name, Long.parseLong(v));
                case "lx_uint64" -> Nd2Variant.u64(name, Long.parseUnsignedLong(v));
                case "double", "float" -> Nd2Variant.f64(name, Double.parseDouble(v));
                default -> Nd2Variant.string(name, value);
            };
        } catch (NumberFormatException ex) {
            return Nd2Variant.string(name, value);
        }
    }

    /** The name without its lower-case type prefix: "dTimeMSec" is "TimeMSec", plane "a0" is "0". */
    static String key(String name) {
        return TYPE_PREFIX.matcher(name).replaceFirst("");
    }

    /** The first item of a level named {@code key} after its type prefix, or null. */
    static Nd2Variant item(Nd2Variant level, String key) {
        if (level == null || !level.isLevel()) {
            return null;
        }
        for (Nd2Variant c : level.children()) {
            if (c.name().equals(key) || key(c.name()).equals(key)) {
                return c;
            }
        }
        return null;
    }

    /** The shallowest item named {@code key} anywhere below {@code root} (breadth first), or null. */
    static Nd2Variant search(Nd2Variant root, String key) {
        if (root == null) {
            return null;
        }
        Deque<Nd2Variant> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Nd2Variant v = queue.poll();
            if (!v.isLevel()) {
                continue;
            }
            Nd2Variant hit = item(v, key);
            if (hit != null) {
                return hit;
            }
            queue.addAll(v.children());
        }
        return null;
    }

    /** A number found by {@link #search}; NaN where there is none or it is not a number. */
    static double number(Nd2Variant root, String key) {
        Nd2Variant v = search(root, key);
        if (v == null || v.isLevel()) {
            return Double.NaN;
        }
        double d = v.asDouble(Double.NaN);
        if (Double.isNaN(d) && v.value() instanceof String s) {
            try {
                return Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return d;
    }

    /** A whole number, also where the file wrote it as text; the fallback where there is none. */
    static long whole(Nd2Variant v, long fallback) {
        if (v == null || v.isLevel()) {
            return fallback;
        }
        if (v.value() instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return fallback;
            }
        }
        return v.asLong(fallback);
    }

    /** A yes/no, also where the file wrote it as text; the fallback where there is none. */
    static boolean flag(Nd2Variant v, boolean fallback) {
        if (v == null || v.isLevel()) {
            return fallback;
        }
        if (v.value() instanceof String s) {
            String t = s.trim();
            return t.equalsIgnoreCase("true") || t.equals("1") || !(t.equalsIgnoreCase("false") || t.equals("0"))
                    && fallback;
        }
        return v.asBool(fallback);
    }

    /** A text found by {@link #search}; "" where there is none. */
    static String text(Nd2Variant root, String key) {
        Nd2Variant v = search(root, key);
        return v == null || v.isLevel() ? "" : String.valueOf(v.value()).trim();
    }

    /** Every text value below {@code root}, in document order. */
    static List<String> texts(Nd2Variant root) {
        List<String> out = new ArrayList<>();
        if (root != null) {
            collect(root, out);
        }
        return out;
    }

    private static void collect(Nd2Variant v, List<String> out) {
        if (v.isLevel()) {
            for (Nd2Variant c : v.children()) {
                collect(c, out);
            }
        } else if (v.value() instanceof String s) {
            out.add(s);
        }
    }
}
