package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

/**
 * Writes synthetic ND2 files laid out as NIS-Elements lays them out: the signature chunk, the
 * attribute, picture-metadata, experiment, calibration and text chunks (binary LV in version 3, or
 * their XML variants in version 2), the acquisition times, one {@code ImageDataSeq|N!} chunk per
 * frame (name field of 4072 bytes so pixels start 4096 bytes into the chunk, each chunk starting on
 * a 4096-byte boundary), then the chunk map whose data ends with the file's 40-byte trailer.
 * Frames are asked of a {@link FrameSource} one at a time and written at once, so memory holds one
 * frame. Loops are time (outermost), XY positions, then Z, unless positions are put outermost.
 */
public final class Nd2Writer {
    private static final int ALIGN = 4096;
    private static final int FRAME_NAME_BYTES = 4072;
    private static final double FRAME_STEP_MS = 1.0;

    /** Gives the planes to write; called once per frame and channel, in storage order. */
    @FunctionalInterface
    public interface FrameSource {
        /**
         * The plane of one channel, {@code width * height} values row after row (uint8 files keep
         * the low 8 bits, uint16 files all 16 read as unsigned).
         */
        short[] plane(int position, int time, int z, int channel) throws IOException;
    }

    public enum Compression {
        /** eCompression 2: pixels as they are. */
        NONE,
        /** eCompression 0: lossless, zlib data after each frame's timestamp. */
        ZLIB
    }

    /** Options for a synthetic file; every option has a default. */
    public static final class Builder {
        private final int width;
        private final int height;
        private int rowPadding;
        private int bits = 16;
        private int bitsSignificant;
        private List<String> channels = List.of("Channel 0");
        private double pixelSizeUm = 0.65;
        private int positions = 1;
        private int frames = 1;
        private int zSlices = 1;
        private double frameIntervalMs = 600_000;
        private double firstFrameMs;
        private Compression compression = Compression.NONE;
        private boolean xml;
        private boolean positionsOutermost;
        private int[] skippedPoints = new int[0];
        private String objective = "";

        private Builder(int width, int height) {
            if (width < 1 || height < 1) {
                throw new IllegalArgumentException("width and height must be positive: " + width + "x" + height);
            }
            this.width = width;
            this.height = height;
        }

        /** Bytes of padding after each row (uiWidthBytes = width x channels x bytes per value + padding). */
        public Builder rowPadding(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("row padding must not be negative: " + bytes);
            }
            this.rowPadding = bytes;
            return this;
        }

        /** 8-bit pixels instead of 16-bit. */
        public Builder uint8() {
            this.bits = 8;
            return this;
        }

        /** Bits used of each value (uiBpcSignificant), 12 for a 12-bit camera; all by default. */
        public Builder bitsSignificant(int bitsUsed) {
            this.bitsSignificant = bitsUsed;
            return this;
        }

        public Builder channels(String... names) {
            if (names.length == 0) {
                throw new IllegalArgumentException("a file needs at least one channel");
            }
            this.channels = List.of(names);
            return this;
        }

        /** µm per pixel; NaN writes an uncalibrated file. */
        public Builder pixelSizeUm(double um) {
            this.pixelSizeUm = um;
            return this;
        }

        /** Valid XY positions (fields of view); 1 writes no position loop. */
        public Builder positions(int n) {
            this.positions = positive(n, "positions");
            return this;
        }

        /** Time points; 1 writes no time loop. */
        public Builder frames(int n) {
            this.frames = positive(n, "frames");
            return this;
        }

        /** Z planes; 1 writes no Z loop. */
        public Builder zSlices(int n) {
            this.zSlices = positive(n, "z slices");
            return this;
        }

        public Builder frameIntervalMs(double ms) {
            this.frameIntervalMs = ms;
            return this;
        }

        /** Acquisition time of the first frame, ms from the start of the experiment. */
        public Builder firstFrameMs(double ms) {
            this.firstFrameMs = ms;
            return this;
        }

        public Builder compression(Compression c) {
            this.compression = c;
            return this;
        }

        /** Version 2: metadata as XML in chunks named without "LV". */
        public Builder xmlMetadata(boolean v2) {
            this.xml = v2;
            return this;
        }

        /** Stores the position loop outside the time loop (each field of view's whole time series in turn). */
        public Builder positionsOutermost(boolean outermost) {
            this.positionsOutermost = outermost;
            return this;
        }

        /**
         * Adds points to the position list that are marked invalid (pItemValid 0) and hold no frames,
         * at these indices of the full list.
         */
        public Builder skippedPoints(int... indices) {
            this.skippedPoints = indices.clone();
            return this;
        }

