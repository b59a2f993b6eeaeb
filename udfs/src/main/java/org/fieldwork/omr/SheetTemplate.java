package org.fieldwork.omr;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OMRChecker's {@code template.json}: page and bubble sizes, pre-processors, field blocks, custom
 * labels (fields concatenated into one column) and the output column order. Everything is checked
 * when the file is loaded, so a bad template fails before any sheet is read.
 */
public final class SheetTemplate implements Serializable {
    private static final long serialVersionUID = 1L;

    static final List<String> KEYS = List.of("bubbleDimensions", "customLabels", "emptyValue", "fieldBlocks",
            "outputColumns", "pageDimensions", "preProcessors");
    static final List<String> REQUIRED = List.of("bubbleDimensions", "pageDimensions", "preProcessors", "fieldBlocks");
    static final List<String> BLOCK_KEYS = List.of("bubbleDimensions", "bubblesGap", "bubbleValues", "direction",
            "emptyValue", "fieldLabels", "fieldType", "labelsGap", "origin");
    static final List<String> BLOCK_REQUIRED = List.of("origin", "bubblesGap", "labelsGap", "fieldLabels");

    public final String path;
    public final int pageWidth;
    public final int pageHeight;
    public final int bubbleWidth;
    public final int bubbleHeight;
    public final String emptyValue;
    public final List<Preprocessor> preprocessors;
    public final List<FieldBlock> fieldBlocks;
    /** Custom label -> the field labels whose values it concatenates, in file order. */
    public final Map<String, List<String>> customLabels;
    /** Field labels not used by any custom label, in template order. */
    public final List<String> nonCustomLabels;
    public final List<String> outputColumns;

    private SheetTemplate(String path, int pageWidth, int pageHeight, int bubbleWidth, int bubbleHeight,
            String emptyValue, List<Preprocessor> preprocessors, List<FieldBlock> fieldBlocks,
            Map<String, List<String>> customLabels, List<String> nonCustomLabels, List<String> outputColumns) {
        this.path = path;
        this.pageWidth = pageWidth;
        this.pageHeight = pageHeight;
        this.bubbleWidth = bubbleWidth;
        this.bubbleHeight = bubbleHeight;
        this.emptyValue = emptyValue;
        this.preprocessors = List.copyOf(preprocessors);
        this.fieldBlocks = List.copyOf(fieldBlocks);
        this.customLabels = Collections.unmodifiableMap(new LinkedHashMap<>(customLabels));
        this.nonCustomLabels = List.copyOf(nonCustomLabels);
        this.outputColumns = List.copyOf(outputColumns);
    }

    /** Loads and validates a template; pre-processor options that depend on sizes use {@code config}. */
    public static SheetTemplate load(Path templateJson, TuningConfig config) {
        return load(InputTree.local(templateJson.getParent()), templateJson, config);
    }

