package org.fieldwork.em;

import org.fieldwork.run.WorkUnit;

/**
 * One movie: where every executor opens it and the name its outputs go under.
 *
 * @param location     the file's path or URI
 * @param name         its file name (the {@code movie} column and WarpCore's Path)
 * @param key          its path below the input without the extension, made safe and unique in the run:
 *                     average/&lt;key&gt;.mrc, thumbnails/&lt;key&gt;_*.png; also the unit id
 * @param bytes        its size
 * @param inputVersion its version when planned
 */
public record MovieUnit(String location, String name, String key, long bytes, String inputVersion) implements WorkUnit {

    @Override
    public String id() {
        return key;
    }

    @Override
    public long inputBytes() {
        return bytes;
    }

    /** Another file under the same key (a different input folder into the same output) is another movie. */
    @Override
    public String fingerprint() {
        return location;
    }
}
