package org.fieldwork.run;

/** What the manifest says about a unit. */
public enum UnitStatus {
    done,
    failed
}
