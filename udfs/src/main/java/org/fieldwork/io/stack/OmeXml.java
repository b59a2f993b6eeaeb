package org.fieldwork.io.stack;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * The OME-XML that an OME-TIFF keeps in its first page's ImageDescription: the first Image's
 * sizes, DimensionOrder, channel names, pixel size and plane timing, and the TiffData elements
 * that say which page (IFD) holds each plane. Elements are matched by local name, so every
 * schema version reads alike.
 */
final class OmeXml {
    private OmeXml() {
    }

    /** Whether an ImageDescription holds OME-XML. */
    static boolean holds(String description) {
        String d = description.stripLeading();
        return d.startsWith("<") && d.contains("<OME");
    }

    /**
     * The layout of the first Image.
     *
     * @param fileName this file's own name, to tell its planes from those of other files in a multi-file set
     * @param samples  samples per page (OME's SizeC counts each sample of an RGB page as a channel)
     */
    static PlaneLayout layout(String name, String xml, String fileName, int samples) throws IOException {
        Element root = parse(name, xml);
        Element image = child(root, "Image");
        Element pixels = image == null ? null : child(image, "Pixels");
        if (pixels == null) {
            throw new IOException(name + ": the OME-XML in the first page's ImageDescription has no Image with Pixels");
        }
        int sizeZ = positive(name, pixels, "SizeZ");
        int sizeC = positive(name, pixels, "SizeC");
        int sizeT = positive(name, pixels, "SizeT");
        String order = pixels.getAttribute("DimensionOrder");
        if (!order.matches("XY(ZCT|ZTC|CZT|CTZ|TZC|TCZ)")) {
            throw new IOException(name + ": OME-XML DimensionOrder=\"" + order + "\" is not XY followed by Z, C and T");
        }
        if (sizeC % samples != 0) {
            throw new IOException(name + ": OME-XML SizeC=" + sizeC + " is not a multiple of the " + samples
                    + " samples per pixel of the first page");
        }
        int planesC = sizeC / samples;
        long planeCount = (long) sizeZ * planesC * sizeT;
        if (planeCount > Integer.MAX_VALUE) {
            throw new IOException(name + ": OME-XML says " + planeCount + " planes, more than a TIFF can hold");
        }
        int[] sizes = new int[128];
        sizes['Z'] = sizeZ;
        sizes['C'] = planesC;
        sizes['T'] = sizeT;
        int[] ifdOfPlane = ifds(name, root, pixels, fileName, (int) planeCount, order, sizes);
        int[] pages = new int[(int) planeCount];
        for (int t = 0; t < sizeT; t++) {
            for (int z = 0; z < sizeZ; z++) {
                for (int c = 0; c < planesC; c++) {
                    pages[(t * sizeZ + z) * planesC + c] = ifdOfPlane[planeIndex(order, sizes, z, c, t)];
                }
            }
        }

        List<String> names = new ArrayList<>();
        for (Element channel : children(pixels, "Channel")) {
            names.add(channel.hasAttribute("Name") ? channel.getAttribute("Name") : null);
        }
        List<String> channels = names.size() == sizeC && samples > 1
                ? PlaneLayout.channelNames(names, sizeC, 1)
                : PlaneLayout.channelNames(names, planesC, samples);

        double pixelSizeUm = Double.NaN;
        if (pixels.hasAttribute("PhysicalSizeX")) {
            String unit = pixels.hasAttribute("PhysicalSizeXUnit") ? pixels.getAttribute("PhysicalSizeXUnit") : "\u00b5m";
            pixelSizeUm = number(pixels.getAttribute("PhysicalSizeX")) * PlaneLayout.micrometres(unit);
        }
        int significantBits = pixels.hasAttribute("SignificantBits") ? (int) number(pixels.getAttribute("SignificantBits")) : 0;

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("dimensionOrder", order);
        if (root.hasAttribute("Creator")) {
            extra.put("creator", root.getAttribute("Creator"));
        }
        int images = children(root, "Image").size();
        if (images > 1) {
            extra.put("omeImages", images + " (only the first is read)");
        }
        return new PlaneLayout("OME-TIFF", sizeT, sizeZ, planesC, pages, channels, pixelSizeUm,
                Math.max(significantBits, 0), frameTimes(pixels, sizeT), extra);
    }

