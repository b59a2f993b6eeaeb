package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import ome.codecs.CodecException;
import ome.codecs.CodecOptions;
import ome.codecs.JPEG2000Codec;
import ome.codecs.JPEG2000CodecOptions;
import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.nd2.Nd2BoxIndex.Box;
import org.fieldwork.io.nd2.Nd2Experiment.Axis;
import org.fieldwork.io.stack.StackInfo;
import org.fieldwork.io.stack.StackReader;

/**
 * A legacy Nikon ND2 file (version 1, NIS-Elements 2.x): a JPEG 2000 box sequence whose frames are
 * codestream boxes ({@code jp2c}, tagged {@code LUNK}), one per channel plane, frame after frame, and
 * whose metadata are XML boxes ({@code VIMD} per frame, {@code TINF} text info, {@code AIM1}/{@code AIMD}
 * experiment, {@code ARTT} image attributes). Opening reads the box map at the end of the file
 * ({@link Nd2BoxIndex}), the first codestream's header and the metadata boxes; each {@link #read}
 * reads and decodes one codestream with ome-codecs' {@link JPEG2000Codec}, keeping the last one so
 * the channels of a colour codestream decode once. Not thread-safe: one reader per task.
 */
public final class Nd2LegacyFile implements StackReader {
    /** The JPEG 2000 signature box every legacy ND2 file starts with. */
    static final byte[] JP2_SIGNATURE = {0, 0, 0, 0x0C, 'j', 'P', ' ', ' ', 0x0D, 0x0A, (byte) 0x87, 0x0A};
    static final String CODESTREAM = "jp2c";
    static final String HEADER = "jp2h";
    static final String FRAME_METADATA = "VIMD";
    static final String FRAME_CALIBRATION = "VCAL";
    static final String TEXT_INFO = "TINF";
    static final String IMAGE_ATTRIBUTES = "ARTT";
    static final String[] EXPERIMENT = {"AIM1", "AIMD"};

    private final SeekableInput in;
    private final String name;
    private final Nd2BoxIndex index;
    private final List<Box> codestreams;
    private final Nd2Jp2Image image;
    private final int perFrame;
    private final Nd2LegacyLoops loops;
    private final StackInfo info;
    private final JPEG2000Codec codec = new JPEG2000Codec();
    private int decodedIndex = -1;
    private byte[] decoded;

