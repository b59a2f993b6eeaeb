package org.fieldwork.io.nd2;

import java.io.IOException;

import org.fieldwork.io.SeekableInput;
import org.fieldwork.io.stack.StackFormat;
import org.fieldwork.io.stack.StackReader;

/**
 * Nikon ND2, versions 2 and 3: files that start with the chunk magic DA CE BE 0A. Legacy JPEG 2000
 * ND2 files (version 1) are not read.
 */
public final class Nd2Format implements StackFormat {
    private static final byte[] CHUNK_MAGIC = {(byte) 0xDA, (byte) 0xCE, (byte) 0xBE, 0x0A};

    @Override
    public String name() {
        return "nd2";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        if (head == null || head.length < CHUNK_MAGIC.length) {
            return false;
        }
        for (int i = 0; i < CHUNK_MAGIC.length; i++) {
            if (head[i] != CHUNK_MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public StackReader open(SeekableInput input) throws IOException {
        try {
            return new Nd2File(input);
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
