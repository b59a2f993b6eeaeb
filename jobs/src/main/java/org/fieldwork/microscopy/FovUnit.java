package org.fieldwork.microscopy;

import org.fieldwork.run.WorkUnit;

/**
 * One field of view of one file: the task opens the file itself and reads only this FOV's frames.
 *
 * @param file        index of the file in the plan
 * @param location    the file's path or URI, as every executor opens it
 * @param key         the file's name made unique in the run and safe in file names (its stem); names the units
 * @param fov         the FOV (position) index within the file
 * @param outputDir   where this FOV's outputs go
 * @param bytes       the bytes of its frames (planes it reads)
 */
public record FovUnit(int file, String location, String fileName, String key, int fov, String outputDir, long bytes,
                      String inputVersion) implements WorkUnit {

    @Override
    public String id() {
        return key + "~fov_" + String.format("%04d", fov);
    }

    /** The id under which a file that cannot be planned is recorded as failed. */
    public static String fileUnitId(String key) {
        return key + "~file";
    }

    @Override
    public long inputBytes() {
        return bytes;
    }
}
