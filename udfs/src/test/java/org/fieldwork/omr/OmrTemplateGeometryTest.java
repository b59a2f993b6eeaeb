package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bubble positions, field types, label ranges and column order as OMRChecker computes them. */
class OmrTemplateGeometryTest {
    @TempDir
    Path dir;

    private SheetTemplate load(String json) {
        return SheetTemplate.load(OmrTestFolders.write(dir, "template.json", json), TuningConfig.defaults());
    }

    @Test
    void positionsAccumulateAsDoublesAndRoundHalfToEven() {
        SheetTemplate t = load("""
                {"pageDimensions": [400, 300], "bubbleDimensions": [10, 10], "preProcessors": [],
                 "fieldBlocks": {"B": {"fieldType": "QTYPE_MCQ5", "origin": [0.5, 10], "bubblesGap": 26.5,
                                       "labelsGap": 42.5, "fieldLabels": ["q1..3"]}}}""");
        List<Bubble> q1 = t.fieldBlocks.get(0).fields.get(0).bubbles();
        // x: 0.5, 27, 53.5, 80, 106.5 -> rint: 0, 27, 54, 80, 106 (Math.round would give 1, 27, 54, 80, 107)
        assertEquals(List.of(0, 27, 54, 80, 106), q1.stream().map(Bubble::x).toList());
        assertEquals(List.of("A", "B", "C", "D", "E"), q1.stream().map(Bubble::value).toList());
        // y: 10, 52.5, 95 -> 10, 52, 95
        List<Integer> ys = new ArrayList<>();
        for (BubbleField f : t.fieldBlocks.get(0).fields) {
            ys.add(f.bubbles().get(0).y());
        }
        assertEquals(List.of(10, 52, 95), ys);
        FieldBlock b = t.fieldBlocks.get(0);
        assertEquals((int) (26.5 * 4 + 10), b.width);
        assertEquals((int) (42.5 * 2 + 10), b.height);
    }

    @Test
    void verticalIntegerFieldsAndRightToLeftTypes() {
        SheetTemplate t = load("""
                {"pageDimensions": [400, 600], "bubbleDimensions": [20, 20], "preProcessors": [],
                 "fieldBlocks": {
                   "Roll": {"fieldType": "QTYPE_INT_FROM_1", "origin": [10, 20], "bubblesGap": 30, "labelsGap": 25,
                            "fieldLabels": ["r1", "r2"]},
                   "Rtl": {"fieldType": "QTYPE_MCQ4_RTL", "origin": [100, 20], "bubblesGap": 40, "labelsGap": 30,
                           "fieldLabels": ["q1"]},
                   "Custom": {"bubbleValues": ["yes", "no"], "direction": "horizontal", "origin": [100, 100],
                              "bubblesGap": 50, "labelsGap": 30, "fieldLabels": ["c1"], "emptyValue": "-"}}}""");
        BubbleField r2 = t.fieldBlocks.get(0).fields.get(1);
        assertEquals(35, r2.bubbles().get(0).x());
        assertEquals(List.of(20, 50, 80), r2.bubbles().subList(0, 3).stream().map(Bubble::y).toList());
        assertEquals("1", r2.bubbles().get(0).value());
        assertEquals("0", r2.bubbles().get(9).value());
        assertEquals(List.of("D", "C", "B", "A"), t.fieldBlocks.get(1).fields.get(0).bubbles().stream().map(Bubble::value).toList());
        assertEquals(List.of(100, 150), t.fieldBlocks.get(2).fields.get(0).bubbles().stream().map(Bubble::x).toList());
        assertEquals("-", t.fieldBlocks.get(2).emptyValue);
        assertEquals("", t.fieldBlocks.get(0).emptyValue);
    }

    @Test
    void customLabelsConcatenateAndColumnsSortNaturally() {
        SheetTemplate t = load("""
                {"pageDimensions": [900, 600], "bubbleDimensions": [20, 20], "preProcessors": [],
                 "customLabels": {"Roll": ["Medium", "roll1..2"], "q5": ["q5_1", "q5_2"]},
                 "fieldBlocks": {
                   "Medium": {"bubbleValues": ["E", "H"], "direction": "vertical", "origin": [10, 10],
                              "bubblesGap": 30, "labelsGap": 0, "fieldLabels": ["Medium"]},
                   "Roll": {"fieldType": "QTYPE_INT", "origin": [50, 10], "bubblesGap": 30, "labelsGap": 30,
                            "fieldLabels": ["roll1..2"]},
                   "Q5": {"fieldType": "QTYPE_INT", "origin": [150, 10], "bubblesGap": 30, "labelsGap": 30,
                          "fieldLabels": ["q5_1", "q5_2"]},
                   "Mcq": {"fieldType": "QTYPE_MCQ4", "origin": [300, 10], "bubblesGap": 30, "labelsGap": 30,
                           "fieldLabels": ["q10..11", "q1..2"]}}}""");
        assertEquals(List.of("Roll", "q1", "q2", "q5", "q10", "q11"), t.outputColumns);
        Map<String, String> values = new java.util.HashMap<>(Map.of("Medium", "E", "roll1", "0", "roll2", "7",
                "q5_1", "", "q5_2", "6", "q10", "A", "q11", "", "q1", "B", "q2", "CD"));
        Map<String, String> cols = t.concatenate(values);
        assertEquals("E07", cols.get("Roll"));
        assertEquals("6", cols.get("q5"));
        assertEquals("CD", cols.get("q2"));
        assertEquals(null, cols.get("q5_1"));
    }

    @Test
    void explicitOutputColumnsKeepTheirOrder() {
        SheetTemplate t = load(OmrTestFolders.TEMPLATE.replace("\"preProcessors\": [],",
                "\"preProcessors\": [], \"outputColumns\": [\"q5\", \"q1..4\"],"));
        assertEquals(List.of("q5", "q1", "q2", "q3", "q4"), t.outputColumns);
    }

    @Test
    void naturalOrderComparesPrefixThenNumber() {
        List<String> labels = new ArrayList<>(List.of("q10", "q2", "Roll_no", "q1", "roll", "a"));
        labels.sort(FieldLabels.NATURAL_ORDER);
        assertEquals(List.of("Roll_no", "a", "q1", "q2", "q10", "roll"), labels);
    }
}
