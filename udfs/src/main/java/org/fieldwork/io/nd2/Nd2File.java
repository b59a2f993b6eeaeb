package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;

/**
 * A Nikon ND2 file (version 2 or 3), read through its chunk map: opening reads the map and the
 * metadata chunks only; each {@link #read} reads the one frame chunk it needs, in one read, and
 * extracts one channel. Metadata is taken from the binary LV chunks ({@code ...LV!}) or, in version 2
 * files, from their XML variants. Not thread-safe: one reader per task.
 */
public final class Nd2File implements StackReader {
    private static final String[] ATTRIBUTES = {"ImageAttributesLV!", "ImageAttributes!"};
    private static final String[] PICTURE = {"ImageMetadataSeqLV|0!", "ImageMetadataSeq|0!"};
    private static final String[] EXPERIMENT = {"ImageMetadataLV!", "ImageMetadata!"};
    private static final String[] CALIBRATION = {"ImageCalibrationLV|0!", "ImageCalibration|0!"};
    private static final String[] TEXT_INFO = {"ImageTextInfoLV!", "ImageTextInfo!"};
    static final String ACQ_TIMES = "CustomData|AcqTimesCache!";
    /** The AcqTimesCache: one acquisition time (ms) per sequence index; empty when the file has none. */
    private double[] acqCacheMs = new double[0];
    private double firstMs;
    private static final int TIMESTAMP_BYTES = 8;

    private final SeekableInput in;
    private final String name;
    private final Nd2ChunkMap map;
    private final Nd2Attributes attributes;
    private final Nd2Experiment experiment;
    private final Nd2PixelLayout layout;
    private final StackInfo info;
    private byte[] scratch = new byte[0];
    private byte[] inflated;
    /** The sequence index whose frame {@link #inflated} holds (-1: none): its other channels need no second inflate. */
    private long inflatedFrame = -1;
    private Inflater inflater;

