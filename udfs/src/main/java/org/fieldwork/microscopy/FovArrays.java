package org.fieldwork.microscopy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldwork.io.Storage;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.zarr.Compressor;
import org.fieldwork.io.zarr.DataType;
import org.fieldwork.io.zarr.ZarrArray;
import org.fieldwork.io.zarr.ZarrArrayMetadata;
import org.fieldwork.io.zarr.ZarrGroup;

/**
 * A field of view's frame-sized outputs as Zarr, one frame per chunk, each an OME-NGFF 0.4 image
 * (a group with {@code multiscales} metadata and its full-resolution array {@code 0}, axes t, y, x
 * scaled by the frame interval and the pixel size) so napari and other OME-Zarr viewers open it:
 * <ul>
 *   <li>{@code binarized.zarr}: uint8 0/1 cell masks</li>
 *   <li>{@code fluorescence_corrected.zarr/<channel>}: float32 corrected fluorescence, one image per channel</li>
 *   <li>{@code raw.zarr/<channel>}: the file's channels as read (with --extract-raw)</li>
 * </ul>
 */
public final class FovArrays implements FovOutput {
    public static final String BINARIZED = "binarized.zarr";
    public static final String CORRECTED = "fluorescence_corrected.zarr";
    public static final String RAW = "raw.zarr";

    private final ZarrArray binarized;
    private final List<ZarrArray> corrected = new ArrayList<>();
    private final List<ZarrArray> raw = new ArrayList<>();
    private final DataType rawType;
    private final List<String> paths = new ArrayList<>();

    /**
     * Creates the arrays under {@code fovDir}, replacing earlier ones.
     *
     * @param flNames the fluorescence channels, in the order {@link #corrected} numbers them
     */
    public FovArrays(Storage storage, String fovDir, StackInfo info, List<String> flNames, boolean extractRaw)
            throws IOException {
        int t = info.frames();
        long[] shape = {t, info.height(), info.width()};
        int[] chunks = {1, info.height(), info.width()};
        Compressor zstd = Compressor.zstd(3);
        double interval = frameInterval(info);
        binarized = image(storage, Storage.join(fovDir, BINARIZED), "binarized",
                ZarrArrayMetadata.of(shape, chunks, DataType.UINT8, zstd, 0.0), info, interval);
        String correctedRoot = Storage.join(fovDir, CORRECTED);
        List<String> flGroups = groupNames(flNames);
        ZarrGroup.create(storage, correctedRoot).writeAttributes(Map.of("channels", flNames, "groups", flGroups));
        for (int k = 0; k < flNames.size(); k++) {
            String name = flNames.get(k);
            corrected.add(image(storage, Storage.join(correctedRoot, flGroups.get(k)), name,
                    ZarrArrayMetadata.of(shape, chunks, DataType.FLOAT32, zstd, Double.NaN), info, interval));
        }
        rawType = switch (info.pixelType()) {
            case "uint8" -> DataType.UINT8;
            case "uint16" -> DataType.UINT16;
            default -> DataType.FLOAT32;
        };
        if (extractRaw) {
            String rawRoot = Storage.join(fovDir, RAW);
            List<String> rawGroups = groupNames(info.channels());
            ZarrGroup.create(storage, rawRoot).writeAttributes(Map.of("channels", info.channels(), "groups", rawGroups));
            for (int k = 0; k < info.channelCount(); k++) {
                String name = info.channels().get(k);
                raw.add(image(storage, Storage.join(rawRoot, rawGroups.get(k)), name,
                        ZarrArrayMetadata.of(shape, chunks, rawType, zstd, 0.0), info, interval));
            }
        }
    }

    /** Folder names for channels, in order: {@link #groupName}, with "-2", "-3"... where two would be the same. */
    public static List<String> groupNames(List<String> channels) {
        List<String> out = new ArrayList<>();
        for (String c : channels) {
            String base = groupName(c);
            String name = base;
            for (int i = 2; out.contains(name); i++) {
                name = base + "-" + i;
            }
            out.add(name);
        }
        return out;
    }

