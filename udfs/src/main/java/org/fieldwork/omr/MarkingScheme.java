package org.fieldwork.omr;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One section of {@code marking_schemes}: scores for correct, incorrect and unmarked answers
 * (numbers or fraction strings like "-2/3"). DEFAULT covers questions no other section names.
 */
public final class MarkingScheme implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String DEFAULT = "DEFAULT";
    static final List<String> VERDICTS = List.of("correct", "incorrect", "unmarked");

    public final String sectionKey;
    /** Null for DEFAULT. */
    public final List<String> questions;
    /** verdict -> score, in OMRChecker's order correct, incorrect, unmarked. */
    public final Map<String, Double> marking;

    MarkingScheme(ConfigReader r, String key, String sectionKey, JsonNode scheme) {
        this.sectionKey = sectionKey;
        JsonNode markingNode;
        String markingKey;
        if (DEFAULT.equals(sectionKey)) {
            questions = null;
            markingNode = scheme;
            markingKey = key;
        } else {
            r.checkKeys(scheme, key, List.of("questions", "marking"), List.of("questions", "marking"));
            questions = FieldLabels.parse(r, key + ".questions", r.strings(scheme.get("questions"), key + ".questions"));
            markingNode = scheme.get("marking");
            markingKey = key + ".marking";
        }
        r.checkKeys(markingNode, markingKey, VERDICTS, VERDICTS);
        Map<String, Double> m = new LinkedHashMap<>();
        for (String v : VERDICTS) {
            m.put(v, score(r, markingKey + "." + v, markingNode.get(v)));
        }
        marking = m;
    }

    static double score(ConfigReader r, String key, JsonNode n) {
        try {
            if (n.isNumber()) {
                return n.doubleValue();
            }
            if (n.isTextual()) {
                return PythonText.parseScore(n.textValue());
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw r.error(key, "not a number or fraction: " + n);
        }
        throw r.error(key, "must be a number or a fraction string like \"-2/3\"");
    }
}
