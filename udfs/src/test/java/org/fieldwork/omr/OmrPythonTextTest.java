package org.fieldwork.omr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Score text and answer-key literals must read exactly as Python prints and parses them. */
class OmrPythonTextTest {
    @Test
    void floatStrIsPythonsShortestRepr() {
        assertEquals("5.0", PythonText.floatStr(5.0));
        assertEquals("-4.0", PythonText.floatStr(-4.0));
        assertEquals("0.0", PythonText.floatStr(0.0));
        assertEquals("-0.0", PythonText.floatStr(-0.0));
        assertEquals("5.5", PythonText.floatStr(5.5));
        assertEquals("0.30000000000000004", PythonText.floatStr(0.1 + 0.2));
        assertEquals("0.1", PythonText.floatStr(0.1));
        assertEquals("1e+16", PythonText.floatStr(1e16));
        assertEquals("1234567890123456.8", PythonText.floatStr(1234567890123456.8));
        assertEquals("1.5e-05", PythonText.floatStr(1.5e-5));
        assertEquals("0.0001", PythonText.floatStr(1e-4));
        assertEquals("2e-07", PythonText.floatStr(2e-7));
        assertEquals("100.0", PythonText.floatStr(100));
        // Java 17's Double.toString gives 2.0E-3 / 1.0E7 style and sometimes extra digits; Python does not.
        assertEquals("10000000.0", PythonText.floatStr(1e7));
        assertEquals("2.0000000000000004", PythonText.floatStr(2.0000000000000004));
        double s = 0.0;
        for (int i = 0; i < 106; i++) {
            s += 2.0 / 3.0;
        }
        // Python: s = 0.0; for _ in range(106): s += 2/3  ->  70.66666666666661
        assertEquals("70.66666666666661", PythonText.floatStr(s));
    }

    @Test
    void roundIsHalfEvenOnTheBinaryValue() {
        assertEquals(2.67, PythonText.round(2.675, 2)); // 2.675 is 2.67499999... in binary
        assertEquals(0.12, PythonText.round(0.125, 2));
        assertEquals(0.38, PythonText.round(0.375, 2));
        assertEquals(-1.33, PythonText.round(-4.0 / 3, 2));
    }

    @Test
    void literalsOfAnswerKeys() {
        assertEquals(List.of(List.of("A", "1"), List.of("B", "2")), PythonText.literal("[['A', '1'], ['B', '2']]"));
        assertEquals(List.of("A", "B"), PythonText.literal("['A', 'B']"));
        assertEquals(List.of(List.of("B", 2L), List.of("C", 1.5)), PythonText.literal("[[\"B\", 2], [\"C\", 1.5]]"));
        assertThrows(IllegalArgumentException.class, () -> PythonText.literal("[['A', 1]"));
        assertEquals("[['A', '1'], ['B', 2]]", PythonText.repr(List.of(List.of("A", "1"), List.of("B", 2L))));
    }

    @Test
    void scoresAndFractions() {
        assertEquals(-2.0 / 3, PythonText.parseScore("-2/3"));
        assertEquals(1.5, PythonText.parseScore("3/2"));
        assertEquals(3.0, PythonText.parseScore("3"));
        assertEquals(2.0, PythonText.parseScore(2L));
        assertThrows(NumberFormatException.class, () -> PythonText.parseScore("1/0"));
    }
}
