package org.fieldwork.omr;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Field label strings: ranges like {@code q1..4} and OMRChecker's natural column order. */
public final class FieldLabels {
    private static final Pattern RANGE = Pattern.compile("([^.\\d]+)(\\d+)\\.{2,3}(\\d+)");
    private static final Pattern SORT_KEY = Pattern.compile("([^\\d]+)(\\d*)");

    private FieldLabels() {
    }

    /**
     * Expands every label string in order; a label produced twice is an error because two fields
     * would fight over one column.
     */
    static List<String> parse(ConfigReader r, String key, List<String> labelStrings) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String s : labelStrings) {
            List<String> expanded = expand(r, key, s);
            for (String label : expanded) {
                if (!seen.add(label)) {
                    throw r.error(key, "label '" + label + "' from '" + s + "' overlaps with other labels in " + labelStrings);
                }
            }
            out.addAll(expanded);
        }
        return out;
    }

    static List<String> expand(ConfigReader r, String key, String s) {
        Matcher m = RANGE.matcher(s);
        if (s.contains(".") && m.find()) {
            String prefix = m.group(1);
            int start = Integer.parseInt(m.group(2));
            int end = Integer.parseInt(m.group(3));
            if (start >= end) {
                throw r.error(key, "invalid range '" + s + "': start " + start + " is not less than end " + end);
            }
            List<String> out = new ArrayList<>();
            for (int i = start; i <= end; i++) {
                out.add(prefix + i);
            }
            return out;
        }
        return List.of(s);
    }

    /**
     * OMRChecker's default column order: by the leading non-digit prefix, then by the integer right
     * after it (so q2 comes before q10). Ties keep their original order.
     */
    public static final Comparator<String> NATURAL_ORDER = (a, b) -> {
        Object[] ka = sortKey(a);
        Object[] kb = sortKey(b);
        int c = ((String) ka[0]).compareTo((String) kb[0]);
        return c != 0 ? c : Long.compare((Long) ka[1], (Long) kb[1]);
    };

    private static Object[] sortKey(String label) {
        Matcher m = SORT_KEY.matcher(label);
        if (m.find()) {
            String digits = m.group(2);
            return new Object[] {m.group(1), digits.isEmpty() ? 0L : parseLong(digits)};
        }
        return new Object[] {"", label.isEmpty() ? 0L : parseLong(label)};
    }

    private static long parseLong(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
