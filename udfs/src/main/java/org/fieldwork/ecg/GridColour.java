package org.fieldwork.ecg;

import java.util.Locale;

/** The colour of an ECG paper's grid as the reference tells them apart. */
public enum GridColour {
    RED, BLACK;

    /** "red" or "black", the reference's own words. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
