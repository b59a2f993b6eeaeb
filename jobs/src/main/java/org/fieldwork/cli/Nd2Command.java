package org.fieldwork.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fieldwork.io.Storage;
import org.fieldwork.io.nd2.Nd2Writer;
import org.fieldwork.io.stack.StackFormats;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;
import org.fieldwork.microscopy.SyntheticNd2;
import org.fieldwork.microscopy.SyntheticTimeLapse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `fieldwork nd2`: what a microscope file holds. */
@Command(name = "nd2", mixinStandardHelpOptions = true, description = "Microscope files (ND2, TIFF).",
        subcommands = {Nd2Command.Info.class, Nd2Command.Synth.class})
final class Nd2Command implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "info", mixinStandardHelpOptions = true,
            description = "Prints a file's metadata without reading its pixels: size, pixel type, FOVs (positions),"
                    + " frames, z planes, channels, pixel size, frame times.")
    static final class Info implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "An ND2 or TIFF file, local or s3a://.")
        String file;

        @Option(names = "--format", defaultValue = "text", paramLabel = "text|json", description = "Output format. Default: ${DEFAULT-VALUE}.")
        String format;

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            if (!format.equals("text") && !format.equals("json")) {
                throw new IllegalArgumentException("--format must be text or json, got '" + format + "'");
            }
            Storage storage = FieldworkSpark.storage(spark);
            if (Storage.isLocal(file) && !Files.isRegularFile(Storage.localPath(file))) {
                throw new IllegalArgumentException(file + ": no such file");
            }
            StackInfo info;
            try (StackReader reader = StackFormats.open(file, storage.openInput(file))) {
                info = reader.info();
            }
            if (format.equals("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", file);
                m.put("format", info.format());
                m.put("width", info.width());
                m.put("height", info.height());
                m.put("positions", info.positions());
                m.put("frames", info.frames());
                m.put("z_slices", info.zSlices());
                m.put("channels", info.channels());
                m.put("pixel_type", info.pixelType());
                m.put("bits_significant", info.bitsSignificant());
                m.put("pixel_size_um", Double.isNaN(info.pixelSizeUm()) ? null : info.pixelSizeUm());
                m.put("frame_times_s", info.frameTimesS());
                m.put("extra", info.extra());
                System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(m));
            } else {
                System.out.print(text(file, info));
            }
            return 0;
        }

        static String text(String file, StackInfo info) {
            StringBuilder sb = new StringBuilder();
            int width = Math.max(10, info.extra().keySet().stream().mapToInt(String::length).max().orElse(0));
            String row = "  %-" + width + "s %s%n";
            sb.append(file).append(" (").append(info.format()).append(")\n");
            sb.append(String.format("  %-" + width + "s %d x %d px, %s", "image", info.width(), info.height(), info.pixelType()));
            if (info.bitsSignificant() > 0) {
                sb.append(" (").append(info.bitsSignificant()).append(" bits used)");
            }
            sb.append('\n');
            sb.append(String.format(row, "loops", info.positions() + " FOVs x " + info.frames() + " frames x " + info.zSlices() + " z"));
            sb.append(String.format("  %-" + width + "s ", "channels"));
            for (int i = 0; i < info.channelCount(); i++) {
                sb.append(i == 0 ? "" : ", ").append(i).append(' ').append(info.channels().get(i));
            }
            sb.append('\n');
            if (!Double.isNaN(info.pixelSizeUm())) {
                sb.append(String.format(row, "pixel size", java.math.BigDecimal.valueOf(info.pixelSizeUm()).round(
                        new java.math.MathContext(9)).stripTrailingZeros().toPlainString() + " um"));
            }
            double[] t = info.frameTimesS();
            if (t.length > 1) {
                sb.append(String.format(row, "time", String.format("%.3f s to %.3f s, %.3f s between frames on average", t[0],
                        t[t.length - 1], (t[t.length - 1] - t[0]) / (t.length - 1))));
            }
            info.extra().forEach((k, v) -> sb.append(String.format(row, k, v)));
            return sb.toString();
        }
    }

    @Command(name = "synth", mixinStandardHelpOptions = true,
            description = {"Writes a synthetic time-lapse ND2 file: channel PC (phase contrast) and GFP (vignetted",
                "fluorescence), cells that move, grow and divide, some at the border, some appearing late. For",
                "trying `fieldwork microscopy` out, the demo and benchmarks; --truth writes what the cells really are."})
    static final class Synth implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "Local ND2 file to write.")
        Path file;

        @Option(names = "--fovs", defaultValue = "2", description = "Fields of view. Default: ${DEFAULT-VALUE}.")
        int fovs;

        @Option(names = "--frames", defaultValue = "20", description = "Time points. Default: ${DEFAULT-VALUE}.")
        int frames;

        @Option(names = "--size", defaultValue = "1024x1024", paramLabel = "WxH", description = "Frame size. Default: ${DEFAULT-VALUE}.")
        String size;

        @Option(names = "--seed", defaultValue = "1", description = "Random seed. Default: ${DEFAULT-VALUE}.")
        long seed;

        @Option(names = "--compression", defaultValue = "none", paramLabel = "none|zlib",
                description = "Frame compression (zlib: NIS-Elements' lossless). Default: ${DEFAULT-VALUE}.")
        String compression;

        @Option(names = "--truth", paramLabel = "DIR", description = "Also write each FOV's truth as DIR/fov_NNNN.json.")
        Path truth;

        @Option(names = "--raw", paramLabel = "DIR",
                description = "Also write each FOV's frames as raw little-endian uint16 (DIR/fov_NNNN_pc.u16, _fl.u16; frame, row, column).")
        Path raw;

        @Override
        public Integer call() throws Exception {
            String[] wh = size.toLowerCase(Locale.ROOT).split("x");
            if (wh.length != 2) {
                throw new IllegalArgumentException("--size " + size + ": expected WxH, e.g. 1024x1024");
            }
            SyntheticTimeLapse.Parameters p = SyntheticTimeLapse.Parameters
                    .builder().size(Integer.parseInt(wh[0]), Integer.parseInt(wh[1])).frames(frames).seed(seed).build();
            Nd2Writer.Compression c = switch (compression) {
                case "none" -> Nd2Writer.Compression.NONE;
                case "zlib" -> Nd2Writer.Compression.ZLIB;
                default -> throw new IllegalArgumentException("--compression must be none or zlib, got '" + compression + "'");
            };
            List<SyntheticTimeLapse> lapses = SyntheticNd2.write(
                    file, fovs, p, c);
            for (int f = 0; f < fovs; f++) {
                String name = String.format("fov_%04d", f);
                if (truth != null) {
                    Files.createDirectories(truth);
                    lapses.get(f).writeTruthJson(truth.resolve(name + ".json"));
                }
                if (raw != null) {
                    Files.createDirectories(raw);
                    writeRaw(raw.resolve(name + "_pc.u16"), lapses.get(f), true);
                    writeRaw(raw.resolve(name + "_fl.u16"), lapses.get(f), false);
                }
            }
            System.out.printf("wrote %s: %d FOVs x %d frames x 2 channels of %s, %.1f MB%n", file, fovs, frames, size,
                    Files.size(file) / 1e6);
            return 0;
        }

        private void writeRaw(Path path, SyntheticTimeLapse lapse, boolean phase)
                throws IOException {
            try (FileChannel ch = FileChannel.open(path,
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                for (int t = 0; t < frames; t++) {
                    short[] plane = phase ? lapse.phaseContrast(t) : lapse.fluorescence(t);
                    ByteBuffer b = ByteBuffer.allocate(plane.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    b.asShortBuffer().put(plane);
                    ch.write(b);
                }
            }
        }
    }
}
