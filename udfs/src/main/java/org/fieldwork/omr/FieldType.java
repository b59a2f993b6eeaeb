package org.fieldwork.omr;

import java.util.List;

/** OMRChecker's built-in field types: the bubble values and the direction they run in. */
public enum FieldType {
    QTYPE_INT(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), true),
    QTYPE_INT_FROM_1(List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "0"), true),
    QTYPE_MCQ4(List.of("A", "B", "C", "D"), false),
    QTYPE_MCQ5(List.of("A", "B", "C", "D", "E"), false),
    /** Right-to-left sheets: the same values in reverse order along the row. */
    QTYPE_MCQ4_RTL(List.of("D", "C", "B", "A"), false),
    QTYPE_MCQ5_RTL(List.of("E", "D", "C", "B", "A"), false);

    public final List<String> bubbleValues;
    public final boolean vertical;

    FieldType(List<String> bubbleValues, boolean vertical) {
        this.bubbleValues = bubbleValues;
        this.vertical = vertical;
    }

    static FieldType parse(String name) {
        for (FieldType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}