    /** A channel name as a folder name: letters, digits, '-', '_' and '.' kept, the rest '_'. */
    private static String groupName(String channel) {
        String s = channel.replaceAll("[^A-Za-z0-9._-]", "_");
        return s.isEmpty() || s.startsWith(".") ? "_" + s : s;
    }

    private ZarrArray image(Storage storage, String path, String name, ZarrArrayMetadata meta, StackInfo info,
            double interval) throws IOException {
        ZarrGroup group = ZarrGroup.create(storage, path);
        group.writeAttributes(Map.of("multiscales", List.of(multiscale(name, info, interval))));
        paths.add(path);
        return group.createArray("0", meta);
    }

    /** OME-NGFF 0.4: axes t, y, x; one dataset "0" scaled by the frame interval (s) and the pixel size (µm). */
    static Map<String, Object> multiscale(String name, StackInfo info, double interval) {
        double pixel = Double.isNaN(info.pixelSizeUm()) ? 1.0 : info.pixelSizeUm();
        String spaceUnit = Double.isNaN(info.pixelSizeUm()) ? null : "micrometer";
        List<Map<String, Object>> axes = new ArrayList<>();
        axes.add(axis("t", "time", Double.isNaN(interval) ? null : "second"));
        axes.add(axis("y", "space", spaceUnit));
        axes.add(axis("x", "space", spaceUnit));
        Map<String, Object> scale = new LinkedHashMap<>();
        scale.put("type", "scale");
        scale.put("scale", List.of(Double.isNaN(interval) ? 1.0 : interval, pixel, pixel));
        Map<String, Object> dataset = new LinkedHashMap<>();
        dataset.put("path", "0");
        dataset.put("coordinateTransformations", List.of(scale));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "0.4");
        m.put("name", name);
        m.put("axes", axes);
        m.put("datasets", List.of(dataset));
        return m;
    }

    private static Map<String, Object> axis(String name, String type, String unit) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", name);
        a.put("type", type);
        if (unit != null) {
            a.put("unit", unit);
        }
        return a;
    }

    /** Mean seconds between time points, NaN when the file gives no times. */
    static double frameInterval(StackInfo info) {
        double[] times = info.frameTimesS();
        if (times.length < 2) {
            return Double.NaN;
        }
        double d = (times[times.length - 1] - times[0]) / (times.length - 1);
        return d > 0 ? d : Double.NaN;
    }

    /** The NGFF image folders written (binarized, each corrected channel, each raw channel). */
    public List<String> paths() {
        return List.copyOf(paths);
    }

    @Override
    public void binarized(int t, byte[] mask) throws IOException {
        binarized.writeChunk(new long[] {t, 0, 0}, mask);
    }

    @Override
    public byte[] binarized(int t) throws IOException {
        return (byte[]) binarized.readChunk(t, 0, 0);
    }

    @Override
    public void corrected(int channel, int t, float[] frame) throws IOException {
        corrected.get(channel).writeChunk(new long[] {t, 0, 0}, frame);
    }

    @Override
    public boolean wantsRaw() {
        return !raw.isEmpty();
    }

    @Override
    public void raw(int channel, int t, float[] plane) throws IOException {
        Object data = switch (rawType) {
            case UINT8 -> {
                byte[] b = new byte[plane.length];
                for (int i = 0; i < plane.length; i++) {
                    b[i] = (byte) (int) plane[i];
                }
                yield b;
            }
            case UINT16 -> {
                short[] s = new short[plane.length];
                for (int i = 0; i < plane.length; i++) {
                    s[i] = (short) (int) plane[i];
                }
                yield s;
            }
            default -> plane;
        };
        raw.get(channel).writeChunk(new long[] {t, 0, 0}, data);
    }
}
