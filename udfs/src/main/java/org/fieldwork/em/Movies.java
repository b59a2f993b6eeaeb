package org.fieldwork.em;

import java.io.IOException;
import java.util.Locale;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.Storage;
import org.fieldwork.io.mrc.MrcReader;

/**
 * Opens a movie file as {@link MovieFrames}, MRC/MRCS or multi-page TIFF, chosen by content (TIFF
 * magic, the MRC 'MAP ' tag) and otherwise by extension (.mrc, .mrcs, .st and .map are MRC; legacy
 * MRC files may lack the tag).
 */
public final class Movies {
    private Movies() {
    }

    /** Opens a local path or {@code s3a://} URI; errors name the file. */
    public static MovieFrames open(Storage storage, String location) throws IOException {
        SeekableInput input = storage.openInput(location);
        try {
            byte[] head = new byte[(int) Math.min(1024, input.length())];
            input.readFully(0, head, 0, head.length);
            String ext = extension(location);
            if (isTiff(head)) {
                return TiffMovie.open(input, location);
            }
            if (isMrc(head) || ext.equals("mrc") || ext.equals("mrcs") || ext.equals("st") || ext.equals("map")) {
                return MrcReader.open(input, location);
            }
            throw new IOException(location + ": not a movie read here: neither TIFF (no II*/MM* at the start) nor MRC"
                    + " (no 'MAP ' at byte 208" + (ext.isEmpty() ? "" : ", and the extension ." + ext + " is neither") + ")"
                    + (head.length == 0 ? "; the file is empty" : ""));
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private static boolean isTiff(byte[] h) {
        return h.length >= 4 && (h[0] == 'I' && h[1] == 'I' && (h[2] == 42 || h[2] == 43) && h[3] == 0
                || h[0] == 'M' && h[1] == 'M' && h[2] == 0 && (h[3] == 42 || h[3] == 43));
    }

    private static boolean isMrc(byte[] h) {
        return h.length >= 212 && h[208] == 'M' && h[209] == 'A' && h[210] == 'P' && h[211] == ' ';
    }

    private static String extension(String location) {
        String name = location.substring(Math.max(location.lastIndexOf('/'), location.lastIndexOf('\\')) + 1);
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