    /** As {@link #load(Path, TuningConfig)}, reading the template and the images it names from {@code tree}. */
    public static SheetTemplate load(InputTree tree, Path templateJson, TuningConfig config) {
        ConfigReader r = ConfigReader.of(tree, templateJson);
        ObjectNode root = r.readObject(templateJson);
        r.checkKeys(root, "", KEYS, REQUIRED);
        int[] page = positiveInts(r, root.get("pageDimensions"), "pageDimensions");
        int[] bubble = positiveInts(r, root.get("bubbleDimensions"), "bubbleDimensions");
        String emptyValue = r.string(root, "", "emptyValue", "");

        List<String> outputColumns = root.has("outputColumns")
                ? FieldLabels.parse(r, "outputColumns", r.strings(root.get("outputColumns"), "outputColumns"))
                : List.of();

        JsonNode pre = root.get("preProcessors");
        if (!pre.isArray()) {
            throw r.error("preProcessors", "must be a list");
        }
        Path dir = templateJson.toAbsolutePath().getParent();
        List<Preprocessor> preprocessors = new ArrayList<>();
        for (int i = 0; i < pre.size(); i++) {
            preprocessors.add(Preprocessors.create(r, "preProcessors[" + i + "]", pre.get(i), dir, config));
        }

        JsonNode blocks = root.get("fieldBlocks");
        if (!blocks.isObject() || blocks.size() == 0) {
            throw r.error("fieldBlocks", "must be an object with at least one field block");
        }
        List<FieldBlock> fieldBlocks = new ArrayList<>();
        Set<String> allLabels = new LinkedHashSet<>();
        for (Map.Entry<String, JsonNode> e : ConfigReader.fields(blocks)) {
            FieldBlock b = block(r, e.getKey(), e.getValue(), bubble, emptyValue);
            String key = "fieldBlocks." + e.getKey();
            for (BubbleField f : b.fields) {
                if (!allLabels.add(f.label())) {
                    throw r.error(key + ".fieldLabels", "label '" + f.label() + "' overlaps with another field block");
                }
            }
            if (b.originX + b.width >= page[0] || b.originY + b.height >= page[1] || b.originX < 0 || b.originY < 0) {
                throw r.error(key, "field block with origin [" + num(b.originX) + ", " + num(b.originY)
                        + "] and size " + b.width + "x" + b.height + " lies outside the page " + page[0] + "x" + page[1]);
            }
            fieldBlocks.add(b);
        }

        Map<String, List<String>> custom = new LinkedHashMap<>();
        Set<String> usedByCustom = new HashSet<>();
        if (root.has("customLabels")) {
            JsonNode cl = root.get("customLabels");
            if (!cl.isObject()) {
                throw r.error("customLabels", "must be an object");
            }
            for (Map.Entry<String, JsonNode> e : ConfigReader.fields(cl)) {
                String key = "customLabels." + e.getKey();
                List<String> labels = FieldLabels.parse(r, key, r.strings(e.getValue(), key));
                for (String l : labels) {
                    if (!allLabels.contains(l)) {
                        throw r.error(key, "label '" + l + "' is not a field label of any field block");
                    }
                    if (!usedByCustom.add(l)) {
                        throw r.error(key, "label '" + l + "' is already used by another custom label");
                    }
                }
                custom.put(e.getKey(), labels);
            }
        }
        List<String> nonCustom = new ArrayList<>();
        for (String l : allLabels) {
            if (!usedByCustom.contains(l)) {
                nonCustom.add(l);
            }
        }
        for (String c : custom.keySet()) {
            if (nonCustom.contains(c)) {
                throw r.error("customLabels." + c, "custom label has the same name as a field label");
            }
        }
        if (outputColumns.isEmpty()) {
            List<String> all = new ArrayList<>(nonCustom);
            all.addAll(custom.keySet());
            all.sort(FieldLabels.NATURAL_ORDER);
            outputColumns = all;
        } else {
            for (String c : outputColumns) {
                if (!custom.containsKey(c) && !nonCustom.contains(c)) {
                    throw r.error("outputColumns", "column '" + c + "' is neither a custom label nor a field label"
                            + (allLabels.contains(c) ? " outside custom labels" : ""));
                }
            }
        }
        return new SheetTemplate(templateJson.toString(), page[0], page[1], bubble[0], bubble[1], emptyValue,
                preprocessors, fieldBlocks, custom, nonCustom, outputColumns);
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static int[] positiveInts(ConfigReader r, JsonNode n, String key) {
        int[] v = r.integers(n, key, 2);
        if (v[0] <= 0 || v[1] <= 0) {
            throw r.error(key, "must be two positive integers");
        }
        return v;
    }

    private static FieldBlock block(ConfigReader r, String name, JsonNode b, int[] bubble, String emptyValue) {
        String key = "fieldBlocks." + name;
        r.checkKeys(b, key, BLOCK_KEYS, BLOCK_REQUIRED);
        double[] origin = r.numbers(b.get("origin"), key + ".origin", 2);
        double bubblesGap = r.number(b.get("bubblesGap"), key + ".bubblesGap");
        double labelsGap = r.number(b.get("labelsGap"), key + ".labelsGap");
        List<String> labels = FieldLabels.parse(r, key + ".fieldLabels",
                r.strings(b.get("fieldLabels"), key + ".fieldLabels"));
        if (labels.isEmpty()) {
            throw r.error(key + ".fieldLabels", "needs at least one label");
        }
        int[] dims = b.has("bubbleDimensions") ? positiveInts(r, b.get("bubbleDimensions"), key + ".bubbleDimensions")
                : bubble;
        String empty = r.string(b, key, "emptyValue", emptyValue);
        String direction = r.string(b, key, "direction", "vertical");
        if (!direction.equals("vertical") && !direction.equals("horizontal")) {
            throw r.error(key + ".direction", "must be \"vertical\" or \"horizontal\"");
        }
        List<String> values;
        boolean vertical;
        if (b.has("fieldType")) {
            String typeName = r.string(b.get("fieldType"), key + ".fieldType");
            FieldType type = FieldType.parse(typeName);
            if (type == null) {
                List<String> known = new ArrayList<>();
                for (FieldType t : FieldType.values()) {
                    known.add(t.name());
                }
                throw r.error(key + ".fieldType", "unknown field type '" + typeName + "' (known: " + String.join(", ", known) + ")");
            }
            // As in OMRChecker, the built-in type's values and direction win over the block's own.
            values = type.bubbleValues;
            vertical = type.vertical;
        } else {
            if (!b.has("bubbleValues")) {
                throw r.error(key + ".bubbleValues", "required when fieldType is not given");
            }
            values = r.strings(b.get("bubbleValues"), key + ".bubbleValues");
            if (values.isEmpty()) {
                throw r.error(key + ".bubbleValues", "needs at least one value");
            }
            vertical = direction.equals("vertical");
        }
        return new FieldBlock(name, origin[0], origin[1], dims[0], dims[1], empty, vertical, values, bubblesGap,
                labelsGap, labels);
    }

    /** All field labels in template order (block by block). */
    public List<String> fieldLabels() {
        List<String> out = new ArrayList<>();
        for (FieldBlock b : fieldBlocks) {
            for (BubbleField f : b.fields) {
                out.add(f.label());
            }
        }
        return out;
    }

    /** Column values from per-field values: custom labels concatenate their fields' values. */
    public Map<String, String> concatenate(Map<String, String> fieldValues) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : customLabels.entrySet()) {
            StringBuilder sb = new StringBuilder();
            for (String l : e.getValue()) {
                sb.append(fieldValues.get(l));
            }
            out.put(e.getKey(), sb.toString());
        }
        for (String l : nonCustomLabels) {
            out.put(l, fieldValues.get(l));
        }
        return out;
    }

    /** Files among the sheets that pre-processors read (markers, reference images): not sheets. */
    public Set<String> referencedFiles() {
        Set<String> out = new LinkedHashSet<>();
        for (Preprocessor p : preprocessors) {
            out.addAll(p.referencedFiles());
        }
        return out;
    }
}