    /** Opens a local file. */
    public static Nd2LegacyFile open(Path path) throws IOException {
        SeekableInput in = SeekableInput.local(path);
        try {
            return new Nd2LegacyFile(in);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Whether {@code head} starts with the JPEG 2000 signature box. */
    static boolean isJp2(byte[] head) {
        return head != null && head.length >= JP2_SIGNATURE.length
                && Arrays.equals(head, 0, JP2_SIGNATURE.length, JP2_SIGNATURE, 0, JP2_SIGNATURE.length);
    }

    /** Reads the box map and the metadata; the reader owns {@code in} from now on (the caller closes it on failure). */
    public Nd2LegacyFile(SeekableInput in) throws IOException {
        this.in = in;
        this.name = in.name();
        checkSignature();
        this.index = Nd2BoxIndex.read(in);
        this.codestreams = index.ofType(CODESTREAM);
        if (codestreams.isEmpty()) {
            throw new Nd2FormatException(name, "no frames: the box map lists no JPEG 2000 codestream box ('jp2c')");
        }
        byte[] head = head(codestreams.get(0));
        this.image = image(head);

        List<Box> frameBoxes = index.tagged(FRAME_METADATA);
        Nd2LegacyFrameMetadata picture = frameBoxes.isEmpty() ? Nd2LegacyFrameMetadata.NONE
                : Nd2LegacyFrameMetadata.from(xml(frameBoxes.get(0)));
        int records = Math.max(frameBoxes.size(), index.tagged(FRAME_CALIBRATION).size());
        this.perFrame = codestreamsPerFrame(codestreams.size(), records, picture.planes());
        int sequences = codestreams.size() / perFrame;

        Box experimentBox = index.firstTagged(EXPERIMENT);
        Box textBox = index.firstTagged(TEXT_INFO);
        this.loops = Nd2LegacyLoops.resolve(experimentBox == null ? null : xml(experimentBox),
                experimentBox == null ? "" : experimentBox.tag(),
                textBox == null ? List.of() : Nd2LegacyXml.texts(xml(textBox)), sequences);

        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("nd2.version", "1 (JPEG 2000)");
        extra.put("metadata", "legacy XML boxes");
        String wavelet = Nd2Jp2Image.wavelet(head);
        extra.put("compression", "JPEG 2000" + (wavelet.isEmpty() ? "" : ", " + wavelet + " wavelet"));
        extra.put("sequences", Integer.toString(sequences));
        extra.put("loops", loops.describe());
        extra.put("loops.source", loops.source());
        if (perFrame > 1) {
            extra.put("codestreams.per.frame", Integer.toString(perFrame));
        }
        Nd2Extras.putIf(extra, "objective", picture.objective());
        Nd2Extras.putIf(extra, "objective.magnification", Nd2Extras.number(picture.magnification()));
        Nd2Extras.putIf(extra, "objective.na", Nd2Extras.number(picture.numericalAperture()));
        double[] times = frameTimes(frameBoxes, sequences);
        if (times.length > 0) {
            extra.put("frame.times", "frame metadata (" + FRAME_METADATA + ")");
        }
        this.info = new StackInfo("nd2", image.width(), image.height(), loops.count(Axis.POSITION),
                loops.count(Axis.TIME), loops.count(Axis.Z), picture.channelNames(perFrame, image.components()),
                image.bits() <= 8 ? "uint8" : "uint16", significantBits(), picture.pixelSizeUm(), times, extra);
    }

    private void checkSignature() throws IOException {
        if (in.length() < JP2_SIGNATURE.length) {
            throw new Nd2FormatException(name, "truncated: " + in.length()
                    + " bytes is too short for a legacy ND2 file");
        }
        byte[] head = new byte[JP2_SIGNATURE.length];
        in.readFully(0, head, 0, head.length);
        if (!isJp2(head)) {
            throw new Nd2FormatException(name, "not a legacy ND2 file: it does not start with the JPEG 2000 signature"
                    + " box (00 00 00 0C 'jP  ' 0D 0A 87 0A)");
        }
    }

    /** The first bytes of a codestream box's payload, enough for its main header. */
    private byte[] head(Box box) throws IOException {
        int n = (int) Math.min(box.extent(), 16 + Nd2Jp2Image.HEAD_BYTES);
        byte[] b = new byte[n];
        in.readFully(box.offset(), b, 0, n);
        int skip = n >= 8 && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 1 ? 16 : 8;
        if (n < skip) {
            throw new Nd2FormatException(name, box + " has only " + n + " bytes before the next box");
        }
        return Arrays.copyOfRange(b, skip, n);
    }

    /** The plane size and sample type: the first codestream's SIZ marker, checked against the ihdr box. */
    private Nd2Jp2Image image(byte[] head) throws IOException {
        Nd2Jp2Image cs = Nd2Jp2Image.fromCodestream(head, name, "the first frame's " + codestreams.get(0));
        List<Box> headers = index.ofType(HEADER);
        if (!headers.isEmpty()) {
            Nd2Jp2Image ihdr = Nd2Jp2Image.fromHeaderBox(index.payload(in, headers.get(0)), name);
            if (ihdr.width() != cs.width() || ihdr.height() != cs.height() || ihdr.components() != cs.components()) {
                throw new Nd2FormatException(name, "corrupt JPEG 2000 header: the ihdr box says " + ihdr.describe()
                        + ", the first codestream " + cs.describe());
            }
        }
        if (cs.signed() || cs.bits() > 16) {
            throw new Nd2FormatException(name, "unsupported samples: " + cs.describe()
                    + " (legacy ND2 frames of unsigned 8- or 16-bit samples are read)");
        }
        return cs;
    }

    /**
     * Codestreams per frame: one per channel plane. The frame records (one {@code VIMD} and one
     * {@code VCAL} box per frame) and frame 0's plane count say it; where they disagree with the
     * number of codestreams, the one that divides it wins, else each codestream is a frame.
     */
    static int codestreamsPerFrame(int codestreams, int records, int planes) {
        if (planes > 0 && codestreams % planes == 0 && (records == 0 || records == codestreams / planes)) {
            return planes;
        }
        if (records > 0 && codestreams % records == 0) {
            return codestreams / records;
        }
        if (planes > 0 && codestreams % planes == 0) {
            return planes;
        }
        return 1;
    }

    private int significantBits() throws IOException {
        Box attrs = index.firstTagged(IMAGE_ATTRIBUTES);
        if (attrs != null) {
            long bits = Math.round(Nd2LegacyXml.number(xml(attrs), "SignificantBits"));
            if (bits > 0 && bits <= image.bits()) {
                return (int) bits;
            }
        }
        return image.bits();
    }

    /**
     * Seconds of each time point (position 0, z 0) from the first, from the {@code TimeMSec} of
     * each frame's metadata box; empty where the file has no box per frame or one lacks the time.
     */
    private double[] frameTimes(List<Box> frameBoxes, int sequences) throws IOException {
        if (frameBoxes.size() != sequences) {
            return new double[0];
        }
        int frames = loops.count(Axis.TIME);
        List<Box> wanted = new ArrayList<>(frames);
        for (int t = 0; t < frames; t++) {
            wanted.add(frameBoxes.get((int) loops.sequenceIndex(0, t, 0)));
        }
        List<byte[]> payloads = index.payloads(in, wanted);
        double[] s = new double[frames];
        double first = Double.NaN;
        for (int t = 0; t < frames; t++) {
            Nd2Variant meta = Nd2LegacyXml.read(payloads.get(t), name, wanted.get(t).toString());
            double ms = Nd2LegacyFrameMetadata.timeMs(meta);
            if (Double.isNaN(ms)) {
                return new double[0];
            }
            if (t == 0) {
                first = ms;
            }
            s[t] = (ms - first) / 1000.0;
        }
        return s;
    }

    private Nd2Variant xml(Box box) throws IOException {
        return Nd2LegacyXml.read(index.payload(in, box), name, box.toString());
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
        int pixels = image.width() * image.height();
        long n = loops.sequenceIndex(position, time, z);
        int components = image.components();
        byte[] samples = decoded((int) (n * perFrame + channel / components), position, time, z);
        int component = channel % components;
        if (image.bits() <= 8) {
            int base = component * pixels;
            for (int i = 0; i < pixels; i++) {
                into[i] = samples[base + i] & 0xff;
            }
        } else {
            int base = component * pixels * 2;
            for (int i = 0; i < pixels; i++) {
                int p = base + 2 * i;
                into[i] = (samples[p] & 0xff) | (samples[p + 1] & 0xff) << 8;
            }
        }
    }

    /** The samples of codestream {@code k}, component after component, little-endian; the last one is kept. */
    private byte[] decoded(int k, int position, int time, int z) throws IOException {
        if (k == decodedIndex) {
            return decoded;
        }
        Box box = codestreams.get(k);
        byte[] codestream;
        try {
            codestream = index.payload(in, box);
        } catch (Nd2FormatException e) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is unreadable: " + e.reason(), e);
        }
        Nd2Jp2Image own = Nd2Jp2Image.fromCodestream(codestream, name, frame(position, time, z) + " (" + box + ")");
        if (!own.equals(image)) {
            throw new Nd2FormatException(name, frame(position, time, z) + " differs from the first frame: its "
                    + box + " holds " + own.describe() + ", the first " + image.describe());
        }
        CodecOptions options = JPEG2000CodecOptions.getDefaultOptions();
        options.littleEndian = true;
        options.interleaved = false;
        byte[] out;
        try {
            out = codec.decompress(codestream, options);
        } catch (CodecException | RuntimeException e) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is corrupt: its JPEG 2000 codestream ("
                    + box + ") does not decode: " + e.getMessage(), e);
        }
        int want = image.width() * image.height() * image.components() * (image.bits() <= 8 ? 1 : 2);
        if (out == null || out.length != want) {
            throw new Nd2FormatException(name, frame(position, time, z) + " is corrupt: its JPEG 2000 codestream ("
                    + box + ") decodes to " + (out == null ? 0 : out.length) + " bytes, a frame needs " + want);
        }
        decodedIndex = k;
        decoded = out;
        return out;
    }

    private String frame(int position, int time, int z) {
        return Nd2Extras.frame(info, position, time, z);
    }

    @Override
    public void close() throws IOException {
        decoded = null;
        in.close();
    }
}