        /** The objective's name as NIS-Elements writes it, "Plan Apo λ 20x". */
        public Builder objective(String name) {
            this.objective = name;
            return this;
        }

        public Nd2Writer build() {
            int[] skipped = skippedPoints.clone();
            Arrays.sort(skipped);
            for (int i = 0; i < skipped.length; i++) {
                if (skipped[i] < 0 || skipped[i] >= positions + skipped.length || i > 0 && skipped[i] == skipped[i - 1]) {
                    throw new IllegalArgumentException("skipped point indices must be distinct and within the "
                            + (positions + skipped.length) + " points: " + Arrays.toString(skippedPoints));
                }
            }
            return new Nd2Writer(this, skipped);
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1: " + n);
            }
            return n;
        }
    }

    private final Builder o;
    private final int[] skipped;
    private final int bytesPerValue;
    private final int widthBytes;

    private Nd2Writer(Builder b, int[] skipped) {
        this.o = b;
        this.skipped = skipped;
        this.bytesPerValue = b.bits / 8;
        this.widthBytes = b.width * b.channels.size() * bytesPerValue + b.rowPadding;
    }

    public static Builder builder(int width, int height) {
        return new Builder(width, height);
    }

    /** Frames the file holds: positions x frames x z slices. */
    public int sequenceCount() {
        return o.positions * o.frames * o.zSlices;
    }

    /** The acquisition time (ms) written for a frame, in the AcqTimesCache and at the start of its chunk. */
    public double acquisitionMs(int position, int time, int z) {
        if (o.positionsOutermost) {
            return o.firstFrameMs + (double) position * o.frames * o.frameIntervalMs + time * o.frameIntervalMs
                    + z * FRAME_STEP_MS;
        }
        return o.firstFrameMs + time * o.frameIntervalMs + ((double) position * o.zSlices + z) * FRAME_STEP_MS;
    }

    /** Writes the file, asking {@code source} for each frame's planes in storage order. */
    public void write(Path file, FrameSource source) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            new Output(ch).write(source);
        }
    }

    /** One write in progress: the channel, where it is, and the chunks written so far. */
    private final class Output {
        private final FileChannel ch;
        private final List<Nd2ChunkMap.Entry> entries = new ArrayList<>();
        private long pos;

        Output(FileChannel ch) {
            this.ch = ch;
        }

        void write(FrameSource source) throws IOException {
            byte[] ver = new byte[64];
            byte[] v = (o.xml ? "Ver2.0" : "Ver3.0").getBytes(StandardCharsets.ISO_8859_1);
            System.arraycopy(v, 0, ver, 0, v.length);
            chunk(Nd2ChunkMap.FILE_SIGNATURE, 32, ver, false);
            pad();
            metadata("ImageAttributes", "SLxImageAttributes", attributes());
            metadata("ImageMetadataSeq|0", "SLxPictureMetadata", picture());
            if (o.frames > 1 || o.positions > 1 || o.zSlices > 1) {
                metadata("ImageMetadata", "SLxExperiment", experiment());
            }
            metadata("ImageCalibration|0", "SLxCalibration", calibration());
            metadata("ImageTextInfo", "SLxImageTextInfo", textInfo());
            ByteBuffer times = ByteBuffer.allocate(sequenceCount() * 8).order(ByteOrder.LITTLE_ENDIAN);
            forEachFrame((p, t, z) -> times.putDouble(acquisitionMs(p, t, z)));
            metadataChunk(Nd2File.ACQ_TIMES, times.array());
            frames(source);
            map();
        }

        private void frames(FrameSource source) throws IOException {
            ByteBuffer frame = ByteBuffer.allocate(widthBytes * o.height).order(ByteOrder.LITTLE_ENDIAN);
            Deflater deflater = o.compression == Compression.ZLIB ? new Deflater(Deflater.BEST_SPEED) : null;
            byte[] packed = deflater == null ? null : new byte[frame.capacity() + frame.capacity() / 100 + 1024];
            try {
                int[] seq = {0};
                forEachFrame((p, t, z) -> {
                    fill(frame, source, p, t, z);
                    byte[] pixels = frame.array();
                    int len = pixels.length;
                    if (deflater != null) {
                        deflater.reset();
                        deflater.setInput(pixels);
                        deflater.finish();
                        len = deflater.deflate(packed);
                        if (!deflater.finished()) {
                            throw new IllegalStateException("deflate output buffer too small");
                        }
                        pixels = packed;
                    }
                    ByteBuffer head = ByteBuffer.allocate(Nd2ChunkMap.HEADER + FRAME_NAME_BYTES + 8)
                            .order(ByteOrder.LITTLE_ENDIAN);
                    String name = Nd2File.sequenceChunk(seq[0]++);
                    head.putInt(Nd2ChunkMap.MAGIC).putInt(FRAME_NAME_BYTES).putLong(8L + len);
                    head.put(name.getBytes(StandardCharsets.ISO_8859_1));
                    head.position(Nd2ChunkMap.HEADER + FRAME_NAME_BYTES);
                    head.putDouble(acquisitionMs(p, t, z));
                    head.flip();
                    entries.add(new Nd2ChunkMap.Entry(name, pos, 8L + len));
                    put(head);
                    put(ByteBuffer.wrap(pixels, 0, len));
                    pad();
                });
            } finally {
                if (deflater != null) {
                    deflater.end();
                }
            }
        }

        /** Interleaves the channel planes of one frame into {@code frame}, rows padded. */
        private void fill(ByteBuffer frame, FrameSource source, int p, int t, int z) throws IOException {
            int nc = o.channels.size();
            Arrays.fill(frame.array(), (byte) 0);
            for (int c = 0; c < nc; c++) {
                short[] plane = source.plane(p, t, z, c);
                if (plane == null || plane.length != o.width * o.height) {
                    throw new IllegalArgumentException("frame source gave " + (plane == null ? "no plane" : plane.length
                            + " values") + " for position " + p + ", time " + t + ", z " + z + ", channel " + c
                            + "; a plane holds " + o.width * o.height);
                }
                for (int y = 0; y < o.height; y++) {
                    int row = y * widthBytes;
                    for (int x = 0; x < o.width; x++) {
                        short value = plane[y * o.width + x];
                        int at = row + (x * nc + c) * bytesPerValue;
                        if (bytesPerValue == 1) {
                            frame.put(at, (byte) value);
                        } else {
                            frame.putShort(at, value);
                        }
                    }
                }
            }
        }

        private void map() throws IOException {
            long mapOffset = pos;
            byte[] list = Nd2ChunkMap.encode(entries, mapOffset);
            ByteBuffer data = ByteBuffer.allocate(list.length + Nd2ChunkMap.TRAILER).order(ByteOrder.LITTLE_ENDIAN);
            data.put(list).put(Nd2ChunkMap.MAP_SIGNATURE.getBytes(StandardCharsets.ISO_8859_1)).putLong(mapOffset);
            chunk(Nd2ChunkMap.MAP_CHUNK, 32, data.array(), false);
        }

        /** A metadata chunk, its tree as LV (version 3) or XML (version 2). */
        private void metadata(String baseName, String rootName, List<Nd2Variant> fields) throws IOException {
            Nd2Variant root = Nd2Variant.level("", Nd2Variant.level(o.xml ? "" : rootName, fields));
            byte[] data = o.xml ? Nd2XmlMetadata.write(root) : LvWriter.write(root);
            String name = o.xml ? baseName + "!" : lvName(baseName);
            metadataChunk(name, data);
        }

        /** A chunk whose name field is padded so that the chunk ends on a 4096-byte boundary, as NIS does. */
        private void metadataChunk(String name, byte[] data) throws IOException {
            long used = Nd2ChunkMap.HEADER + name.length() + 1 + data.length;
            int nameLen = (int) (name.length() + 1 + (ALIGN - used % ALIGN) % ALIGN);
            chunk(name, nameLen, data, true);
        }

        private void chunk(String name, int nameLen, byte[] data, boolean listed) throws IOException {
            ByteBuffer head = ByteBuffer.allocate(Nd2ChunkMap.HEADER + nameLen).order(ByteOrder.LITTLE_ENDIAN);
            head.putInt(Nd2ChunkMap.MAGIC).putInt(nameLen).putLong(data.length);
            head.put(name.getBytes(StandardCharsets.ISO_8859_1));
            head.clear();
            if (listed) {
                entries.add(new Nd2ChunkMap.Entry(name, pos, data.length));
            }
            put(head);
            put(ByteBuffer.wrap(data));
            if (listed) {
                pad();
            }
        }

        private void put(ByteBuffer b) throws IOException {
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
        }

        private void pad() throws IOException {
            int gap = (int) ((ALIGN - pos % ALIGN) % ALIGN);
            if (gap > 0) {
                put(ByteBuffer.allocate(gap));
            }
        }
    }

    /** "ImageMetadataSeq|0" becomes "ImageMetadataSeqLV|0!": LV goes before the sequence part. */
    private static String lvName(String base) {
        int bar = base.indexOf('|');
        return bar < 0 ? base + "LV!" : base.substring(0, bar) + "LV" + base.substring(bar) + "!";
    }

    @FunctionalInterface
    private interface FrameVisitor {
        void visit(int position, int time, int z) throws IOException;
    }

    /** Visits every frame in storage order (sequence index 0, 1, ...). */
    private void forEachFrame(FrameVisitor visitor) throws IOException {
        int outer = o.positionsOutermost ? o.positions : o.frames;
        int middle = o.positionsOutermost ? o.frames : o.positions;
        for (int a = 0; a < outer; a++) {
            for (int b = 0; b < middle; b++) {
                for (int z = 0; z < o.zSlices; z++) {
                    int p = o.positionsOutermost ? a : b;
                    int t = o.positionsOutermost ? b : a;
                    visitor.visit(p, t, z);
                }
            }
        }
    }

    private List<Nd2Variant> attributes() {
        int bitsUsed = o.bitsSignificant > 0 && o.bitsSignificant <= o.bits ? o.bitsSignificant : o.bits;
        return List.of(
                Nd2Variant.u32("uiWidth", o.width),
                Nd2Variant.u32("uiWidthBytes", widthBytes),
                Nd2Variant.u32("uiHeight", o.height),
                Nd2Variant.u32("uiComp", o.channels.size()),
                Nd2Variant.i32("uiBpcInMemory", o.bits),
                Nd2Variant.i32("uiBpcSignificant", bitsUsed),
                Nd2Variant.u32("uiSequenceCount", sequenceCount()),
                Nd2Variant.u32("uiTileWidth", o.width),
                Nd2Variant.u32("uiTileHeight", o.height),
                Nd2Variant.i32("eCompression", o.compression == Compression.ZLIB ? Nd2Attributes.LOSSLESS : Nd2Attributes.NONE),
                Nd2Variant.f64("dCompressionParam", 0),
                Nd2Variant.i32("ePixelType", 1),
                Nd2Variant.u32("uiVirtualComponents", o.channels.size()));
    }

    private List<Nd2Variant> picture() {
        List<Nd2Variant> planes = new ArrayList<>();
        for (int c = 0; c < o.channels.size(); c++) {
            planes.add(Nd2Variant.level("a" + c,
                    Nd2Variant.u32("uiCompCount", 1),
                    Nd2Variant.u32("uiSampleIndex", c),
                    Nd2Variant.u64("uiModalityMask", 0),
                    Nd2Variant.u32("uiColor", 0xffffff),
                    Nd2Variant.string("sDescription", o.channels.get(c))));
        }
        boolean calibrated = o.pixelSizeUm > 0;
        return List.of(
                Nd2Variant.f64("dTimeMSec", acquisitionMs(0, 0, 0)),
                Nd2Variant.f64("dTimeAbsolute", 2460000.5),
                Nd2Variant.level("sPicturePlanes",
                        Nd2Variant.u32("uiCount", o.channels.size()),
                        Nd2Variant.u32("uiCompCount", o.channels.size()),
                        Nd2Variant.level("sPlaneNew", planes),
                        Nd2Variant.string("sDescription", "")),
                Nd2Variant.f64("dCalibration", calibrated ? o.pixelSizeUm : 1.0),
                Nd2Variant.f64("dAspect", 1.0),
                Nd2Variant.bool("bCalibrated", calibrated),
                Nd2Variant.string("wsObjectiveName", o.objective),
                Nd2Variant.f64("dObjectiveMag", -1.0),
                Nd2Variant.f64("dZoom", 1.0));
    }

    /** The loops, outermost first; each inner loop sits in its parent's ppNextLevelEx. */
    private List<Nd2Variant> experiment() {
        List<List<Nd2Variant>> levels = new ArrayList<>();
        List<Nd2Variant> time = o.frames > 1 ? timeLoop() : null;
        List<Nd2Variant> xy = o.positions > 1 || skipped.length > 0 ? positionLoop() : null;
        for (List<Nd2Variant> l : o.positionsOutermost ? Arrays.asList(xy, time) : Arrays.asList(time, xy)) {
            if (l != null) {
                levels.add(l);
            }
        }
        if (o.zSlices > 1) {
            levels.add(zLoop());
        }
        List<Nd2Variant> inner = null;
        for (int i = levels.size() - 1; i >= 0; i--) {
            List<Nd2Variant> fields = new ArrayList<>(levels.get(i));
            fields.add(Nd2Variant.level("ppNextLevelEx", inner == null ? List.of()
                    : List.of(Nd2Variant.level(o.xml ? "i0000000000" : "", inner))));
            fields.add(Nd2Variant.u32("uiNextLevelCount", inner == null ? 0 : 1));
            inner = fields;
        }
        return inner;
    }

    private Nd2Variant loopPars(List<Nd2Variant> pars) {
        // Version 2 files wrap the loop parameters in one list item.
        return o.xml ? Nd2Variant.level("uLoopPars", Nd2Variant.level("i0000000000", pars))
                : Nd2Variant.level("uLoopPars", pars);
    }

    private List<Nd2Variant> timeLoop() {
        return List.of(
                Nd2Variant.u32("eType", 1),
                Nd2Variant.string("wsApplicationDesc", "Fieldwork synthetic"),
                loopPars(List.of(
                        Nd2Variant.u32("uiCount", o.frames),
                        Nd2Variant.f64("dStart", 0),
                        Nd2Variant.f64("dPeriod", o.frameIntervalMs),
                        Nd2Variant.f64("dDuration", o.frameIntervalMs * o.frames),
                        Nd2Variant.bool("bDurationPref", false),
                        Nd2Variant.f64("dAvgPeriodDiff", o.frameIntervalMs))));
    }

    private List<Nd2Variant> positionLoop() {
        int total = o.positions + skipped.length;
        List<Nd2Variant> points = new ArrayList<>();
        byte[] valid = new byte[total];
        int kept = 0;
        int unused = 0;
        for (int i = 0; i < total; i++) {
            boolean isValid = Arrays.binarySearch(skipped, i) < 0;
            valid[i] = (byte) (isValid ? 1 : 0);
            String name = isValid ? "Pos" + kept++ : "Unused" + unused++;
            points.add(Nd2Variant.level("",
                    Nd2Variant.f64("dPosX", 1000.0 * i),
                    Nd2Variant.f64("dPosY", -500.0 * i),
                    Nd2Variant.f64("dPosZ", 5000.0),
                    Nd2Variant.f64("dPFSOffset", -1.0),
                    Nd2Variant.string("dPosName", name)));
        }
        Nd2Variant validity;
        if (o.xml) {
            List<Nd2Variant> flags = new ArrayList<>();
            for (byte b : valid) {
                flags.add(Nd2Variant.bool("", b != 0));
            }
            validity = Nd2Variant.level("pItemValid", flags);
        } else {
            validity = Nd2Variant.bytes("pItemValid", valid);
        }
        return List.of(
                Nd2Variant.u32("eType", 2),
                Nd2Variant.string("wsApplicationDesc", "Fieldwork synthetic"),
                loopPars(List.of(
                        Nd2Variant.bool("bUseZ", false),
                        Nd2Variant.bool("bRelativeXY", false),
                        Nd2Variant.f64("dReferenceX", 0),
                        Nd2Variant.f64("dReferenceY", 0),
                        Nd2Variant.u32("uiCount", total),
                        Nd2Variant.level("Points", points))),
                validity);
    }

    private List<Nd2Variant> zLoop() {
        return List.of(
                Nd2Variant.u32("eType", 4),
                Nd2Variant.string("wsApplicationDesc", "Fieldwork synthetic"),
                loopPars(List.of(
                        Nd2Variant.i32("iType", 0),
                        Nd2Variant.f64("dZLow", 0),
                        Nd2Variant.f64("dZHigh", o.zSlices - 1.0),
                        Nd2Variant.f64("dZStep", 1.0),
                        Nd2Variant.f64("dZHome", 0),
                        Nd2Variant.bool("bZInverted", false),
                        Nd2Variant.u32("uiCount", o.zSlices))));
    }

    private List<Nd2Variant> calibration() {
        boolean calibrated = o.pixelSizeUm > 0;
        return List.of(
                Nd2Variant.f64("dCalibration", calibrated ? o.pixelSizeUm : 1.0),
                Nd2Variant.f64("dAspect", 1.0),
                Nd2Variant.bool("bValid", calibrated),
                Nd2Variant.string("sObjective", o.objective));
    }

    private List<Nd2Variant> textInfo() {
        List<Nd2Variant> items = new ArrayList<>();
        for (int i = 0; i < 14; i++) {
            String text = switch (i) {
                case 5 -> "Synthetic ND2 written by Fieldwork";
                case 9 -> "1/2/2025  10:00:00 AM";
                default -> "";
            };
            items.add(Nd2Variant.string("TextInfoItem_" + i, text));
        }
        return items;
    }
}
