package org.fieldwork.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class OffHeapTest {

    @Test
    void impossibleRequestsAreRefusedBeforeAnythingIsCarved() {
        assertThrows(IllegalArgumentException.class, () -> OffHeap.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> OffHeap.allocate(10, 3));
        assertThrows(IllegalArgumentException.class, () -> OffHeap.allocate(10, 0));
        assertThrows(IllegalArgumentException.class, () -> OffHeap.allocate(10, OffHeap.HUGE_PAGE * 2));
        assertThrows(IllegalArgumentException.class, () -> OffHeap.allocate(Integer.MAX_VALUE - 10, 64));
        assertEquals(0, OffHeap.allocate(0, 4096).capacity());
    }

    /** Once a block could not be had (direct memory nearly used up), buffers are no longer carved. */
    @Test
    void afterAFailedBlockNothingMoreIsCarved() {
        OffHeap.Blocks blocks = new OffHeap.Blocks();
        assertTrue(blocks.carve(1000, 64) != null);
        blocks.failed = true;
        assertNull(blocks.carve(1000, 64));
    }

    @Test
    void carvedBuffersAreZeroedAlignedAndApart() {
        OffHeap.Blocks blocks = new OffHeap.Blocks();
        int[] sizes = {4_096_000, 100, 8 << 20, 4097, 4_096_000, 1 << 20};
        int[] aligns = {64, 4096, 4096, 64, 64, 4096};
        List<ByteBuffer> got = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            ByteBuffer b = blocks.carve(sizes[i], aligns[i]);
            assertTrue(b.isDirect());
            assertEquals(sizes[i], b.capacity());
            assertEquals(0, b.alignmentOffset(0, aligns[i]), "aligned to " + aligns[i]);
            for (int p = 0; p < b.capacity(); p += 4093) {
                assertEquals(0, b.get(p), "zeroed");
            }
            got.add(b);
        }
        assertEquals(0, got.get(0).alignmentOffset(0, OffHeap.HUGE_PAGE), "a block starts on a 2 MB page");
        // Each buffer filled with its own byte, then every byte read back: no two share memory.
        for (int i = 0; i < got.size(); i++) {
            ByteBuffer b = got.get(i);
            for (int p = 0; p < b.capacity(); p++) {
                b.put(p, (byte) (i + 1));
            }
        }
        for (int i = 0; i < got.size(); i++) {
            ByteBuffer b = got.get(i);
            for (int p = 0; p < b.capacity(); p++) {
                if (b.get(p) != (byte) (i + 1)) {
                    throw new AssertionError("buffer " + i + " byte " + p + " was overwritten by buffer " + (b.get(p) - 1));
                }
            }
        }
    }

    @Test
    void aFullBlockIsFollowedByANewOneAndLargeRequestsAreLeftToMemoryOfTheirOwn() {
        OffHeap.Blocks blocks = new OffHeap.Blocks();
        ByteBuffer first = blocks.carve(13 << 20, 64);
        ByteBuffer second = blocks.carve(13 << 20, 64);
        ByteBuffer third = blocks.carve(13 << 20, 64);
        assertEquals(0, first.alignmentOffset(0, OffHeap.HUGE_PAGE));
        assertEquals(1 << 20, second.alignmentOffset(0, OffHeap.HUGE_PAGE), "the second follows the first, 13 MB on");
        assertEquals(0, third.alignmentOffset(0, OffHeap.HUGE_PAGE), "32 MB hold two: the third starts a new block");

        assertNull(blocks.carve(OffHeap.BLOCK / 2 + 1, 64), "more than half a block is not carved");
        for (int bytes : new int[] {OffHeap.BLOCK, 4_096_001, 100}) {
            ByteBuffer alone = OffHeap.alone(bytes, 4096);
            assertEquals(bytes, alone.capacity());
            assertEquals(0, alone.alignmentOffset(0, 4096));
        }
    }
}
