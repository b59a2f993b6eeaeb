package org.fieldwork.io.stack;

import java.awt.image.BufferedImage;
import java.awt.image.ComponentSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferFloat;
import java.awt.image.DataBufferInt;
import java.awt.image.DataBufferUShort;
import java.awt.image.Raster;
import java.awt.image.SampleModel;
import java.io.EOFException;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

import org.fieldwork.io.SeekableInput;

/**
 * A multi-page TIFF read as a stack: an OME-TIFF (planes placed by its OME-XML), an ImageJ
 * hyperstack (channel fastest, then z, then time), or plain pages (one time point each). The
 * layout comes from the first page's tags at open; pages are decoded on demand by the JDK's
 * ImageIO TIFF reader, one at a time into one reused image, so a stack never sits in memory whole.
 * Not thread-safe; each task opens its own.
 */
final class TiffStack implements StackReader {
    /** Compression codes the JDK's TIFF reader decodes. */
    private static final Map<Integer, String> DECODED = Map.of(1, "none", 2, "CCITT RLE", 3, "CCITT T.4",
            4, "CCITT T.6", 5, "LZW", 6, "old JPEG", 7, "JPEG", 8, "Deflate", 32773, "PackBits", 32946, "Deflate");
    /** Other common codes, named in the message that refuses them. */
    private static final Map<Integer, String> NOT_DECODED = Map.of(34925, "LZMA", 50000, "Zstandard", 50001, "WebP",
            33003, "JPEG 2000", 33005, "JPEG 2000", 34712, "JPEG 2000", 34933, "PNG", 34934, "JPEG XR", 50002, "JPEG XL");

    private final SeekableInput input;
    /** Our own view of the file for directory walks, apart from the one ImageIO's reader moves through. */
    private final SeekableImageStream directories;
    private final SeekableImageStream pixels;
    private final ImageReader reader;
    private final TiffDirectory first;
    private final PlaneLayout layout;
    private final StackInfo info;
    private final int samples;
    private BufferedImage reused;
    private ImageTypeSpecifier reusedType;

    private TiffStack(SeekableInput input, SeekableImageStream directories, TiffDirectory first, PlaneLayout layout,
                      String pixelType, ImageReader reader) {
        this.input = input;
        this.directories = directories;
        this.first = first;
        this.layout = layout;
        this.samples = first.samplesPerPixel();
        this.pixels = new SeekableImageStream(input);
        this.reader = reader;
        reader.setInput(pixels, false, true);
        int bits = layout.significantBits() > 0 ? layout.significantBits()
                : pixelType.equals("float32") ? 0 : first.bitsPerSample();
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("layout", layout.kind());
        extra.put("compression", DECODED.get(first.compression()));
        extra.putAll(layout.extra());
        info = new StackInfo("tiff", first.width(), first.height(), 1, layout.frames(), layout.zSlices(),
                layout.channels(), pixelType, bits, layout.pixelSizeUm(), layout.frameTimesS(), extra);
    }

