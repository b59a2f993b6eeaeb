package org.fieldwork.io.mrc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The 1024-byte MRC2014 header: the words a reader and writer need (others are written as 0, and
 * the cell angles as 90°). Parsing checks that the bytes are an MRC header at all and that the mode
 * is one read here; it does not look at the file's length (the reader does).
 *
 * @param nx        values per row (columns)
 * @param ny        rows per section
 * @param nz        sections (frames of a movie, images of a stack, slices of a volume)
 * @param mode      how values are stored
 * @param mx        sampling along x: the cell holds mx pixels (pixel size = cellX / mx)
 * @param cellX     cell dimensions in Å
 * @param mapc      axis of columns (1 = x), of rows ({@code mapr}) and sections ({@code maps})
 * @param dmin      minimum, maximum and mean value; {@code dmax < dmin} means not determined
 * @param ispg      space group: 0 for images and image stacks, 1 for a volume, 401.. for volume stacks
 * @param nsymbt    bytes of extended header after the main header
 * @param exttyp    extended header type ("FEI1", "SERI", ...; empty when unset)
 * @param nversion  20140 for MRC2014; 0 in legacy files
 * @param rms       RMS deviation from the mean; negative when not determined
 * @param labels    the text labels in use
 * @param byteOrder the order of every number in the file (from the machine stamp)
 */
