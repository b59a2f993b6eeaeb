package org.fieldwork.ecg;

import org.fieldwork.run.WorkUnit;

/**
 * One ECG image: where every executor opens it and the name its outputs go under.
 *
 * @param location     the file's path or URI
 * @param key          its path below the input without the extension, made safe and unique in the run
 *                     (OUT/images/&lt;key&gt;/); also the unit id
 * @param bytes        its size
 * @param inputVersion its version when planned
 */
public record EcgImageUnit(String location, String key, long bytes, String inputVersion) implements WorkUnit {

    @Override
    public String id() {
        return key;
    }

    @Override
    public long inputBytes() {
        return bytes;
    }

    /** Another file under the same key (a different input folder into the same output) is another image. */
    @Override
    public String fingerprint() {
        return location;
    }
}
