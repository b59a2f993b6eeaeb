package org.fieldwork.omr;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Python's text forms that OMRChecker's outputs contain: {@code str(float)} (shortest repr that
 * round-trips, "5.0", "70.66666666666669", "1e+16"), {@code round(x, n)} on the exact binary value,
 * {@code repr} of answer lists, and the literal syntax of answer-key cells ({@code [['A', 1]]}).
 */
final class PythonText {
    private PythonText() {
    }

    /** Python's str(float) / repr(float). */
    static String floatStr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = exact;
        for (int p = 1; p <= 17; p++) {
            BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (c.doubleValue() == d) {
                shortest = c;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - shortest.scale();
        String sign = shortest.signum() < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = shortest.abs().toPlainString();
            if (!plain.contains(".")) {
                plain = plain + ".0";
            }
            return sign + plain;
        }
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        String e = String.format("%02d", Math.abs(exp));
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + e;
    }

    /** Python's round(x, n) for a float: half-to-even on the exact binary value. */
    static double round(double x, int n) {
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return x;
        }
        return new BigDecimal(x).setScale(n, RoundingMode.HALF_EVEN).doubleValue();
    }

    /** Python's str() of an answer-key value, as OMRChecker prints it: a string as it is, anything else as repr. */
    static String str(Object o) {
        return o instanceof String s ? s : repr(o);
    }

    /** Python's repr of str / int / float / list / dict values as held in answer keys. */
    static String repr(Object o) {
        if (o instanceof String s) {
            String q = s.contains("'") && !s.contains("\"") ? "\"" : "'";
            StringBuilder sb = new StringBuilder(q);
            for (char c : s.toCharArray()) {
                if (c == '\\' || String.valueOf(c).equals(q)) {
                    sb.append('\\');
                }
                sb.append(c);
            }
            return sb.append(q).toString();
        }
        if (o instanceof Double d) {
            return floatStr(d);
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object e : l) {
                parts.add(repr(e));
            }
            return "[" + String.join(", ", parts) + "]";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                parts.add(repr(e.getKey()) + ": " + repr(e.getValue()));
            }
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(o);
    }

    /** Parses a Python literal made of lists, quoted strings and numbers (what ast.literal_eval accepts here). */
    static Object literal(String text) {
        int[] pos = {0};
        Object v = value(text, pos);
        skipSpace(text, pos);
        if (pos[0] != text.length()) {
            throw new IllegalArgumentException("unexpected text after position " + pos[0] + " in " + text);
        }
        return v;
    }

    private static void skipSpace(String t, int[] pos) {
        while (pos[0] < t.length() && Character.isWhitespace(t.charAt(pos[0]))) {
            pos[0]++;
        }
    }

    private static Object value(String t, int[] pos) {
        skipSpace(t, pos);
        if (pos[0] >= t.length()) {
            throw new IllegalArgumentException("unexpected end of " + t);
        }
        char c = t.charAt(pos[0]);
        if (c == '[' || c == '(') {
            char close = c == '[' ? ']' : ')';
            pos[0]++;
            List<Object> out = new ArrayList<>();
            skipSpace(t, pos);
            if (pos[0] < t.length() && t.charAt(pos[0]) == close) {
                pos[0]++;
                return out;
            }
            while (true) {
                out.add(value(t, pos));
                skipSpace(t, pos);
                if (pos[0] >= t.length()) {
                    throw new IllegalArgumentException("unclosed list in " + t);
                }
                char d = t.charAt(pos[0]++);
                if (d == close) {
                    return out;
                }
                if (d != ',') {
                    throw new IllegalArgumentException("expected ',' at position " + (pos[0] - 1) + " in " + t);
                }
                skipSpace(t, pos);
                if (pos[0] < t.length() && t.charAt(pos[0]) == close) {
                    pos[0]++;
                    return out;
                }
            }
        }
        if (c == '\'' || c == '"') {
            pos[0]++;
            StringBuilder sb = new StringBuilder();
            while (pos[0] < t.length() && t.charAt(pos[0]) != c) {
                char x = t.charAt(pos[0]++);
                if (x == '\\' && pos[0] < t.length()) {
                    x = t.charAt(pos[0]++);
                }
                sb.append(x);
            }
            if (pos[0] >= t.length()) {
                throw new IllegalArgumentException("unclosed string in " + t);
            }
            pos[0]++;
            return sb.toString();
        }
        int start = pos[0];
        while (pos[0] < t.length() && "+-.0123456789eE_".indexOf(t.charAt(pos[0])) >= 0) {
            pos[0]++;
        }
        String num = t.substring(start, pos[0]).replace("_", "");
        if (num.isEmpty()) {
            throw new IllegalArgumentException("unexpected '" + c + "' at position " + start + " in " + t);
        }
        if (num.matches("[+-]?\\d+")) {
            return Long.parseLong(num);
        }
        return Double.parseDouble(num);
    }

    /** Python's float(x) for marking scores, with fraction strings like "-2/3" as float(Fraction(x)). */
    static double parseScore(Object v) {
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        String s = ((String) v).trim();
        if (s.contains("/")) {
            String[] nd = s.split("/", -1);
            if (nd.length != 2) {
                throw new NumberFormatException("not a fraction: " + s);
            }
            BigDecimal num = new BigDecimal(nd[0].trim());
            BigDecimal den = new BigDecimal(nd[1].trim());
            if (den.signum() == 0) {
                throw new NumberFormatException("zero denominator: " + s);
            }
            // Exact rational, rounded once to the nearest double like float(Fraction(...)).
            return num.divide(den, new MathContext(40, RoundingMode.HALF_EVEN)).doubleValue();
        }
        return Double.parseDouble(s);
    }
}
