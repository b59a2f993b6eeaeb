package org.fieldwork.io.zarr;

import java.io.Serializable;
import java.nio.ByteBuffer;
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

    /** zstd at {@code level}; a chunk it would shrink by less than {@link Zstd#DEFAULT_MIN_SAVING} is stored raw. */
    public static Compressor zstd(int level) {
        return new Zstd(level, Zstd.DEFAULT_MIN_SAVING);
    }

    /**
     * zstd at {@code level}; chunks it would shrink by less than {@code minSaving} (a fraction of
     * their size; 0 compresses every chunk) are stored as raw zstd frames.
     */
    public static Compressor zstd(int level, double minSaving) {
        return new Zstd(level, minSaving);
    }

    public static Compressor zlib(int level) {
        return new Zlib(level);
    }

    /** The numcodecs id, or null for no compression. */
    String id();

    /** A buffer this large always holds the compressed form of {@code length} bytes. */
    int maxCompressedLength(int length);

    /** Compresses {@code src[0..length)} into {@code dst} (at least {@link #maxCompressedLength} long); returns the compressed size. */
    default int compress(byte[] src, int length, byte[] dst) {
        return compress(ByteBuffer.wrap(src), length, ByteBuffer.wrap(dst));
    }

    /**
     * Compresses bytes {@code [0, length)} of {@code src} into {@code dst} from index 0 (at least
     * {@link #maxCompressedLength} long); returns the compressed size. Indexes are absolute: the
     * buffers' positions, limits and orders are neither used nor changed. Both buffers are heap
     * buffers or both direct (a chunk on its way to direct I/O).
     */
    int compress(ByteBuffer src, int length, ByteBuffer dst);

    /**
     * The stored form of bytes {@code [0, length)} of {@code src}, as {@link #compress}, but as
     * pieces to be written one after another, for writers that copy into a buffer of their own
     * anyway: a form that is mostly {@code src}'s own bytes (a raw zstd frame) then costs no copy
     * here. {@code scratch} gives a buffer of at least the bytes asked for (heap or direct as
     * {@code src}, as {@code dst} of {@code compress}), for whatever is not a slice of {@code src}:
     * asked for only as large as needed, so a chunk stored raw never touches a whole chunk's worth
     * of fresh memory. The pieces are valid until {@code src} or the scratch buffer is next changed.
     */
    default ByteBuffer[] encode(ByteBuffer src, int length, java.util.function.IntFunction<ByteBuffer> scratch) {
        ByteBuffer dst = scratch.apply(maxCompressedLength(length));
        return new ByteBuffer[] {dst.slice(0, compress(src, length, dst))};
    }

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
        public int compress(ByteBuffer src, int length, ByteBuffer dst) {
            dst.duplicate().clear().put(0, src.duplicate().clear(), 0, length);
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

    /**
     * Zstandard frames, as numcodecs' Zstd codec reads and writes them. A chunk that would not shrink
     * by {@code minSaving} is written as a frame of raw blocks, which every zstd decoder reads: on
     * float samples with noisy mantissas zstd saves under a tenth for about a millisecond of CPU per
     * MB, while a frame of raw blocks costs a copy. Three 32 KB samples of
     * the chunk decide (on seismic floats they compressed within half a percent of the whole chunk).
     * {@code minSaving} is how this writer stores chunks, not part of the array's metadata.
     */
    record Zstd(int level, double minSaving) implements Compressor {
        /** Chunks shrinking by less than an eighth are stored raw. */
        public static final double DEFAULT_MIN_SAVING = 0.125;
        static final int SAMPLE_BYTES = 32 << 10;
        /** A raw block holds at most this much (the format's limit). */
        static final int RAW_BLOCK_BYTES = 128 << 10;
        private static final int MAGIC = 0xFD2FB528;

        public Zstd {
            if (level > com.github.luben.zstd.Zstd.maxCompressionLevel() || level < -7) {
                throw new IllegalArgumentException("zstd level must be between -7 and "
                        + com.github.luben.zstd.Zstd.maxCompressionLevel() + ", got " + level);
            }
            if (!(minSaving >= 0 && minSaving <= 1)) {
                throw new IllegalArgumentException("zstd minimum saving must be between 0 and 1, got " + minSaving);
            }
        }

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
        public int compress(ByteBuffer src, int length, ByteBuffer dst) {
            src = src.duplicate().clear();
            dst = dst.duplicate().clear();
            com.github.luben.zstd.ZstdCompressCtx ctx = context();
            try {
                ByteBuffer scratch = dst;
                return storesRaw(ctx, src, length, k -> scratch) ? rawFrame(src, length, dst) : compress(ctx, src, 0, length, dst);
            } catch (RuntimeException e) {
                throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
            }
        }

        @Override
        public ByteBuffer[] encode(ByteBuffer src, int length, java.util.function.IntFunction<ByteBuffer> scratch) {
            src = src.duplicate().clear();
            com.github.luben.zstd.ZstdCompressCtx ctx = context();
            try {
                if (storesRaw(ctx, src, length, scratch)) {
                    return rawFramePieces(src, length, scratch.apply(rawFrameHeaderBytes(length)));
                }
                ByteBuffer dst = scratch.apply(maxCompressedLength(length)).duplicate().clear();
                return new ByteBuffer[] {dst.slice(0, compress(ctx, src, 0, length, dst))};
            } catch (RuntimeException e) {
                throw new IllegalStateException("zstd compression failed: " + e.getMessage(), e);
            }
        }

        /**
         * Whether the chunk would shrink by less than {@code minSaving}: its start, middle and end,
         * compressed into a scratch buffer of a sample's size (which the caller overwrites either way), decide.
         */
        private boolean storesRaw(com.github.luben.zstd.ZstdCompressCtx ctx, ByteBuffer src, int length,
                java.util.function.IntFunction<ByteBuffer> scratchOf) {
            if (minSaving <= 0 || length < 4 * SAMPLE_BYTES) {
                return false;
            }
            ByteBuffer scratch = scratchOf.apply(maxCompressedLength(SAMPLE_BYTES));
            long packed = 0;
            for (int k = 0; k < 3; k++) {
                int at = (int) ((long) k * (length - SAMPLE_BYTES) / 2);
                packed += compress(ctx, src, at, SAMPLE_BYTES, scratch);
            }
            return packed > (1 - minSaving) * 3 * SAMPLE_BYTES;
        }

        private com.github.luben.zstd.ZstdCompressCtx context() {
            return CONTEXTS.get().computeIfAbsent(level, l -> {
                com.github.luben.zstd.ZstdCompressCtx c = new com.github.luben.zstd.ZstdCompressCtx();
                c.setLevel(l);
                c.setContentSize(true); // numcodecs sizes its output from the frame's content size
                c.setChecksum(false);
                return c;
            });
        }

        /** {@code src[at..at + n)} as one frame at {@code dst[0..]}; zstd-jni takes two arrays or two direct buffers. */
        private static int compress(com.github.luben.zstd.ZstdCompressCtx ctx, ByteBuffer src, int at, int n, ByteBuffer dst) {
            if (src.isDirect() && dst.isDirect()) {
                return ctx.compressDirectByteBuffer(dst, 0, dst.capacity(), src, at, n);
            }
            if (src.hasArray() && dst.hasArray()) {
                return ctx.compressByteArray(dst.array(), dst.arrayOffset(), dst.capacity(), src.array(), src.arrayOffset() + at, n);
            }
            throw new IllegalArgumentException("zstd compresses from and to two heap buffers or two direct ones");
        }

        /**
         * {@code src[0..length)} as one zstd frame of raw blocks (RFC 8878), at {@code dst[0..]}.
         * Callers keep {@code length} at 128 KB or more, where this fits {@link #maxCompressedLength}.
         */
        static int rawFrame(ByteBuffer src, int length, ByteBuffer dst) {
            ByteBuffer out = dst.duplicate().clear();
            for (ByteBuffer piece : rawFramePieces(src, length, ByteBuffer.allocate(rawFrameHeaderBytes(length)))) {
                out.put(piece);
            }
            return out.position();
        }

        /**
         * The same frame as pieces: the frame's and each block's headers (written to {@code headers}
         * from index 0) between slices of {@code src}. A frame is the magic, a single-segment header
         * with a 4-byte content size, then blocks of at most 128 KB, each behind a 3-byte header.
         */
        static ByteBuffer[] rawFramePieces(ByteBuffer src, int length, ByteBuffer headers) {
            int blocks = rawBlocks(length);
            ByteBuffer out = headers.duplicate().clear().order(java.nio.ByteOrder.LITTLE_ENDIAN);
            ByteBuffer[] pieces = new ByteBuffer[2 * blocks];
            out.putInt(MAGIC);
            out.put((byte) 0xA0); // content size in 4 bytes, single segment, no checksum, no dictionary
            out.putInt(length);
            int done = 0;
            for (int b = 0; b < blocks; b++) {
                int n = Math.min(RAW_BLOCK_BYTES, length - done);
                int last = b == blocks - 1 ? 1 : 0;
                int header = n << 3 | last; // block type 0: raw
                int start = b == 0 ? 0 : out.position();
                out.put((byte) header).put((byte) (header >>> 8)).put((byte) (header >>> 16));
                pieces[2 * b] = out.slice(start, out.position() - start);
                pieces[2 * b + 1] = src.slice(done, n);
                done += n;
            }
            return pieces;
        }

        /** The bytes of a raw frame that are not the content: frame header and block headers. */
        static int rawFrameHeaderBytes(int length) {
            return 9 + 3 * rawBlocks(length);
        }

        /** Raw blocks in a frame of {@code length} bytes: at least one, even when empty. */
        private static int rawBlocks(int length) {
            return Math.max(1, (length + RAW_BLOCK_BYTES - 1) / RAW_BLOCK_BYTES);
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
        public int compress(ByteBuffer src, int length, ByteBuffer dst) {
            Deflater deflater = new Deflater(level);
            try {
                deflater.setInput(src.duplicate().clear().slice(0, length));
                deflater.finish();
                ByteBuffer out = dst.duplicate().clear();
                while (!deflater.finished()) {
                    if (!out.hasRemaining()) {
                        throw new IllegalStateException("zlib output exceeded its bound of " + dst.capacity() + " bytes");
                    }
                    deflater.deflate(out);
                }
                return out.position();
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
