package org.fieldwork.omr;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.fieldwork.run.WorkUnit;

/**
 * One answer sheet: which planned folder it belongs to, where its bytes are ({@code location}, a
 * path or URI every executor can open), and the names OMRChecker's CSVs print for it.
 *
 * @param folder    index of its folder in the job's plan
 * @param relative  path below the input root, e.g. {@code sample1/MobileCamera/sheet1.jpg}
 * @param inputPath what the CSVs print as input_path (the input root as given, then the relative path)
 */
public record OmrSheetUnit(int folder, int index, String relative, String location, String fileName, String inputPath,
                           long bytes) implements WorkUnit {

    /** The relative path made file-name safe, plus a checksum of it so two names never collide. */
    @Override
    public String id() {
        CRC32 crc = new CRC32();
        crc.update(relative.getBytes(StandardCharsets.UTF_8));
        String safe = relative.replace('/', '~').replaceAll("[^\\p{L}\\p{N}._~-]", "_");
        return String.format("%s-%08x", safe, crc.getValue());
    }

    @Override
    public long inputBytes() {
        return bytes;
    }
}