public record MrcHeader(int nx, int ny, int nz, MrcMode mode, int mx, int my, int mz,
                        float cellX, float cellY, float cellZ, int mapc, int mapr, int maps,
                        float dmin, float dmax, float dmean, int ispg, int nsymbt, String exttyp, int nversion,
                        float originX, float originY, float originZ, float rms, List<String> labels,
                        ByteOrder byteOrder) {
    public static final int BYTES = 1024;
    public static final int MRC2014 = 20140;
    private static final int LABELS = 10;
    private static final int LABEL_BYTES = 80;
    /** Largest nx or ny taken for an MRC header rather than for the bytes of some other file. */
    private static final int MAX_SIDE = 1 << 20;

    public MrcHeader {
        labels = List.copyOf(labels);
        if (labels.size() > LABELS) {
            throw new IllegalArgumentException("an MRC header holds at most 10 labels, got " + labels.size());
        }
    }

    /** Pixel size in Å: cell x / mx; 0 where the header does not say (cell or mx is 0, as in legacy files). */
    public double pixelSizeA() {
        return cellX > 0 && mx > 0 ? (double) cellX / mx : 0;
    }

    /** Where the data start: after the header and the extended header. */
    public long dataOffset() {
        return BYTES + (long) nsymbt;
    }

    public long sectionBytes() {
        return (long) nx * ny * mode.bytesPerValue();
    }

    public long dataBytes() {
        return sectionBytes() * nz;
    }

    /** "10 frames of 80x80 float32", for messages. */
    public String describe() {
        return nz + (nz == 1 ? " frame" : " frames") + " of " + nx + "x" + ny + " " + mode.typeName();
    }

    /**
     * Parses and checks a header.
     *
     * @param head the file's first 1024 bytes
     * @param name the file's name, for messages
     * @throws IOException naming the file when the bytes are not an MRC header, or the mode is not
     *                     one of the five read here
     */
    public static MrcHeader parse(byte[] head, String name) throws IOException {
        if (head.length < BYTES) {
            throw new IOException(name + ": not an MRC file: " + head.length + " bytes, shorter than the "
                    + BYTES + "-byte MRC header");
        }
        boolean magic = head[208] == 'M' && head[209] == 'A' && head[210] == 'P' && head[211] == ' ';
        ByteOrder order = byteOrder(head);
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        int nx = b.getInt(0);
        int ny = b.getInt(4);
        int nz = b.getInt(8);
        int code = b.getInt(12);
        int nsymbt = b.getInt(92);
        boolean plausible = nx > 0 && ny > 0 && nz > 0 && nx <= MAX_SIDE && ny <= MAX_SIDE && nsymbt >= 0;
        String words = "nx " + nx + ", ny " + ny + ", nz " + nz + ", mode " + code + ", extended header " + nsymbt + " bytes";
        if (!magic && (!plausible || MrcMode.ofCode(code) == null)) {
            throw new IOException(name + ": not an MRC file: no 'MAP ' at byte 208 and the header words make no sense ("
                    + words + ")");
        }
        if (!plausible) {
            throw new IOException(name + ": MRC header with impossible dimensions (" + words + ")");
        }
        MrcMode mode = MrcMode.ofCode(code);
        if (mode == null) {
            throw new IOException(name + ": MRC mode " + code + " (" + MrcMode.describeUnsupported(code)
                    + ") is not supported; supported modes: 0 int8, 1 int16, 2 float32, 6 uint16, 12 float16");
        }
        List<String> labels = new ArrayList<>();
        int nlabl = Math.max(0, Math.min(LABELS, b.getInt(220)));
        for (int i = 0; i < nlabl; i++) {
            labels.add(text(head, 224 + i * LABEL_BYTES, LABEL_BYTES));
        }
        return new MrcHeader(nx, ny, nz, mode, b.getInt(28), b.getInt(32), b.getInt(36),
                b.getFloat(40), b.getFloat(44), b.getFloat(48), b.getInt(64), b.getInt(68), b.getInt(72),
                b.getFloat(76), b.getFloat(80), b.getFloat(84), b.getInt(88), nsymbt, text(head, 104, 4), b.getInt(108),
                b.getFloat(196), b.getFloat(200), b.getFloat(204), b.getFloat(216), labels, order);
    }

    /**
     * The file's byte order: the machine stamp's when it names one (0x44 0x4? little-endian,
     * 0x11 0x11 big-endian); otherwise (legacy files with no stamp) the order in which the mode and
     * dimensions make sense, little-endian when both or neither do.
     */
    private static ByteOrder byteOrder(byte[] head) {
        if (head[212] == 0x44 && (head[213] == 0x44 || head[213] == 0x41)) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        if (head[212] == 0x11 && head[213] == 0x11) {
            return ByteOrder.BIG_ENDIAN;
        }
        return !sensible(head, ByteOrder.LITTLE_ENDIAN) && sensible(head, ByteOrder.BIG_ENDIAN)
                ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static boolean sensible(byte[] head, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(head).order(order);
        int nx = b.getInt(0);
        int ny = b.getInt(4);
        int nz = b.getInt(8);
        return nx > 0 && ny > 0 && nz > 0 && nx <= MAX_SIDE && ny <= MAX_SIDE && MrcMode.ofCode(b.getInt(12)) != null;
    }

    private static String text(byte[] head, int offset, int len) {
        int end = offset + len;
        while (end > offset && (head[end - 1] == 0 || head[end - 1] == ' ')) {
            end--;
        }
        return new String(head, offset, end - offset, StandardCharsets.US_ASCII);
    }

    /** The header as 1024 bytes in its byte order, with the matching machine stamp and 'MAP '. */
    public byte[] toBytes() {
        byte[] head = new byte[BYTES];
        ByteBuffer b = ByteBuffer.wrap(head).order(byteOrder);
        b.putInt(0, nx).putInt(4, ny).putInt(8, nz).putInt(12, mode.code());
        b.putInt(28, mx).putInt(32, my).putInt(36, mz);
        b.putFloat(40, cellX).putFloat(44, cellY).putFloat(48, cellZ);
        b.putFloat(52, 90f).putFloat(56, 90f).putFloat(60, 90f);
        b.putInt(64, mapc).putInt(68, mapr).putInt(72, maps);
        b.putFloat(76, dmin).putFloat(80, dmax).putFloat(84, dmean);
        b.putInt(88, ispg).putInt(92, nsymbt).putInt(108, nversion);
        putText(head, 104, 4, exttyp);
        b.putFloat(196, originX).putFloat(200, originY).putFloat(204, originZ);
        putText(head, 208, 4, "MAP ");
        boolean little = byteOrder == ByteOrder.LITTLE_ENDIAN;
        head[212] = (byte) (little ? 0x44 : 0x11);
        head[213] = (byte) (little ? 0x44 : 0x11);
        b.putFloat(216, rms).putInt(220, labels.size());
        for (int i = 0; i < labels.size(); i++) {
            byte[] label = labels.get(i).getBytes(StandardCharsets.US_ASCII);
            java.util.Arrays.fill(head, 224 + i * LABEL_BYTES, 224 + (i + 1) * LABEL_BYTES, (byte) ' ');
            putText(head, 224 + i * LABEL_BYTES, LABEL_BYTES, new String(label, StandardCharsets.US_ASCII));
        }
        return head;
    }

    private static void putText(byte[] head, int offset, int len, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, head, offset, Math.min(len, bytes.length));
    }
}
