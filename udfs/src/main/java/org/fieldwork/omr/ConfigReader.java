package org.fieldwork.omr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Typed, key-checked access to one JSON configuration file. Every problem becomes an
 * {@link OmrConfigException} naming this file and the dotted key path, which is what users need to
 * fix a template (OMRChecker's JSON-schema messages name both too).
 */
final class ConfigReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    final String file;
    /** Where this file and the files it names (markers, answer keys) are read from. */
    final InputTree tree;

    ConfigReader(String file, InputTree tree) {
        this.file = file;
        this.tree = tree;
    }

    static ConfigReader of(InputTree tree, Path p) {
        return new ConfigReader(tree.name(p), tree);
    }

    /** Parses the file; it must hold a JSON object. */
    ObjectNode readObject(Path p) {
        JsonNode node;
        try {
            node = JSON.readTree(tree.read(p));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Jackson's own message quotes the whole file; one line with the place is what helps.
            var at = e.getLocation();
            String what = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage().lines().findFirst().orElse("");
            throw new OmrConfigException(file, "", "not valid JSON"
                    + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr()) + ": " + what, e);
        } catch (IOException e) {
            throw new OmrConfigException(file, "", "cannot read: " + e.getMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw new OmrConfigException(file, "", "must hold a JSON object");
        }
        return (ObjectNode) node;
    }

    OmrConfigException error(String key, String problem) {
        return new OmrConfigException(file, key, problem);
    }

    static String join(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    /** Rejects keys outside {@code allowed}, and reports the first required key that is missing. */
    void checkKeys(JsonNode obj, String path, Collection<String> allowed, Collection<String> required) {
        if (!obj.isObject()) {
            throw error(path, "must be an object");
        }
        for (Iterator<String> it = obj.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(join(path, k), "unknown key (allowed: " + String.join(", ", allowed) + ")");
            }
        }
        for (String r : required) {
            if (!obj.has(r)) {
                throw error(join(path, r), "required key is missing");
            }
        }
    }

    JsonNode object(JsonNode parent, String path, String key) {
        JsonNode n = parent.get(key);
        if (n == null || !n.isObject()) {
            throw error(join(path, key), "must be an object");
        }
        return n;
    }

    double number(JsonNode n, String key) {
        if (n == null || !n.isNumber()) {
            throw error(key, "must be a number");
        }
        return n.doubleValue();
    }

    double number(JsonNode parent, String path, String key, double dflt) {
        JsonNode n = parent.get(key);
        return n == null ? dflt : number(n, join(path, key));
    }

    int integer(JsonNode n, String key) {
        if (n == null || !n.isNumber() || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw error(key, "must be an integer");
        }
        return n.intValue();
    }

    int integer(JsonNode parent, String path, String key, int dflt) {
        JsonNode n = parent.get(key);
        return n == null ? dflt : integer(n, join(path, key));
    }

    boolean bool(JsonNode parent, String path, String key, boolean dflt) {
        JsonNode n = parent.get(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(join(path, key), "must be true or false");
        }
        return n.booleanValue();
    }

    String string(JsonNode n, String key) {
        if (n == null || !n.isTextual()) {
            throw error(key, "must be a string");
        }
        return n.textValue();
    }

    String string(JsonNode parent, String path, String key, String dflt) {
        JsonNode n = parent.get(key);
        return n == null ? dflt : string(n, join(path, key));
    }

    List<String> strings(JsonNode n, String key) {
        if (n == null || !n.isArray()) {
            throw error(key, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            out.add(string(n.get(i), key + "[" + i + "]"));
        }
        return out;
    }

    /** A list of exactly {@code size} numbers. */
    double[] numbers(JsonNode n, String key, int size) {
        if (n == null || !n.isArray() || n.size() != size) {
            throw error(key, "must be a list of " + size + " numbers");
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = number(n.get(i), key + "[" + i + "]");
        }
        return out;
    }

    int[] integers(JsonNode n, String key, int size) {
        if (n == null || !n.isArray() || n.size() != size) {
            throw error(key, "must be a list of " + size + " integers");
        }
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            out[i] = integer(n.get(i), key + "[" + i + "]");
        }
        return out;
    }

    static Iterable<Map.Entry<String, JsonNode>> fields(JsonNode obj) {
        return obj::fields;
    }
}
