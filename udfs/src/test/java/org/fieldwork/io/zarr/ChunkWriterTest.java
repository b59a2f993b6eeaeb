package org.fieldwork.io.zarr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The background chunk writer's buffers and depth (its writes are tested through the SEG-Y importer). */
class ChunkWriterTest {
    /** A producer's chunk buffers serve the next one: the same off-heap buffer, cleared, little-endian. */
    @Test
    void chunkBuffersGivenBackServeTheNextProducer() {
        int bytes = 12_345 * 4;   // a size no other test uses, so the pool holds only ours
        java.nio.ByteBuffer first = ChunkBuffers.take(bytes);
        assertTrue(first.isDirect());
        assertEquals(bytes, first.capacity());
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, first.order());
        first.position(7).limit(100);
        ChunkBuffers.give(first);
        java.nio.ByteBuffer again = ChunkBuffers.take(bytes);
        assertTrue(again == first, "the buffer given back is taken again");
        assertEquals(0, again.position());
        assertEquals(bytes, again.limit());
        assertEquals(java.nio.ByteOrder.LITTLE_ENDIAN, again.order());
        assertFalse(ChunkBuffers.take(bytes) == first, "a buffer is handed out once");
    }

    @Test
    void aProducerKeepsFourChunkWritesGoingUnlessItsChunksAreLarge() {
        assertEquals(4, ChunkWriter.writesInFlight(1024 * 4000)); // the default chunk of 1000-sample traces
        assertEquals(4, ChunkWriter.writesInFlight(64 << 10));
        assertEquals(2, ChunkWriter.writesInFlight(8 << 20));
        assertEquals(2, ChunkWriter.writesInFlight(256 << 20)); // never fewer than two
    }
}
