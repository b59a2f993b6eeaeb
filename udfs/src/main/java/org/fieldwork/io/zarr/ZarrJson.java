package org.fieldwork.io.zarr;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON documents of a Zarr node ({@code .zarray}, {@code .zgroup}, {@code .zattrs}). */
final class ZarrJson {
    /** Python's json module reads and writes NaN and Infinity as bare words in .zattrs; do the same. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private ZarrJson() {
    }

    /** The parsed document, or null when the file does not exist. */
    static JsonNode read(ChunkStore store, String key) throws IOException {
        byte[] bytes = store.read(key);
        if (bytes == null) {
            return null;
        }
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new ZarrFormatException(store.location(key) + ": not valid JSON: " + e.getMessage(), e);
        }
    }

    static void write(ChunkStore store, String key, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        store.write(key, bytes, bytes.length);
    }

    /** The node's user attributes; empty when there is no {@code .zattrs}. */
    static Map<String, Object> readAttributes(ChunkStore store) throws IOException {
        JsonNode node = read(store, ".zattrs");
        if (node == null) {
            return new LinkedHashMap<>();
        }
        if (!node.isObject()) {
            throw new ZarrFormatException(store.location(".zattrs") + ": expected a JSON object");
        }
        return MAPPER.convertValue(node, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    static void writeAttributes(ChunkStore store, Map<String, ?> attributes) throws IOException {
        write(store, ".zattrs", attributes);
    }

    static com.fasterxml.jackson.databind.node.ObjectNode object() {
        return MAPPER.createObjectNode();
    }
}
