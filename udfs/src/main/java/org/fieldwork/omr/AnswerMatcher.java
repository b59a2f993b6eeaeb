package org.fieldwork.omr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The answer key entry of one question and the scores that apply to it. Three forms: one answer
 * ("C"), any of several (["A", "C"], each scored as correct), or weighted ([["B", 2], ["C", "3/2"]],
 * each with its own score).
 */
public final class AnswerMatcher implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum AnswerType { STANDARD, MULTIPLE_CORRECT, MULTIPLE_CORRECT_WEIGHTED }

    /** What a marked answer earned. */
    public record Verdict(String verdict, double delta) {
    }

    public final Object answerItem;
    public final AnswerType type;
    public final MarkingScheme scheme;
    final Map<String, Double> marking;
    private final String emptyValue;
    private final List<String> allowed = new ArrayList<>();

    /** @throws IllegalArgumentException when the answer item has none of the three forms */
    AnswerMatcher(Object answerItem, MarkingScheme scheme, String emptyValue) {
        this.answerItem = answerItem;
        this.scheme = scheme;
        this.emptyValue = emptyValue;
        this.marking = new LinkedHashMap<>(scheme.marking);
        if (isStandard(answerItem)) {
            type = AnswerType.STANDARD;
            allowed.add((String) answerItem);
        } else if (answerItem instanceof List<?> list && list.size() >= 2 && list.stream().allMatch(AnswerMatcher::isStandard)) {
            type = AnswerType.MULTIPLE_CORRECT;
            for (Object a : list) {
                allowed.add((String) a);
                marking.put("correct-" + a, scheme.marking.get("correct"));
            }
        } else if (answerItem instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(AnswerMatcher::isWeighted)) {
            type = AnswerType.MULTIPLE_CORRECT_WEIGHTED;
            for (Object o : list) {
                List<?> pair = (List<?>) o;
                allowed.add((String) pair.get(0));
                marking.put("correct-" + pair.get(0), PythonText.parseScore(pair.get(1)));
            }
        } else {
            throw new IllegalArgumentException("cannot tell the answer type of " + PythonText.repr(answerItem)
                    + " (expected \"A\", [\"A\", \"B\", ...] or [[\"A\", score], ...])");
        }
    }

    private static boolean isStandard(Object o) {
        return o instanceof String s && !s.isEmpty();
    }

    private static boolean isWeighted(Object o) {
        if (!(o instanceof List<?> pair) || pair.size() != 2 || !isStandard(pair.get(0))) {
            return false;
        }
        Object score = pair.get(1);
        if (score instanceof Number) {
            return true;
        }
        if (score instanceof String s) {
            try {
                PythonText.parseScore(s);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }
        return false;
    }

    public Verdict verdict(String marked) {
        String v;
        if (marked.equals(emptyValue)) {
            v = "unmarked";
        } else if (!allowed.contains(marked)) {
            v = "incorrect";
        } else {
            v = type == AnswerType.STANDARD ? "correct" : "correct-" + marked;
        }
        return new Verdict(v, marking.get(v));
    }

    /** OMRChecker's "Section" column of the explanation table. */
    String sectionExplanation() {
        return type == AnswerType.MULTIPLE_CORRECT_WEIGHTED ? "Custom: " + PythonText.repr(marking) : scheme.sectionKey;
    }
}
