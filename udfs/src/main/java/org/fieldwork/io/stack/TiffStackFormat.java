package org.fieldwork.io.stack;

import java.io.IOException;

import org.fieldwork.io.SeekableInput;

/**
 * TIFF stacks, whatever the file is called: OME-TIFF, ImageJ hyperstacks and plain multi-page
 * TIFFs, decoded by the JDK's ImageIO TIFF reader. It claims BigTIFF files too, so that they meet
 * a message saying why they cannot be read here rather than "no reader".
 */
public final class TiffStackFormat implements StackFormat {

    @Override
    public String name() {
        return "tiff";
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        if (head.length < 4) {
            return false;
        }
        boolean little = head[0] == 'I' && head[1] == 'I' && head[3] == 0;
        boolean big = head[0] == 'M' && head[1] == 'M' && head[2] == 0;
        int version = little ? head[2] : big ? head[3] : 0;
        return version == 42 || version == 43;
    }

    @Override
    public StackReader open(SeekableInput input) throws IOException {
        return TiffStack.open(input);
    }
}
