package org.fieldwork.omr;

import java.io.Serializable;

/** One bubble: its top-left corner on the page (pixels, page dimensions) and the value it stands for. */
public record Bubble(int x, int y, String value) implements Serializable {
}