    /** Reads the layout; takes ownership of {@code input} and closes it when this fails. */
    static TiffStack open(SeekableInput input) throws IOException {
        try {
            String name = input.name();
            SeekableImageStream directories = new SeekableImageStream(input);
            TiffDirectory first = TiffDirectory.first(name, directories);
            if (first.width() < 1 || first.height() < 1) {
                throw new IOException(name + ": the first page of this TIFF has no ImageWidth or ImageLength");
            }
            if (!DECODED.containsKey(first.compression())) {
                throw new IOException(name + ": TIFF compression " + first.compression()
                        + (NOT_DECODED.containsKey(first.compression()) ? " (" + NOT_DECODED.get(first.compression()) + ")" : "")
                        + " is not decoded by the JDK's TIFF reader; save the stack uncompressed, LZW or Deflate,"
                        + " or add a reader jar that decodes it");
            }
            String pixelType = pixelType(name, first);
            PlaneLayout layout = layout(name, directories, first);
            return new TiffStack(input, directories, first, layout, pixelType, tiffReader(name));
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private static PlaneLayout layout(String name, SeekableImageStream directories, TiffDirectory first) throws IOException {
        String description = first.description();
        int samples = first.samplesPerPixel();
        PlaneLayout layout = null;
        if (OmeXml.holds(description)) {
            layout = OmeXml.layout(name, description, fileName(name), samples);
        } else if (description.startsWith(ImageJDescription.PREFIX)) {
            layout = ImageJDescription.layout(name, description, samples, first);
        }
        if (layout == null) {
            int pages = TiffDirectory.pageOffsets(name, directories, first).length;
            double pixelSizeUm = first.resolutionUnit() == 3 ? 1e4 / first.xResolution() : Double.NaN;
            layout = PlaneLayout.frames(pages, samples, pixelSizeUm);
        }
        return layout;
    }

    /** The stack's pixel type from the first page's BitsPerSample and SampleFormat. */
    private static String pixelType(String name, TiffDirectory d) throws IOException {
        int bits = d.bitsPerSample();
        switch (d.sampleFormat()) {
            case 3:
                if (bits == 32) {
                    return "float32";
                }
                throw new IOException(name + ": " + bits + "-bit floating-point samples are not supported (32-bit float is)");
            case 2:
                throw new IOException(name + ": signed " + bits + "-bit integer samples are not supported"
                        + " (unsigned 8, 16 or 32 bits and 32-bit float are)");
            default:
                if (bits < 1) {
                    throw new IOException(name + ": the first page's BitsPerSample is " + bits);
                } else if (bits <= 8) {
                    return "uint8";
                } else if (bits <= 16) {
                    return "uint16";
                } else if (bits <= 32) {
                    return "uint32";
                }
                throw new IOException(name + ": " + bits + "-bit samples are not supported (at most 32 bits)");
        }
    }

    /** The JDK's own TIFF reader, ahead of any other plugin on the classpath, so every JVM decodes alike. */
    private static ImageReader tiffReader(String name) throws IOException {
        ImageReader chosen = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("tiff"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (chosen == null || fromJdk(r) && !fromJdk(chosen)) {
                if (chosen != null) {
                    chosen.dispose();
                }
                chosen = r;
            } else {
                r.dispose();
            }
        }
        if (chosen == null) {
            throw new IOException(name + ": this JVM has no ImageIO TIFF reader (the JDK has one from Java 9)");
        }
        return chosen;
    }

    private static boolean fromJdk(ImageReader reader) {
        return "java.desktop".equals(reader.getClass().getModule().getName());
    }

    private static String fileName(String name) {
        return name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    }

    @Override
    public StackInfo info() {
        return info;
    }

    @Override
    public String name() {
        return input.name();
    }

    @Override
    public void read(int position, int time, int z, int channel, float[] into) throws IOException {
        info.checkPlane(name(), position, time, z, channel, into);
        String plane = "time point " + time + ", z slice " + z + ", channel " + channel;
        int page = layout.page(time, z, channel / samples);
        if (page < 0) {
            throw new IOException(name() + ": " + plane + " is not in this file: its OME-XML places it in another"
                    + " file of a multi-file OME-TIFF set");
        }
        copy(decode(page, plane).getRaster(), channel % samples, into, info.pixelType().equals("uint32"));
    }

    /** Decodes one page into the reused image when the page's type allows it. */
    private BufferedImage decode(int page, String plane) throws IOException {
        int width;
        int height;
        BufferedImage image;
        try {
            width = reader.getWidth(page);
            height = reader.getHeight(page);
            ImageTypeSpecifier type = reader.getRawImageType(page);
            ImageReadParam param = reader.getDefaultReadParam();
            if (reused != null && type != null && type.equals(reusedType)
                    && width == reused.getWidth() && height == reused.getHeight()) {
                param.setDestination(reused);
            }
            image = reader.read(page, param);
            reused = image;
            reusedType = type;
        } catch (IOException | IndexOutOfBoundsException e) {
            throw unreadable(page, plane, e);
        }
        if (width != info.width() || height != info.height()) {
            throw new IOException(name() + ": page " + page + " (" + plane + ") is " + width + "x" + height
                    + " pixels but the stack's planes are " + info.width() + "x" + info.height());
        }
        return image;
    }

    /**
     * Says why a page could not be decoded: its directory cannot be reached (the chain of
     * directories ends early or leaves the file), its pixel data runs past the end, or the decoder's reason.
     */
    private IOException unreadable(int page, String plane, Exception e) {
        try {
            TiffDirectory.locate(name(), directories, first, page);
        } catch (IOException chain) {
            return new IOException(chain.getMessage() + "; that page holds " + plane, e);
        }
        boolean pastEnd = false;
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            pastEnd |= t instanceof EOFException || String.valueOf(t.getMessage()).contains("out of stream");
            if (t.getMessage() != null) {
                reason.append(reason.length() == 0 ? "" : ": ").append(t.getMessage());
            }
        }
        String why = pastEnd
                ? "its pixel data runs past the end of the file (" + input.length() + " bytes); the file is truncated"
                : "the TIFF decoder says: " + (reason.length() == 0 ? e.getClass().getSimpleName() : reason);
        return new IOException(name() + ": cannot read page " + page + " (" + plane + "): " + why, e);
    }

    /**
     * Copies one sample of every pixel from the raster's data array (unsigned for integers), with
     * no call per pixel where the samples lie in arrays of a type read here.
     */
    static void copy(Raster raster, int band, float[] into, boolean unsigned32) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        SampleModel sm = raster.getSampleModel();
        DataBuffer db = raster.getDataBuffer();
        boolean plain = db instanceof DataBufferByte || db instanceof DataBufferUShort || db instanceof DataBufferInt
                || db instanceof DataBufferFloat;
        if (!plain || !(sm instanceof ComponentSampleModel c)) {
            raster.getSamples(raster.getMinX(), raster.getMinY(), w, h, band, into);
            return;
        }
        int bank = c.getBankIndices()[band];
        int stride = c.getPixelStride();
        int scan = c.getScanlineStride();
        int base = db.getOffsets()[bank] + c.getBandOffsets()[band]
                + (raster.getMinY() - raster.getSampleModelTranslateY()) * scan
                + (raster.getMinX() - raster.getSampleModelTranslateX()) * stride;
        for (int y = 0; y < h; y++) {
            int from = base + y * scan;
            int to = y * w;
            if (db instanceof DataBufferUShort u) {
                short[] d = u.getData(bank);
                for (int x = 0; x < w; x++) {
                    into[to + x] = d[from + x * stride] & 0xffff;
                }
            } else if (db instanceof DataBufferByte b) {
                byte[] d = b.getData(bank);
                for (int x = 0; x < w; x++) {
                    into[to + x] = d[from + x * stride] & 0xff;
                }
            } else if (db instanceof DataBufferFloat f) {
                float[] d = f.getData(bank);
                for (int x = 0; x < w; x++) {
                    into[to + x] = d[from + x * stride];
                }
            } else {
                int[] d = ((DataBufferInt) db).getData(bank);
                for (int x = 0; x < w; x++) {
                    into[to + x] = unsigned32 ? d[from + x * stride] & 0xffffffffL : d[from + x * stride];
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        try {
            reader.dispose();
            pixels.close();
            directories.close();
        } finally {
            input.close();
        }
    }
}
