package org.fieldwork.io.nd2;

import java.io.IOException;
import java.util.Arrays;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackFormat;
import org.fieldwork.io.stack.StackReader;

/**
 * Nikon ND2: versions 2 and 3, files that start with the chunk magic DA CE BE 0A (read by
 * {@link Nd2File}), and legacy version 1, JPEG 2000 box files that start with the signature box
 * {@code 00 00 00 0C 'jP  ' 0D 0A 87 0A} (read by {@link Nd2LegacyFile}). A plain JPEG 2000 image
 * starts the same way; opening one fails with a message that says it has no ND2 box map.
 */
public final class Nd2Format implements StackFormat {
    private static final byte[] CHUNK_MAGIC = {(byte) 0xDA, (byte) 0xCE, (byte) 0xBE, 0x0A};

    @Override
    public String name() {
        return "nd2";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return startsWithChunkMagic(head) || Nd2LegacyFile.isJp2(head);
    }

    private static boolean startsWithChunkMagic(byte[] head) {
        return head != null && head.length >= CHUNK_MAGIC.length
                && Arrays.equals(head, 0, CHUNK_MAGIC.length, CHUNK_MAGIC, 0, CHUNK_MAGIC.length);
    }

    /** Opens version 2/3 files with {@link Nd2File}, legacy JPEG 2000 ones with {@link Nd2LegacyFile}. */
    @Override
    public StackReader open(SeekableInput input) throws IOException {
        try {
            byte[] head = new byte[(int) Math.min(Nd2LegacyFile.JP2_SIGNATURE.length, input.length())];
            input.readFully(0, head, 0, head.length);
            return Nd2LegacyFile.isJp2(head) ? new Nd2LegacyFile(input) : new Nd2File(input);
        } catch (IOException | RuntimeException e) {
            try {
                input.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }
}
