package org.fieldwork.omr;

import java.io.Serializable;
import java.util.List;

/** One field (OMRChecker's "strip"): a label and the bubbles that answer it, in value order. */
public record BubbleField(String label, List<Bubble> bubbles) implements Serializable {
    public BubbleField {
        bubbles = List.copyOf(bubbles);
    }
}
