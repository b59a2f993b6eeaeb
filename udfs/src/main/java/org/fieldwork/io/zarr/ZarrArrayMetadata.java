package org.fieldwork.io.zarr;

import java.io.Serializable;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What {@code .zarray} says: shape, chunk shape, element type, compressor and fill value. Only C order
 * and no filters are supported; arrays we create are little-endian with "." in chunk names.
 */
public final class ZarrArrayMetadata implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] shape;
    private final int[] chunks;
    private final DataType dataType;
    private final boolean bigEndian;
    private final Compressor compressor;
    private final Double fillValue;
    private final String separator;

    private ZarrArrayMetadata(long[] shape, int[] chunks, DataType dataType, ByteOrder order, Compressor compressor,
            Double fillValue, String separator) {
        if (shape.length != chunks.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " and chunks "
                    + Arrays.toString(chunks) + " have different ranks");
        }
        long elements = 1;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] < 0 || chunks[d] <= 0) {
                throw new IllegalArgumentException("bad shape " + Arrays.toString(shape) + " / chunks " + Arrays.toString(chunks));
            }
            elements *= chunks[d];
            if (elements * dataType.size() > Integer.MAX_VALUE - 64) {
                throw new IllegalArgumentException("chunk " + Arrays.toString(chunks) + " of " + dataType
                        + " is over 2 GB; use smaller chunks");
            }
        }
        if (fillValue != null && !dataType.canHold(fillValue)) {
            throw new IllegalArgumentException("fill value " + fillValue + " does not fit " + dataType);
        }
        this.shape = shape.clone();
        this.chunks = chunks.clone();
        this.dataType = dataType;
        this.bigEndian = order == ByteOrder.BIG_ENDIAN && dataType.size() > 1;
        this.compressor = compressor == null ? Compressor.none() : compressor;
        this.fillValue = fillValue;
        this.separator = separator;
    }

    /**
     * A new little-endian, C-order array description. {@code fillValue} may be null (missing chunks then
     * read as zeros here; numpy leaves them undefined) or NaN for floating-point types.
     */
    public static ZarrArrayMetadata of(long[] shape, int[] chunks, DataType dataType, Compressor compressor,
            Double fillValue) {
        return new ZarrArrayMetadata(shape, chunks, dataType, ByteOrder.LITTLE_ENDIAN, compressor, fillValue, ".");
    }

    public long[] shape() {
        return shape.clone();
    }

    public int[] chunks() {
        return chunks.clone();
    }

    public int rank() {
        return shape.length;
    }

    public DataType dataType() {
        return dataType;
    }

    public ByteOrder byteOrder() {
        return bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    public Compressor compressor() {
        return compressor;
    }

    /** Null when {@code .zarray} has {@code "fill_value": null}. */
    public Double fillValue() {
        return fillValue;
    }

    /** Chunks along dimension {@code d}, counting the partial edge chunk. */
    public long chunkCount(int d) {
        return (shape[d] + chunks[d] - 1) / chunks[d];
    }

    /** Elements in one stored chunk (edge chunks are stored full size, padded with the fill value). */
    public int chunkElements() {
        long n = 1;
        for (int c : chunks) {
            n *= c;
        }
        return (int) n;
    }

    public int chunkBytes() {
        return chunkElements() * dataType.size();
    }

    /** The chunk's file name: indices joined by the separator ("0" for a zero-dimensional array). */
    public String chunkKey(long[] chunkIndex) {
        if (chunkIndex.length != shape.length) {
            throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " has rank "
                    + chunkIndex.length + ", array has rank " + shape.length);
        }
        if (chunkIndex.length == 0) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (int d = 0; d < chunkIndex.length; d++) {
            if (chunkIndex[d] < 0 || chunkIndex[d] >= Math.max(1, chunkCount(d))) {
                throw new IllegalArgumentException("chunk index " + Arrays.toString(chunkIndex) + " is outside the "
                        + Arrays.toString(chunkCounts()) + " chunk grid");
            }
            if (d > 0) {
                b.append(separator);
            }
            b.append(chunkIndex[d]);
        }
        return b.toString();
    }

    /**
     * True for a file name that is a chunk key of some array of this rank but not of this one: a
     * chunk left by an earlier write with another shape or chunk size, which readers of this array
     * would never look at. Only '.'-separated keys (nested "/" keys are folders).
     */
    public boolean isStrayChunk(String fileName) {
        if (!".".equals(separator) || shape.length == 0) {
            return false;
        }
        String[] parts = fileName.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 18 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return false;
            }
        }
        if (parts.length != shape.length) {
            return true;
        }
        for (int d = 0; d < parts.length; d++) {
            if (Long.parseLong(parts[d]) >= Math.max(1, chunkCount(d))) {
                return true;
            }
        }
        return false;
    }

    long[] chunkCounts() {
        long[] n = new long[shape.length];
        for (int d = 0; d < n.length; d++) {
            n[d] = chunkCount(d);
        }
        return n;
    }

    JsonNode toJson() {
        ObjectNode o = ZarrJson.object();
        ArrayNode c = o.putArray("chunks");
        for (int v : chunks) {
            c.add(v);
        }
        o.set("compressor", compressor.toJson());
        o.put("dimension_separator", separator);
        o.put("dtype", dataType.typestr(byteOrder()));
        putFill(o);
        o.putNull("filters");
        o.put("order", "C");
        ArrayNode s = o.putArray("shape");
        for (long v : shape) {
            s.add(v);
        }
        o.put("zarr_format", 2);
        return o;
    }

    private void putFill(ObjectNode o) {
        if (fillValue == null) {
            o.putNull("fill_value");
        } else if (dataType == DataType.BOOL) {
            o.put("fill_value", fillValue != 0);
        } else if (!dataType.isFloatingPoint()) {
            o.put("fill_value", fillValue.longValue());
        } else if (fillValue.isNaN()) {
            o.put("fill_value", "NaN");
        } else if (fillValue.isInfinite()) {
            o.put("fill_value", fillValue > 0 ? "Infinity" : "-Infinity");
        } else {
            o.put("fill_value", fillValue.doubleValue());
        }
    }

    /** Parses {@code .zarray}; anything we cannot honour fails naming the array and the field. */
    static ZarrArrayMetadata fromJson(JsonNode o, String arrayPath) throws ZarrFormatException {
        if (o == null || !o.isObject()) {
            throw new ZarrFormatException(arrayPath + ": .zarray is not a JSON object");
        }
        if (o.path("zarr_format").asInt(-1) != 2) {
            throw new ZarrFormatException(arrayPath + ": zarr_format is " + o.get("zarr_format") + ", only 2 is supported");
        }
        String order = o.path("order").asText("C");
        if (!"C".equals(order)) {
            throw new ZarrFormatException(arrayPath + ": order '" + order + "' is not supported (only C)");
        }
        JsonNode filters = o.get("filters");
        if (filters != null && !filters.isNull() && !(filters.isArray() && filters.isEmpty())) {
            throw new ZarrFormatException(arrayPath + ": filters " + filters + " are not supported");
        }
        JsonNode dtypeNode = o.get("dtype");
        String typestr = dtypeNode == null || !dtypeNode.isTextual() ? String.valueOf(dtypeNode) : dtypeNode.asText();
        DataType type = DataType.parse(typestr);
        if (type == null) {
            throw new ZarrFormatException(arrayPath + ": dtype " + typestr + " is not supported (supported: "
                    + DataType.supportedList() + ")");
        }
        String sep = o.path("dimension_separator").asText(".");
        if (!".".equals(sep) && !"/".equals(sep)) {
            throw new ZarrFormatException(arrayPath + ": dimension_separator '" + sep + "' is not supported");
        }
        JsonNode shapeNode = o.path("shape");
        JsonNode chunkNode = o.path("chunks");
        if (!shapeNode.isArray() || !chunkNode.isArray() || shapeNode.size() != chunkNode.size()) {
            throw new ZarrFormatException(arrayPath + ": shape " + shapeNode + " and chunks " + chunkNode + " do not match");
        }
        long[] shape = new long[shapeNode.size()];
        int[] chunks = new int[chunkNode.size()];
        for (int d = 0; d < shape.length; d++) {
            shape[d] = shapeNode.get(d).asLong();
            chunks[d] = chunkNode.get(d).asInt();
        }
        Compressor compressor = Compressor.fromJson(o.get("compressor"), arrayPath);
        Double fill = parseFill(o.get("fill_value"), arrayPath);
        try {
            return new ZarrArrayMetadata(shape, chunks, type, DataType.orderOf(typestr), compressor, fill, sep);
        } catch (IllegalArgumentException e) {
            throw new ZarrFormatException(arrayPath + ": " + e.getMessage(), e);
        }
    }

    private static Double parseFill(JsonNode f, String arrayPath) throws ZarrFormatException {
        if (f == null || f.isNull()) {
            return null;
        }
        if (f.isBoolean()) {
            return f.asBoolean() ? 1.0 : 0.0;
        }
        if (f.isNumber()) {
            return f.asDouble();
        }
        switch (f.asText()) {
            case "NaN":
                return Double.NaN;
            case "Infinity":
                return Double.POSITIVE_INFINITY;
            case "-Infinity":
                return Double.NEGATIVE_INFINITY;
            default:
                throw new ZarrFormatException(arrayPath + ": fill_value " + f + " is not supported");
        }
    }

    /** Equal when they write the same {@code .zarray}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ZarrArrayMetadata m && m.toJson().equals(toJson());
    }

    @Override
    public int hashCode() {
        return toJson().hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}
