package org.fieldwork.io.stack;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where each plane of a TIFF stack lies: the page (IFD) holding time point t, z slice z and
 * channel plane c, as the file's metadata (OME-XML, an ImageJ description, or none) lays them out,
 * together with what that metadata says about the stack.
 *
 * <p>A channel plane is one page's worth of a channel; a page with several samples (RGB) holds
 * {@code channels.size() / channelPlanes} channels, one per sample.
 *
 * @param kind           "OME-TIFF", "ImageJ hyperstack" or "multi-page TIFF"
 * @param frames         time points
 * @param zSlices        z slices
 * @param channelPlanes  channel planes (pages per time point and z slice)
 * @param pages          the page of each plane at {@code (t * zSlices + z) * channelPlanes + c}; -1
 *                       for a plane kept in another file of a multi-file OME-TIFF set
 * @param channels       every channel's name, sample by sample within each channel plane
 * @param pixelSizeUm    micrometres per pixel; NaN when the metadata does not say
 * @param significantBits bits used of each integer pixel when the metadata says; 0 otherwise
 * @param frameTimesS    seconds of each time point from the first; empty when the metadata does not say
 * @param extra          what else the metadata says worth printing, in a stable order
 */
record PlaneLayout(String kind, int frames, int zSlices, int channelPlanes, int[] pages, List<String> channels,
                   double pixelSizeUm, int significantBits, double[] frameTimesS, Map<String, String> extra) {

    /** A plain multi-page TIFF: each page is the next time point. */
    static PlaneLayout frames(int pages, int samples, double pixelSizeUm) {
        int[] order = new int[pages];
        for (int i = 0; i < pages; i++) {
            order[i] = i;
        }
        return new PlaneLayout("multi-page TIFF", pages, 1, 1, order, channelNames(List.of(), 1, samples),
                pixelSizeUm, 0, new double[0], Map.of());
    }

    /** The page of one plane, or -1 when another file holds it. */
    int page(int time, int z, int channelPlane) {
        return pages[(time * zSlices + z) * channelPlanes + channelPlane];
    }

    /**
     * The names of all channels: each channel plane's name (or "Channel i" when it has none), and
     * for pages of several samples one name per sample ("GFP 0", "GFP 1"...).
     */
    static List<String> channelNames(List<String> planeNames, int channelPlanes, int samples) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < channelPlanes; c++) {
            String name = c < planeNames.size() ? planeNames.get(c) : null;
            for (int s = 0; s < samples; s++) {
                if (name == null || name.isBlank()) {
                    names.add("Channel " + names.size());
                } else {
                    names.add(samples == 1 ? name : name + " " + s);
                }
            }
        }
        return names;
    }

    /** The number of micrometres in one {@code unit} (OME's UnitsLength symbols, ImageJ's words); NaN when unknown. */
    static double micrometres(String unit) {
        String u = unit.trim().replace('\u03bc', '\u00b5').replace("\\u00B5", "\u00b5").replace("\\u00b5", "\u00b5");
        return switch (u) {
            case "m", "meter", "metre" -> 1e6;
            case "dm" -> 1e5;
            case "cm", "centimeter", "centimetre" -> 1e4;
            case "mm", "millimeter", "millimetre" -> 1e3;
            case "\u00b5m", "um", "micron", "microns", "micrometer", "micrometre" -> 1;
            case "nm", "nanometer", "nanometre" -> 1e-3;
            case "pm" -> 1e-6;
            case "\u00c5", "\u212b", "angstrom" -> 1e-4;
            case "in", "inch" -> 25_400;
            default -> Double.NaN;
        };
    }

    /** The number of seconds in one {@code unit} (OME's UnitsTime symbols, ImageJ's words); NaN when unknown. */
    static double seconds(String unit) {
        String u = unit.trim().replace('\u03bc', '\u00b5');
        return switch (u) {
            case "s", "sec", "second", "seconds" -> 1;
            case "ms", "msec" -> 1e-3;
            case "\u00b5s", "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min", "minute", "minutes" -> 60;
            case "h", "hr", "hour", "hours" -> 3600;
            case "d", "day", "days" -> 86_400;
            default -> Double.NaN;
        };
    }
}
