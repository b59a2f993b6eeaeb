package org.fieldwork.io.stack;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ImageDescription ImageJ writes into the first page of a stack ("ImageJ=1.54f", then lines
 * such as images=, channels=, slices=, frames=, unit=, finterval=). ImageJ stores a hyperstack's
 * pages channel fastest, then z slice, then time point.
 */
final class ImageJDescription {
    static final String PREFIX = "ImageJ=";

    private ImageJDescription() {
    }

    /**
     * The layout of an ImageJ stack, or null when the description gives no image count (the pages
     * are then counted as in a plain TIFF). A stack without channels=, slices= or frames= is a
     * series of time points, as a plain multi-page TIFF is.
     */
    static PlaneLayout layout(String name, String description, int samples, TiffDirectory first) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String line : description.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                keys.putIfAbsent(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        int images = count(name, keys, "images", 0);
        int channels = count(name, keys, "channels", 1);
        int slices = count(name, keys, "slices", 1);
        int frames = count(name, keys, "frames", 1);
        boolean shaped = keys.containsKey("channels") || keys.containsKey("slices") || keys.containsKey("frames");
        if (!shaped) {
            if (images == 0) {
                return null;
            }
            frames = images;
        }
        long product = (long) channels * slices * frames;
        if (images != 0 && product != images || product > Integer.MAX_VALUE) {
            throw new IOException(name + ": the ImageJ description says images=" + images + " but channels=" + channels
                    + " x slices=" + slices + " x frames=" + frames + " = " + product);
        }
        int planes = (int) product;
        int[] pages = new int[planes];
        for (int i = 0; i < planes; i++) {
            pages[i] = i;
        }

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("imagej", keys.get("ImageJ"));
        double unitUm = keys.containsKey("unit") ? PlaneLayout.micrometres(keys.get("unit")) : Double.NaN;
        double pixelSizeUm = unitUm / first.xResolution();
        double spacing = number(keys.get("spacing"));
        if (!Double.isNaN(spacing * unitUm)) {
            extra.put("zSpacingUm", Double.toString(spacing * unitUm));
        }
        double interval = number(keys.get("finterval")) * PlaneLayout.seconds(keys.getOrDefault("tunit", "sec"));
        double[] times = new double[Double.isNaN(interval) ? 0 : frames];
        for (int t = 0; t < times.length; t++) {
            times[t] = t * interval;
        }
        return new PlaneLayout("ImageJ hyperstack", frames, slices, channels, pages,
                PlaneLayout.channelNames(List.of(), channels, samples), pixelSizeUm, 0, times, extra);
    }

    private static int count(String name, Map<String, String> keys, String key, int fallback) throws IOException {
        String v = keys.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IOException(name + ": the ImageJ description's " + key + "=" + v + " is not a positive whole number");
    }

    private static double number(String v) {
        if (v == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
