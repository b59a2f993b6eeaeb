package org.fieldwork.io.nd2;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
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
 * The XML variant of ND2 metadata (version 2 files: chunks named {@code ImageAttributes!},
 * {@code ImageMetadataSeq|0!}, {@code ImageMetadata!}...), read into the same {@link Nd2Variant} tree
 * as the binary LV variant, and written for synthetic files. Each element carries its type in a
 * {@code runtype} attribute and a scalar's value in {@code value}; list items are named
 * {@code no_name}, and a level's type is {@code CLxListVariant}.
 */
public final class Nd2XmlMetadata {
    private static final String LIST_ITEM = "no_name";

    private Nd2XmlMetadata() {
    }

    /** Parses one XML metadata chunk; the root is the document element ("variant"). */
    public static Nd2Variant read(byte[] data, String file, String chunk) throws Nd2FormatException {
        try {
            DocumentBuilder builder = secureBuilder();
            Element root;
            boolean utf16 = data.length >= 2 && ((data[0] & 0xff) == 0xff && (data[1] & 0xff) == 0xfe
                    || (data[0] & 0xff) == 0xfe && (data[1] & 0xff) == 0xff);
            if (utf16) {
                // Text with a byte-order mark: decode first, then drop the NULs that pad the chunk.
                String text = new String(data, StandardCharsets.UTF_16).replaceFirst("[\\s\\x00]+$", "");
                root = builder.parse(new InputSource(new StringReader(text))).getDocumentElement();
            } else {
                int end = data.length;
                while (end > 0 && (data[end - 1] == 0 || Character.isWhitespace(data[end - 1]))) {
                    end--;
                }
                root = builder.parse(new ByteArrayInputStream(data, 0, end)).getDocumentElement();
            }
            return element(root, file, chunk);
        } catch (SAXException | IOException | ParserConfigurationException e) {
            throw new Nd2FormatException(file, "corrupt XML metadata in chunk " + chunk + ": " + e.getMessage(), e);
        }
    }

    /**
     * A parser for the files' XML: no DOCTYPE, no entity expansion, errors as exceptions only (the
     * JDK's default handler also prints them). For the v2 metadata and the legacy boxes alike.
     */
    static DocumentBuilder secureBuilder() throws ParserConfigurationException {
        DocumentBuilder builder = factory().newDocumentBuilder();
        builder.setErrorHandler(new ThrowingErrorHandler());
        return builder;
    }

    /** Reports parse errors as exceptions only. */
    private static final class ThrowingErrorHandler implements ErrorHandler {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    }

    private static DocumentBuilderFactory factory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        return f;
    }

    private static Nd2Variant element(Element e, String file, String chunk) throws Nd2FormatException {
        String tag = e.getTagName();
        String name = LIST_ITEM.equals(tag) ? "" : tag;
        String runtype = e.getAttribute("runtype");
        String value = e.getAttribute("value");
        try {
            switch (runtype) {
                case "bool":
                    return Nd2Variant.bool(name, value.equalsIgnoreCase("true") || value.equals("1"));
                case "lx_int32":
                    return Nd2Variant.i32(name, (int) Long.parseLong(value.trim()));
                case "lx_uint32":
                    return Nd2Variant.u32(name, Long.parseLong(value.trim()));
                case "lx_int64":
                    return Nd2Variant.i64(name, Long.parseLong(value.trim()));
                case "lx_uint64":
                    return Nd2Variant.u64(name, Long.parseUnsignedLong(value.trim()));
                case "double":
                case "float":
                    return Nd2Variant.f64(name, number(value));
                case "CLxStringW":
                case "unknown":
                    return Nd2Variant.string(name, value);
                case "CLxByteArray":
                    return Nd2Variant.bytes(name, bytes(value));
                default:
                    List<Nd2Variant> children = new ArrayList<>();
                    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
                        if (n instanceof Element child) {
                            children.add(element(child, file, chunk));
                        }
                    }
                    return Nd2Variant.level(name, children);
            }
        } catch (NumberFormatException ex) {
            throw new Nd2FormatException(file, "corrupt XML metadata in chunk " + chunk + ": <" + tag + "> of type "
                    + runtype + " has the value '" + value + "'", ex);
        }
    }

    private static double number(String s) {
        try {
            return Double.parseDouble(s.trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Byte arrays are written as base64; a value that is not base64 is taken as its UTF-8 bytes. */
    private static byte[] bytes(String s) {
        try {
            return Base64.getDecoder().decode(s.trim());
        } catch (IllegalArgumentException e) {
            return s.getBytes(StandardCharsets.UTF_8);
        }
    }

    /** The tree as an XML metadata chunk: {@code root}'s items inside a {@code <variant>} element. */
    public static byte[] write(Nd2Variant root) {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<variant version=\"1.0\">");
        for (Nd2Variant item : root.children()) {
            write(item, sb);
        }
        sb.append("</variant>\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(Nd2Variant v, StringBuilder sb) {
        String tag = v.name().isEmpty() ? LIST_ITEM : v.name();
        sb.append('<').append(tag).append(" runtype=\"").append(v.kind().xmlType).append('"');
        if (v.isLevel()) {
            sb.append('>');
            for (Nd2Variant c : v.children()) {
                write(c, sb);
            }
            sb.append("</").append(tag).append('>');
            return;
        }
        Object value = v.value();
        String text;
        if (value instanceof byte[] b) {
            text = Base64.getEncoder().encodeToString(b);
        } else if (value instanceof Boolean bool) {
            text = bool ? "true" : "false";
        } else if (value instanceof Long l && (v.kind() == Nd2Variant.Kind.UINT64 || v.kind() == Nd2Variant.Kind.POINTER)) {
            text = Long.toUnsignedString(l);
        } else {
            text = String.valueOf(value);
        }
        sb.append(" value=\"").append(escape(text)).append("\"/>");
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\r' -> sb.append("&#13;");
                case '\n' -> sb.append("&#10;");
                case '\t' -> sb.append("&#9;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
