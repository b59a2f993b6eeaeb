package org.fieldwork.io.nd2;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The image a JPEG 2000 header describes (ISO/IEC 15444-1): from the {@code ihdr} box inside the
 * file's {@code jp2h} header box, or from the SIZ marker that starts every codestream. All fields
 * are big-endian. Legacy ND2 files hold one codestream per channel plane per frame, so this is the
 * size of one plane and its components (1, or 3 for a colour camera).
 *
 * @param bits   bits per sample (1 to 38); all components alike
 * @param signed whether samples are signed
 */
record Nd2Jp2Image(int width, int height, int components, int bits, boolean signed) {
    private static final int SOC = 0xFF4F;
    private static final int SIZ = 0xFF51;
    private static final int COD = 0xFF52;
    private static final int SOT = 0xFF90;
    private static final int IHDR_BYTES = 14;
    /** ihdr's bit depth when the components differ. */
    private static final int VARIES = 0xFF;

    /** Bytes of a codestream's start that hold its main header markers (SIZ, COD) in practice. */
    static final int HEAD_BYTES = 4096;

    /** The {@code ihdr} box of a {@code jp2h} payload. */
    static Nd2Jp2Image fromHeaderBox(byte[] jp2h, String file) throws Nd2FormatException {
        ByteBuffer b = ByteBuffer.wrap(jp2h);
        int p = 0;
        while (p + 8 <= jp2h.length) {
            long len = b.getInt(p) & 0xffffffffL;
            String type = new String(jp2h, p + 4, 4, StandardCharsets.ISO_8859_1);
            if (type.equals("ihdr")) {
                if (len < 8 + IHDR_BYTES || p + 8 + IHDR_BYTES > jp2h.length) {
                    throw new Nd2FormatException(file, "corrupt JPEG 2000 header: the ihdr box holds " + (len - 8)
                            + " bytes, it needs " + IHDR_BYTES);
                }
                int q = p + 8;
                long height = b.getInt(q) & 0xffffffffL;
                long width = b.getInt(q + 4) & 0xffffffffL;
                int components = b.getShort(q + 8) & 0xffff;
                int bpc = b.get(q + 10) & 0xff;
                return checked(file, "ihdr", width, height, components, bpc == VARIES ? 0 : (bpc & 0x7f) + 1,
                        bpc != VARIES && (bpc & 0x80) != 0);
            }
            if (len < 8) {
                break;
            }
            p += (int) Math.min(len, jp2h.length);
        }
        throw new Nd2FormatException(file, "corrupt JPEG 2000 header: the jp2h box has no ihdr box");
    }

    /** The SIZ marker at the start of a codestream ({@code head} holds at least its first bytes). */
    static Nd2Jp2Image fromCodestream(byte[] head, String file, String what) throws Nd2FormatException {
        ByteBuffer b = ByteBuffer.wrap(head);
        if (head.length < 42 || (b.getShort(0) & 0xffff) != SOC || (b.getShort(2) & 0xffff) != SIZ) {
            throw new Nd2FormatException(file, what + " is not a JPEG 2000 codestream: it does not start with the"
                    + " SOC and SIZ markers (FF 4F FF 51)");
        }
        int lsiz = b.getShort(4) & 0xffff;
        long xsiz = b.getInt(8) & 0xffffffffL;
        long ysiz = b.getInt(12) & 0xffffffffL;
        long x0 = b.getInt(16) & 0xffffffffL;
        long y0 = b.getInt(20) & 0xffffffffL;
        int components = b.getShort(40) & 0xffff;
        if (components == 0 || 42 + 3 * components > head.length || 38 + 3 * components > lsiz) {
            throw new Nd2FormatException(file, what + " has a corrupt SIZ marker (" + components + " components)");
        }
        int ssiz = head[42] & 0xff;
        for (int c = 0; c < components; c++) {
            int s = head[42 + 3 * c] & 0xff;
            int dx = head[43 + 3 * c] & 0xff;
            int dy = head[44 + 3 * c] & 0xff;
            if (s != ssiz || dx != 1 || dy != 1) {
                throw new Nd2FormatException(file, what + ": components of different depth or sampling are not"
                        + " supported");
            }
        }
        return checked(file, what, xsiz - x0, ysiz - y0, components, (ssiz & 0x7f) + 1, (ssiz & 0x80) != 0);
    }

    /**
     * The wavelet of a codestream, from its COD marker: "reversible 5/3" (lossless coding) or
     * "irreversible 9/7" (lossy); "" where the first bytes do not show it.
     */
    static String wavelet(byte[] head) {
        ByteBuffer b = ByteBuffer.wrap(head);
        if (head.length < 6 || (b.getShort(0) & 0xffff) != SOC) {
            return "";
        }
        int p = 2;
        while (p + 4 <= head.length) {
            int marker = b.getShort(p) & 0xffff;
            int len = b.getShort(p + 2) & 0xffff;
            if (marker == COD) {
                if (p + 14 > head.length) {
                    return "";
                }
                return switch (head[p + 13]) {
                    case 1 -> "reversible 5/3";
                    case 0 -> "irreversible 9/7";
                    default -> "";
                };
            }
            if (marker == SOT || (marker & 0xFF00) != 0xFF00 || len < 2) {
                return "";
            }
            p += 2 + len;
        }
        return "";
    }

    private static Nd2Jp2Image checked(String file, String what, long width, long height, int components, int bits,
                                       boolean signed) throws Nd2FormatException {
        if (width <= 0 || height <= 0 || width * height > Integer.MAX_VALUE || components == 0) {
            throw new Nd2FormatException(file, "corrupt JPEG 2000 " + what + ": " + width + " x " + height
                    + " pixels of " + components + " components");
        }
        return new Nd2Jp2Image((int) width, (int) height, components, bits, signed);
    }

    /** "512 x 512, 1 component of 16 bits", for messages. */
    String describe() {
        return width + " x " + height + ", " + components + " component" + (components == 1 ? "" : "s") + " of "
                + (bits == 0 ? "varying" : Integer.toString(bits)) + " bits" + (signed ? " (signed)" : "");
    }
}
