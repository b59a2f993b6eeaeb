package org.fieldwork.io.nd2;

/**
 * The image attributes of an ND2 file ({@code ImageAttributesLV!} or {@code ImageAttributes!}): the
 * size of each frame, its row stride, the components (channels) interleaved in each pixel, their
 * type, the number of frames (sequences) and how they are compressed.
 *
 * @param width           pixels per row
 * @param widthBytes      bytes per row, padding included
 * @param height          rows
 * @param components      values per pixel, channels interleaved
 * @param bitsInMemory    8, 16 or 32 (32 = float32)
 * @param bitsSignificant bits used of each integer value
 * @param sequenceCount   frames (ImageDataSeq chunks) the file holds
 * @param compression     eCompression: 0 lossless (zlib), 1 lossy, 2 none
 */
record Nd2Attributes(int width, int widthBytes, int height, int components, int bitsInMemory, int bitsSignificant,
                     int sequenceCount, int compression) {

    static final int LOSSLESS = 0;
    static final int LOSSY = 1;
    static final int NONE = 2;

    /** Reads and checks the attributes from their (unwrapped) metadata tree. */
    static Nd2Attributes from(Nd2Variant a, String file, String chunk) throws Nd2FormatException {
        long width = a.childLong("uiWidth", -1);
        long height = a.childLong("uiHeight", -1);
        long comp = a.childLong("uiComp", -1);
        long bits = a.childLong("uiBpcInMemory", -1);
        long significant = a.childLong("uiBpcSignificant", bits);
        long sequences = a.childLong("uiSequenceCount", -1);
        long compression = a.childLong("eCompression", NONE);
        if (width <= 0 || height <= 0 || comp <= 0 || bits < 0 || sequences < 0) {
            throw new Nd2FormatException(file, "corrupt image attributes in chunk " + chunk + ": uiWidth " + width
                    + ", uiHeight " + height + ", uiComp " + comp + ", uiBpcInMemory " + bits + ", uiSequenceCount "
                    + sequences + " (a value is missing or not positive)");
        }
        if (bits != 8 && bits != 16 && bits != 32) {
            throw new Nd2FormatException(file, "unsupported pixels in chunk " + chunk + ": uiBpcInMemory " + bits
                    + " (8, 16 and 32 are supported)");
        }
        if (width > 1 << 20 || height > 1 << 20 || comp > 1024) {
            throw new Nd2FormatException(file, "corrupt image attributes in chunk " + chunk + ": " + width + "x"
                    + height + " pixels of " + comp + " components");
        }
        long minRow = width * comp * (bits / 8);
        long widthBytes = a.childLong("uiWidthBytes", 0);
        if (widthBytes == 0) {
            widthBytes = minRow;
        }
        if (widthBytes < minRow || widthBytes * height > Integer.MAX_VALUE - 4096) {
            throw new Nd2FormatException(file, "corrupt image attributes in chunk " + chunk + ": uiWidthBytes "
                    + widthBytes + " for rows of " + width + " pixels x " + comp + " components x " + bits / 8
                    + " bytes (" + minRow + " bytes at least)");
        }
        if (compression == LOSSY) {
            throw new Nd2FormatException(file, "unsupported compression in chunk " + chunk
                    + ": eCompression 1 (lossy); lossless (0) and none (2) are supported");
        }
        if (compression != LOSSLESS && compression != NONE) {
            throw new Nd2FormatException(file, "unknown compression in chunk " + chunk + ": eCompression " + compression);
        }
        if (significant <= 0 || significant > bits) {
            significant = bits;
        }
        return new Nd2Attributes((int) width, (int) widthBytes, (int) height, (int) comp, (int) bits, (int) significant,
                (int) Math.min(sequences, Integer.MAX_VALUE), (int) compression);
    }

    String pixelType() {
        return switch (bitsInMemory) {
            case 8 -> "uint8";
            case 16 -> "uint16";
            default -> "float32";
        };
    }

    String compressionName() {
        return compression == LOSSLESS ? "zlib" : "none";
    }

    /** Bytes of one frame's pixels as stored uncompressed. */
    int frameBytes() {
        return widthBytes * height;
    }
}