    /** Opens a local file. */
    public static Nd2File open(Path path) throws IOException {
        SeekableInput in = SeekableInput.local(path);
        try {
            return new Nd2File(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Reads the chunk map and the metadata; the reader owns {@code in} from now on (the caller closes it on failure). */
    public Nd2File(SeekableInput in) throws IOException {
        this.in = in;
        this.name = in.name();
        String version = version();
        this.map = Nd2ChunkMap.read(in);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("nd2.version", version);

        String attributesChunk = first(ATTRIBUTES);
        if (attributesChunk == null) {
            throw new Nd2FormatException(name, "no image attributes: the chunk map lists neither " + ATTRIBUTES[0]
                    + " nor " + ATTRIBUTES[1]);
        }
        byte[] attrData = map.readData(in, map.entry(attributesChunk));
        extra.put("metadata", isXml(attrData) ? "XML" : "LV");
        this.attributes = Nd2Attributes.from(decode(attrData, attributesChunk).unwrap(), name, attributesChunk);
        this.layout = new Nd2PixelLayout(attributes);

        String pictureChunk = first(PICTURE);
        Nd2PictureMetadata picture = pictureChunk == null ? Nd2PictureMetadata.unnamed(attributes.components())
                : Nd2PictureMetadata.from(metadata(pictureChunk).unwrap(), attributes.components());
        if (Double.isNaN(picture.pixelSizeUm())) {
            String calibrationChunk = first(CALIBRATION);
            if (calibrationChunk != null) {
                Nd2Variant cal = metadata(calibrationChunk).unwrap();
                double um = cal.childDouble("dCalibration", Double.NaN);
                if (um > 0 && cal.childBool("bValid", true)) {
                    picture = picture.withPixelSize(um);
                }
            }
        }

        String experimentChunk = first(EXPERIMENT);
        Nd2Experiment loops = experimentChunk == null ? Nd2Experiment.none()
                : Nd2Experiment.from(metadata(experimentChunk).unwrap(), name, experimentChunk);
        this.experiment = loops.fittedTo(attributes.sequenceCount());

        extra.put("compression", attributes.compressionName());
        extra.put("sequences", Integer.toString(attributes.sequenceCount()));
        extra.put("loops", experiment.describe());
        if (attributes.widthBytes() != attributes.width() * attributes.components() * (attributes.bitsInMemory() / 8)) {
            extra.put("row.bytes", Integer.toString(attributes.widthBytes()));
        }
        Nd2Extras.putIf(extra, "objective", picture.objective());
        Nd2Extras.putIf(extra, "objective.magnification", Nd2Extras.number(picture.magnification()));
        Nd2Extras.putIf(extra, "objective.na", Nd2Extras.number(picture.numericalAperture()));
        Nd2Extras.putIf(extra, "zoom", Nd2Extras.number(picture.zoom()));
        Nd2Experiment.Loop xy = experiment.loop(Nd2Experiment.Axis.POSITION);
        if (xy != null && xy.names().stream().anyMatch(n -> !n.isEmpty())) {
            extra.put("position.names", String.join(",", xy.names()));
        }
        String textChunk = first(TEXT_INFO);
        if (textChunk != null) {
            Nd2Extras.putIf(extra, "acquired", metadata(textChunk).unwrap().childString("TextInfoItem_9", "").trim());
        }
        double[] times = frameTimes(extra);

        boolean isFloat = attributes.bitsInMemory() == 32;
        this.info = new StackInfo("nd2", attributes.width(), attributes.height(),
                experiment.count(Nd2Experiment.Axis.POSITION), experiment.count(Nd2Experiment.Axis.TIME),
                experiment.count(Nd2Experiment.Axis.Z), picture.channels(), attributes.pixelType(),
                isFloat ? 0 : attributes.bitsSignificant(), picture.pixelSizeUm(), times, extra);
    }

    /** The version string of the signature chunk at offset 0 ("3.0"), checking the file starts like ND2. */
    private String version() throws IOException {
        int want = Nd2ChunkMap.HEADER + 32 + 16;
        if (in.length() < want) {
            throw new Nd2FormatException(name, "truncated: " + in.length() + " bytes is too short for an ND2 file");
        }
        byte[] head = new byte[want];
        in.readFully(0, head, 0, want);
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != Nd2ChunkMap.MAGIC) {
            throw new Nd2FormatException(name, "not an ND2 file: it does not start with the chunk magic DA CE BE 0A");
        }
        int nameLen = b.getInt(4);
        String sig = new String(head, Nd2ChunkMap.HEADER, 32, StandardCharsets.ISO_8859_1);
        if (nameLen != 32 || !sig.equals(Nd2ChunkMap.FILE_SIGNATURE)) {
            return "unknown";
        }
        String ver = new String(head, Nd2ChunkMap.HEADER + 32, 16, StandardCharsets.ISO_8859_1).trim();
        int nul = ver.indexOf('\0');
        ver = nul >= 0 ? ver.substring(0, nul) : ver;
        return ver.startsWith("Ver") ? ver.substring(3) : ver;
    }

    private String first(String[] names) {
        for (String n : names) {
            if (map.entry(n) != null) {
                return n;
            }
        }
        return null;
    }

    /** A metadata chunk's tree. */
    private Nd2Variant metadata(String chunk) throws IOException {
        return decode(map.readData(in, map.entry(chunk)), chunk);
    }

    private Nd2Variant decode(byte[] data, String chunk) throws Nd2FormatException {
        return isXml(data) ? Nd2XmlMetadata.read(data, name, chunk) : LvReader.read(data, name, chunk);
    }

    /** XML starts with '<' or a byte-order mark; LV starts with a type byte (1 to 11, or 76), never those. */
    private static boolean isXml(byte[] data) {
        int i = 0;
        while (i < data.length && (data[i] == ' ' || data[i] == '\r' || data[i] == '\n' || data[i] == '\t')) {
            i++;
        }
        return i < data.length && (data[i] == '<' || (data[i] & 0xff) == 0xff || (data[i] & 0xff) == 0xfe
                || (data[i] & 0xff) == 0xef);
    }

    /**
     * Acquisition time of each time point (position 0, z 0) in seconds from the first: from the
     * AcqTimesCache (one f64 in ms per frame), else from the timestamps that start the frames.
     */
    private double[] frameTimes(Map<String, String> extra) throws IOException {
        Nd2ChunkMap.Entry acq = map.entry(ACQ_TIMES);
        if (acq != null) {
            byte[] b = map.readData(in, acq);
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            acqCacheMs = new double[b.length / 8];
            for (int i = 0; i < acqCacheMs.length; i++) {
                acqCacheMs[i] = bb.getDouble(i * 8);
            }
        }
        firstMs = acquisitionMs(0);
        boolean fromFrames = false;
        int frames = experiment.count(Nd2Experiment.Axis.TIME);
        for (int t = 0; t < frames && !fromFrames; t++) {
            fromFrames = experiment.sequenceIndex(0, t, 0) >= acqCacheMs.length;
        }
        extra.put("frame.times", fromFrames ? (acq == null ? "frame timestamps" : "AcqTimesCache and frame timestamps")
                : "AcqTimesCache");
        return times(0);
    }

    /** Each time point's acquisition time at one position, in seconds from the file's first frame. */
    private double[] times(int position) throws IOException {
        int frames = experiment.count(Nd2Experiment.Axis.TIME);
        double[] s = new double[frames];
        for (int t = 0; t < frames; t++) {
            s[t] = (acquisitionMs(experiment.sequenceIndex(position, t, 0)) - firstMs) / 1000.0;
        }
        return s;
    }

    /** A frame's acquisition time (ms): from the AcqTimesCache, else the timestamp that starts its data. */
    private double acquisitionMs(long n) throws IOException {
        return n < acqCacheMs.length ? acqCacheMs[(int) n] : frameTimestampMs(n);
    }

    @Override
    public double[] frameTimesS(int position) {
        if (position == 0) {
            return info.frameTimesS();
        }
        try {
            return times(position);
        } catch (IOException e) {
            return info.frameTimesS();   // the frames' own timestamps are unreadable: the first position's times
        }
    }

    /** The f64 timestamp (ms) at the start of frame {@code n}'s data; NaN when the frame is absent. */
    double frameTimestampMs(long n) throws IOException {
        Nd2ChunkMap.Entry e = map.entry(sequenceChunk(n));
        if (e == null || e.offset() + Nd2ChunkMap.HEADER > map.fileLength()) {
            return Double.NaN;
        }
        byte[] h = new byte[Nd2ChunkMap.HEADER];
        in.readFully(e.offset(), h, 0, h.length);
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.LITTLE_ENDIAN);
        long at = e.offset() + Nd2ChunkMap.HEADER + (b.getInt(4) & 0xffffffffL);
        if (b.getInt(0) != Nd2ChunkMap.MAGIC || e.size() < TIMESTAMP_BYTES || at + TIMESTAMP_BYTES > map.fileLength()) {
            return Double.NaN;
        }
        byte[] t = new byte[TIMESTAMP_BYTES];
        in.readFully(at, t, 0, t.length);
        return ByteBuffer.wrap(t).order(ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void read(int position, int time, int z, int channel, float[] into) throws IOException {
        info.checkPlane(name, position, time, z, channel, into);
        long n = experiment.sequenceIndex(position, time, z);
        if (n == inflatedFrame && attributes.compression() != Nd2Attributes.NONE) {
            layout.extract(ByteBuffer.wrap(inflated, 0, layout.bytes()).order(ByteOrder.LITTLE_ENDIAN), 0, channel, into);
            return;
        }
        String chunk = sequenceChunk(n);
        Nd2ChunkMap.Entry e = map.entry(chunk);
        if (e == null) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is missing: no chunk " + chunk);
        }
        Nd2ChunkMap.ChunkData c;
        try {
            c = map.read(in, e, this::scratch);
        } catch (Nd2FormatException ex) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is unreadable: " + ex.reason(), ex);
        }
        int pixels = c.dataLength() - TIMESTAMP_BYTES;
        if (attributes.compression() == Nd2Attributes.NONE) {
            if (pixels < layout.bytes()) {
                throw new Nd2FormatException(name, frame(position, time, z) + " is cut: chunk " + chunk + " holds "
                        + Math.max(0, pixels) + " bytes of pixels, a frame needs " + layout.bytes());
            }
            layout.extract(c.buffer(), c.dataStart() + TIMESTAMP_BYTES, channel, into);
        } else {
            ByteBuffer src = c.buffer().slice(c.dataStart() + TIMESTAMP_BYTES, Math.max(0, pixels));
            inflatedFrame = -1;
            ByteBuffer frame = inflate(src, position, time, z, chunk);
            inflatedFrame = n;
            layout.extract(frame, 0, channel, into);
        }
    }

    /** Inflates a lossless frame (zlib after the timestamp) into the reused frame buffer. */
    private ByteBuffer inflate(ByteBuffer src, int position, int time, int z, String chunk) throws Nd2FormatException {
        int want = layout.bytes();
        if (inflated == null || inflated.length < want) {
            inflated = new byte[want];
        }
        if (inflater == null) {
            inflater = new Inflater();
        }
        inflater.reset();
        inflater.setInput(src);
        int got = 0;
        try {
            while (got < want) {
                int n = inflater.inflate(inflated, got, want - got);
                if (n == 0 && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                got += n;
            }
        } catch (DataFormatException ex) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is corrupt: chunk " + chunk
                    + " does not hold zlib data (" + ex.getMessage() + ")", ex);
        }
        if (got < want) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is cut: chunk " + chunk + " inflates to "
                    + got + " bytes, a frame needs " + want);
        }
        return ByteBuffer.wrap(inflated, 0, want).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[n];
        }
        return scratch;
    }

    private String frame(int position, int time, int z) {
        return Nd2Extras.frame(info, position, time, z);
    }

    static String sequenceChunk(long n) {
        return "ImageDataSeq|" + n + "!";
    }

    /** The sequence index of a frame, row-major over the file's loops. */
    long sequenceIndex(int position, int time, int z) {
        return experiment.sequenceIndex(position, time, z);
    }

    @Override
    public void close() throws IOException {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
        in.close();
    }
}
