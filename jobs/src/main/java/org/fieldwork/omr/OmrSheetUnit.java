package org.fieldwork.omr;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.fieldwork.run.WorkUnit;

/**
 * One answer sheet: which planned folder it belongs to, where its bytes are ({@code location}, a
 * path or URI every executor can open), and the names OMRChecker's CSVs print for it.
 *
 * @param folder    index of its folder in the job's plan
 * @param relative  path below the input root, e.g. {@code sample1/MobileCamera/sheet1.jpg}
 * @param inputPath what the CSVs print as input_path (the input root as given, then the relative path)
 * @param inputVersion  the version of the sheet's file when planned
 * @param reading       the fingerprint of the files that decide how its folder's sheets are read
 * @param scoring       the fingerprint of its folder's evaluation files ("" without evaluation)
 */
public record OmrSheetUnit(int folder, int index, String relative, String location, String fileName, String inputPath,
                           long bytes, String inputVersion, String reading, String scoring) implements WorkUnit {

    /**
     * The relative path made file-name safe (its last 96 characters for deep trees: the id names a
     * manifest file), plus a digest of the whole path so two sheets never share an id.
     */
    @Override
    public String id() {
        String safe = relative.replace('/', '~').replaceAll("[^A-Za-z0-9._~-]", "_");
        if (safe.length() > 96) {
            safe = safe.substring(safe.length() - 96);
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(relative.getBytes(StandardCharsets.UTF_8));
            return safe + "-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public long inputBytes() {
        return bytes;
    }

    /**
     * Editing the template, config or marker its folder uses reads this sheet again; editing only the
     * evaluation or its answer key scores it again, from the values read before.
     */
    @Override
    public String fingerprint(String step) {
        return OmrJob.READ.equals(step) ? reading : OmrJob.SCORE.equals(step) ? scoring : "";
    }
}
