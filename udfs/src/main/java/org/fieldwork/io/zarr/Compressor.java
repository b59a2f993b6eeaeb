package org.fieldwork.io.zarr;

import java.io.Serializable;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How chunk bytes are compressed: the {@code compressor} entry of {@code .zarray}. Each variant writes
 * only the config keys numcodecs 0.11 accepts (no {@code checksum} for zstd), and reads what python
 * zarr writes for it. Implementations are stateless, so one instance serves every thread.
 */
public sealed interface Compressor extends Serializable permits Compressor.None, Compressor.Zstd, Compressor.Zlib {

    public static Compressor none() {
        return None.INSTANCE;
    }

    public static Compressor zstd(int level) {
        return new Zstd(level);
    }

    public static Compressor zlib(int level) {
        return new Zlib(level);
    }

    /** The numcodecs id, or null for no compression. */
    String id();

    /** A buffer this large always holds the compressed form of {@code length} bytes. */
    int maxCompressedLength(int length);

    /** Compresses {@code src[0..length)} into {@code dst} (at least {@link #maxCompressedLength} long); returns the compressed size. */
    int compress(byte[] src, int length, byte[] dst);

    /**
     * Decompresses {@code src[0..srcLength)} into exactly {@code dst[0..dstLength)}; any other outcome
     * (bad data, too little, too much) is an exception whose message says what went wrong.
     */
    void decompress(byte[] src, int srcLength, byte[] dst, int dstLength) throws DataFormatException;

    /** The JSON written as {@code compressor} in {@code .zarray} (JSON null for none). */
    JsonNode toJson();

    /** Reads a {@code compressor} entry; unknown ids fail with the array path and the id. */
    static Compressor fromJson(JsonNode node, String arrayPath) throws ZarrFormatException {
        if (node == null || node.isNull()) {
            return none();
        }
        String id = node.path("id").asText(null);
        if ("zstd".equals(id)) {
            // numcodecs' default level is 1; "checksum" (newer numcodecs) only affects writing.
            return zstd(node.path("level").asInt(1));
        }
        if ("zlib".equals(id)) {
            return zlib(node.path("level").asInt(1));
        }
        throw new ZarrFormatException(arrayPath + ": unsupported compressor '" + id + "' (supported: zstd, zlib, none)");
    }

    /** No compression: chunk files hold the raw element bytes. */
    enum None implements Compressor {
        INSTANCE;

        @Override
        public String id() {
            return null;
        }

        @Override
        public int maxCompressedLength(int length) {
            return length;
        }

        @Override
        public int compress(byte[] src, int length, byte[] dst) {
            System.arraycopy(src, 0, dst, 0, length);
            return length;
        }

        @Override
        public void decompress(byte[] src, int srcLength, byte[] dst, int dstLength) throws DataFormatException {
            if (srcLength != dstLength) {
                throw new DataFormatException("uncompressed chunk has " + srcLength + " bytes, expected " + dstLength);
            }
            System.arraycopy(src, 0, dst, 0, dstLength);
        }

        @Override
        public JsonNode toJson() {
            return JsonNodeFactory.instance.nullNode();
        }
    }

    /** Zstandard frames, as numcodecs' Zstd codec reads and writes them. */
    record Zstd(int level) implements Compressor {
        @Override
        public String id() {
            return "zstd";
        }

        @Override
        public int maxCompressedLength(int length) {
            return Math.toIntExact(com.github.luben.zstd.Zstd.compressBound(length));
        }

        /**
         * One compression context per thread and level: a fresh context per chunk pays for
         * allocating and touching its workspace every time (up to a third of the compression time).
         */
        private static final ThreadLocal<java.util.Map<Integer, com.github.luben.zstd.ZstdCompressCtx>> CONTEXTS =
                ThreadLocal.withInitial(java.util.HashMap::new);

        @Override
        public int compress(byte[] src, int length, byte[] dst) {
            com.github.luben.zstd.ZstdCompressCtx ctx = CONTEXTS.get().computeIfAbsent(level, l -> {
                com.github.luben.zstd.ZstdCompressCtx c = new com.github.luben.zstd.ZstdCompressCtx();
                c.setLevel(l);
                c.setContentSize(true); // numcodecs sizes its output from the frame's content size
                c.setChecksum(false);
                return c;
            });
            try {
                return ctx.compressByteArray(dst, 0, dst.length, src, 0, length);
            } catch (RuntimeException e) {
                throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void decompress(byte[] src, int srcLength, byte[] dst, int dstLength) throws DataFormatException {
            long n = com.github.luben.zstd.Zstd.decompressByteArray(dst, 0, dstLength, src, 0, srcLength);
            if (com.github.luben.zstd.Zstd.isError(n)) {
                throw new DataFormatException("zstd: " + com.github.luben.zstd.Zstd.getErrorName(n));
            }
            if (n != dstLength) {
                throw new DataFormatException("zstd: decompressed " + n + " bytes, expected " + dstLength);
            }
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", "zstd");
            o.put("level", level);
            return o;
        }
    }

    /** zlib streams (RFC 1950, with header and Adler-32), as Python's zlib.compress and numcodecs' Zlib. */
    record Zlib(int level) implements Compressor {
        public Zlib {
            if (level < 0 || level > 9) {
                throw new IllegalArgumentException("zlib level must be 0..9, got " + level);
            }
        }

        @Override
        public String id() {
            return "zlib";
        }

        @Override
        public int maxCompressedLength(int length) {
            // zlib's compressBound plus the 6-byte zlib wrapper, with slack for stored blocks.
            long bound = (long) length + (length >> 12) + (length >> 14) + (length >> 25) + 13 + 6 + 64;
            return Math.toIntExact(bound);
        }

        @Override
        public int compress(byte[] src, int length, byte[] dst) {
            Deflater deflater = new Deflater(level);
            try {
                deflater.setInput(src, 0, length);
                deflater.finish();
                int n = 0;
                while (!deflater.finished()) {
                    if (n == dst.length) {
                        throw new IllegalStateException("zlib output exceeded its bound of " + dst.length + " bytes");
                    }
                    n += deflater.deflate(dst, n, dst.length - n);
                }
                return n;
            } finally {
                deflater.end();
            }
        }

        @Override
        public void decompress(byte[] src, int srcLength, byte[] dst, int dstLength) throws DataFormatException {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(src, 0, srcLength);
                int n = 0;
                while (!inflater.finished()) {
                    int got = inflater.inflate(dst, n, dstLength - n);
                    n += got;
                    if (got == 0 && !inflater.finished()) {
                        if (n == dstLength) {
                            throw new DataFormatException("zlib: stream holds more than the expected " + dstLength + " bytes");
                        }
                        if (inflater.needsInput() || inflater.needsDictionary()) {
                            throw new DataFormatException("zlib: stream ends after " + n + " of " + dstLength + " bytes");
                        }
                    }
                }
                if (n != dstLength) {
                    throw new DataFormatException("zlib: decompressed " + n + " bytes, expected " + dstLength);
                }
            } finally {
                inflater.end();
            }
        }

        @Override
        public JsonNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("id", "zlib");
            o.put("level", level);
            return o;
        }
    }
}