    /**
     * The IFD of each plane (in DimensionOrder) from the TiffData elements; -1 for planes another
     * file holds. Without TiffData the planes fill the pages in order.
     */
    private static int[] ifds(String name, Element root, Element pixels, String fileName, int planes, String order,
                              int[] sizes) throws IOException {
        int[] ifd = new int[planes];
        List<Element> tiffData = children(pixels, "TiffData");
        if (tiffData.isEmpty()) {
            Arrays.setAll(ifd, i -> i);
            return ifd;
        }
        Arrays.fill(ifd, -1);
        String rootUuid = root.getAttribute("UUID");
        for (Element data : tiffData) {
            Element uuid = child(data, "UUID");
            if (uuid != null && !uuid.getTextContent().trim().equals(rootUuid)
                    && !uuid.getAttribute("FileName").equals(fileName)) {
                continue;
            }
            int first = data.hasAttribute("IFD") ? whole(name, data, "IFD") : 0;
            int z = attr(name, data, "FirstZ");
            int c = attr(name, data, "FirstC");
            int t = attr(name, data, "FirstT");
            if (z >= sizes['Z'] || c >= sizes['C'] || t >= sizes['T']) {
                throw new IOException(name + ": OME-XML TiffData FirstZ=" + z + " FirstC=" + c + " FirstT=" + t
                        + " lies outside SizeZ=" + sizes['Z'] + " x " + sizes['C'] + " channel planes x SizeT=" + sizes['T']);
            }
            int start = planeIndex(order, sizes, z, c, t);
            int count = data.hasAttribute("PlaneCount") ? whole(name, data, "PlaneCount")
                    : data.hasAttribute("IFD") ? 1 : planes - start;
            for (int k = 0; k < count && start + k < planes; k++) {
                ifd[start + k] = first + k;
            }
        }
        return ifd;
    }

    /** A plane's index in DimensionOrder: the first letter after XY varies fastest. */
    private static int planeIndex(String order, int[] sizes, int z, int c, int t) {
        int index = 0;
        for (int i = 4; i >= 2; i--) {
            char dim = order.charAt(i);
            int v = dim == 'Z' ? z : dim == 'C' ? c : t;
            index = index * sizes[dim] + v;
        }
        return index;
    }

    /**
     * Seconds of each time point from the first: the DeltaT of each time point's plane at z 0 and
     * channel 0, else TimeIncrement; empty when neither is given.
     */
    private static double[] frameTimes(Element pixels, int sizeT) {
        double[] times = new double[sizeT];
        Arrays.fill(times, Double.NaN);
        for (Element plane : children(pixels, "Plane")) {
            int t = (int) number(plane.getAttribute("TheT"), 0);
            if (number(plane.getAttribute("TheZ"), 0) == 0 && number(plane.getAttribute("TheC"), 0) == 0
                    && t >= 0 && t < sizeT && plane.hasAttribute("DeltaT")) {
                String unit = plane.hasAttribute("DeltaTUnit") ? plane.getAttribute("DeltaTUnit") : "s";
                times[t] = number(plane.getAttribute("DeltaT")) * PlaneLayout.seconds(unit);
            }
        }
        if (Arrays.stream(times).noneMatch(Double::isNaN)) {
            double t0 = times[0];
            return Arrays.stream(times).map(v -> v - t0).toArray();
        }
        if (pixels.hasAttribute("TimeIncrement")) {
            String unit = pixels.hasAttribute("TimeIncrementUnit") ? pixels.getAttribute("TimeIncrementUnit") : "s";
            double step = number(pixels.getAttribute("TimeIncrement")) * PlaneLayout.seconds(unit);
            if (!Double.isNaN(step)) {
                Arrays.setAll(times, t -> t * step);
                return times;
            }
        }
        return new double[0];
    }

    /** Parses with the JDK's own parser, with DOCTYPEs (and so external entities) refused. */
    private static Element parse(String name, String xml) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            Element root = builder.parse(new InputSource(new StringReader(xml.strip()))).getDocumentElement();
            if (!"OME".equals(root.getLocalName())) {
                throw new IOException(name + ": the first page's ImageDescription is XML but its root is <"
                        + root.getTagName() + ">, not <OME>");
            }
            return root;
        } catch (SAXException e) {
            throw new IOException(name + ": the OME-XML in the first page's ImageDescription is not well-formed: "
                    + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser refuses its own settings", e);
        }
    }

    private static Element child(Element parent, String localName) {
        List<Element> all = children(parent, localName);
        return all.isEmpty() ? null : all.get(0);
    }

    private static List<Element> children(Element parent, String localName) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName())) {
                out.add(e);
            }
        }
        return out;
    }

    private static int positive(String name, Element e, String attribute) throws IOException {
        int v = whole(name, e, attribute);
        if (v < 1) {
            throw new IOException(name + ": OME-XML " + e.getLocalName() + " " + attribute + "=" + v + " is not positive");
        }
        return v;
    }

    /** An optional non-negative attribute, 0 when absent. */
    private static int attr(String name, Element e, String attribute) throws IOException {
        return e.hasAttribute(attribute) ? whole(name, e, attribute) : 0;
    }

    private static int whole(String name, Element e, String attribute) throws IOException {
        String v = e.getAttribute(attribute);
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException ex) {
            // reported below
        }
        throw new IOException(name + ": OME-XML " + e.getLocalName() + " " + attribute + "=\"" + v
                + "\" is not a whole number");
    }

    private static double number(String v) {
        return number(v, Double.NaN);
    }

    private static double number(String v, double fallback) {
        try {
            return v.isEmpty() ? fallback : Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
