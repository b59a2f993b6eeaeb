package org.fieldwork.io.stack;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * What a microscope file holds, read from its metadata without touching the pixels: the image
 * size, the experiment loops (positions = fields of view, time points, z slices) and the channels
 * inside each frame.
 *
 * @param format         the reader that read it ("nd2", "tiff", or a provider's name)
 * @param width          pixels per row
 * @param height         rows per plane
 * @param positions      fields of view (valid XY positions only; 1 without a position loop)
 * @param frames         time points (1 without a time loop)
 * @param zSlices        z planes (1 without a z loop)
 * @param channels       channel names in frame order (never empty; "Channel 0".. when unnamed)
 * @param pixelType      "uint8", "uint16", "uint32" or "float32"
 * @param bitsSignificant bits used of each integer pixel (12 for a 12-bit camera in 16-bit words); 0 when unknown
 * @param pixelSizeUm    micrometres per pixel; NaN when the file does not say
 * @param frameTimesS    acquisition time of each time point in seconds from the first (position 0, z 0);
 *                       empty when the file does not say
 * @param extra          anything else worth printing (version, objective, compression...), in a stable order
 */
public record StackInfo(String format, int width, int height, int positions, int frames, int zSlices,
                        List<String> channels, String pixelType, int bitsSignificant, double pixelSizeUm,
                        double[] frameTimesS, Map<String, String> extra) implements Serializable {

    public StackInfo {
        channels = List.copyOf(channels);
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
        frameTimesS = frameTimesS.clone();
    }

    public int channelCount() {
        return channels.size();
    }

    /** The index of a channel given by name (case-insensitive) or by index; -1 when there is none. */
    public int channelIndex(String nameOrIndex) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).equalsIgnoreCase(nameOrIndex.trim())) {
                return i;
            }
        }
        try {
            int i = Integer.parseInt(nameOrIndex.trim());
            return i >= 0 && i < channels.size() ? i : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Checks a reader's arguments: the plane exists and {@code into} holds it. For every reader, so
     * a wrong index reads the same from all of them.
     *
     * @param file the file's name, for the message
     */
    public void checkPlane(String file, int position, int time, int z, int channel, float[] into) {
        check(file, "position", position, positions);
        check(file, "time point", time, frames);
        check(file, "z slice", z, zSlices);
        check(file, "channel", channel, channels.size());
        long pixels = (long) width * height;
        if (into.length < pixels) {
            throw new IllegalArgumentException(file + ": a plane has " + pixels + " pixels but the array holds " + into.length);
        }
    }

    private static void check(String file, String what, int index, int count) {
        if (index < 0 || index >= count) {
            throw new IndexOutOfBoundsException(file + ": " + what + " " + index + " is outside 0.." + (count - 1));
        }
    }

    /** Bytes of one plane of one channel, as stored uncompressed. */
    public long planeBytes() {
        int bytes = switch (pixelType) {
            case "uint8" -> 1;
            case "uint16" -> 2;
            default -> 4;
        };
        return (long) width * height * bytes;
    }
}
