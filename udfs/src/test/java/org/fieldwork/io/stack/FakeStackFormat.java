package org.fieldwork.io.stack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.fieldwork.io.SeekableInput;

/**
 * A format that exists only in the tests, registered the way a user's jar registers one: a text
 * line "FAKESTACK width height frames" and a newline, then one byte per pixel, frame after frame.
 */
public class FakeStackFormat implements StackFormat {
    static final String MAGIC = "FAKESTACK";

    @Override
    public String name() {
        return "fakestack";
    }

    @Override
    public int priority() {
        return 5;
    }

    @Override
    public boolean accepts(String fileName, byte[] head) {
        return new String(head, StandardCharsets.US_ASCII).startsWith(MAGIC + " ");
    }

    @Override
    public StackReader open(SeekableInput input) throws IOException {
        byte[] head = new byte[(int) Math.min(64, input.length())];
        input.readFully(0, head, 0, head.length);
        String text = new String(head, StandardCharsets.US_ASCII);
        int newline = text.indexOf('\n');
        String[] words = text.substring(0, Math.max(newline, 0)).split(" ");
        if (newline < 0 || words.length != 4) {
            input.close();
            throw new IOException(input.name() + ": a FAKESTACK header is 'FAKESTACK width height frames'");
        }
        int width = Integer.parseInt(words[1]);
        int height = Integer.parseInt(words[2]);
        int frames = Integer.parseInt(words[3]);
        StackInfo info = new StackInfo(name(), width, height, 1, frames, 1, List.of("Channel 0"), "uint8", 8,
                Double.NaN, new double[0], Map.of());
        long dataStart = newline + 1;
        return new StackReader() {
            @Override
            public StackInfo info() {
                return info;
            }

            @Override
            public void read(int position, int time, int z, int channel, float[] into) throws IOException {
                byte[] plane = new byte[width * height];
                input.readFully(dataStart + (long) time * plane.length, plane, 0, plane.length);
                for (int i = 0; i < plane.length; i++) {
                    into[i] = plane[i] & 0xff;
                }
            }

            @Override
            public String name() {
                return input.name();
            }

            @Override
            public void close() throws IOException {
                input.close();
            }
        };
    }

    /** Registered only in a services file that a test's own class loader sees, as a jar added at run time is. */
    public static class ContextOnly extends FakeStackFormat {
        @Override
        public String name() {
            return "context-only";
        }

        @Override
        public boolean accepts(String fileName, byte[] head) {
            return false;
        }
    }
}
