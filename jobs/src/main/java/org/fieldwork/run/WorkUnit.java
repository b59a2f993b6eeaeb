package org.fieldwork.run;

import java.io.Serializable;

/**
 * The smallest independent piece of work: one field of view, one SEG-Y segment, one image, one
 * movie. Planned on the driver from cheap metadata and processed start to finish in one task.
 */
public interface WorkUnit extends Serializable {

    /** Stable id, unique within a run and safe as a file name (it names the manifest record). */
    String id();

    /** Bytes of input this unit reads, for throughput and ETA; 0 when unknown. */
    long inputBytes();

    /**
     * The version of the input this unit reads ({@link org.fieldwork.io.InputVersion}), taken while
     * planning. A re-run redoes a unit whose input changed since its record was written; empty when
     * the unit reads no file.
     */
    default String inputVersion() {
        return "";
    }

    /**
     * What else this unit's result depends on besides the job's settings, such as the configuration
     * files that apply to it: when it changes, a re-run does this unit again and keeps the others.
     */
    default String fingerprint() {
        return "";
    }

    /**
     * What else one of the job's {@link Step}s depends on for this unit (the configuration files its
     * folder gives that step): when it changes, a re-run redoes that step of this unit and the steps
     * that use it, and keeps the others.
     */
    default String fingerprint(String step) {
        return "";
    }
}
