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

    /**
     * The pool keeps at most KEPT_BYTES, except while buffers are carved from blocks: a buffer dropped
     * there frees nothing, so the pool keeps every one (its size then is the peak of what was in use).
     */
    @Test
    void thePoolIsBoundedUnlessBuffersAreCarvedFromBlocks() {
        assertTrue(ChunkBuffers.keeps(ChunkBuffers.KEPT_BYTES, false));
        assertFalse(ChunkBuffers.keeps(ChunkBuffers.KEPT_BYTES + 1, false));
        assertTrue(ChunkBuffers.keeps(ChunkBuffers.KEPT_BYTES + 1, true));
    }

    /**
     * Buffers are taken as writes fall behind: writes that are done give theirs back for the next
     * chunk; writes that hang take at most one more buffer than the writes in flight, and the next
     * chunk then waits for the oldest.
     */
    @Test
    void buffersAreTakenOnlyAsWritesFallBehind() throws Exception {
        int bytes = 23_456 * 4;
        java.util.Set<java.nio.ByteBuffer> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        try (ChunkWriter w = new ChunkWriter(2, bytes)) {
            for (int i = 0; i < 10; i++) {
                java.nio.ByteBuffer b = w.buffer();
                seen.add(b);
                w.submit(b, () -> { });
                w.awaitAll();
            }
        }
        assertEquals(1, seen.size(), "writes that are done hand their buffer to the next chunk");

        seen.clear();
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (ChunkWriter w = new ChunkWriter(2, bytes)) {
            for (int i = 0; i < 3; i++) {
                java.nio.ByteBuffer b = w.buffer();
                seen.add(b);
                w.submit(b, () -> {
                    try {
                        gate.await();
                    } catch (InterruptedException e) {
                        throw new java.io.InterruptedIOException();
                    }
                });
            }
            assertEquals(3, seen.size(), "writes in flight plus one");
            java.util.concurrent.Future<java.nio.ByteBuffer> next = other.submit(w::buffer);
            Thread.sleep(200);
            assertFalse(next.isDone(), "the next chunk waits for the oldest write");
            gate.countDown();
            assertTrue(seen.contains(next.get(10, java.util.concurrent.TimeUnit.SECONDS)), "and gets its buffer");
            w.awaitAll();
        } finally {
            other.shutdownNow();
        }
    }

    /** However many producers write at once, the writes run on a bounded set of threads; the rest wait their turn. */
    @Test
    void writesShareABoundedSetOfThreads() throws Exception {
        int producers = ChunkWriter.WRITER_THREAD_COUNT / 3 + 2; // three writes each: more than the threads
        int writes = producers * 3;
        java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        java.util.List<ChunkWriter> writers = new java.util.ArrayList<>();
        try {
            for (int p = 0; p < producers; p++) {
                ChunkWriter w = new ChunkWriter(2, 34_567 * 4);
                writers.add(w);
                for (int i = 0; i < 3; i++) {
                    w.submit(w.buffer(), () -> {
                        most.accumulateAndGet(running.incrementAndGet(), Math::max);
                        try {
                            gate.await();
                        } catch (InterruptedException e) {
                            throw new java.io.InterruptedIOException();
                        } finally {
                            running.decrementAndGet();
                            done.incrementAndGet();
                        }
                    });
                }
            }
            long until = System.nanoTime() + 5_000_000_000L;
            while (running.get() < ChunkWriter.WRITER_THREAD_COUNT && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            Thread.sleep(100);
            assertEquals(ChunkWriter.WRITER_THREAD_COUNT, running.get(), "writes running while the rest wait");
            gate.countDown();
            for (ChunkWriter w : writers) {
                w.awaitAll();
            }
            assertEquals(writes, done.get(), "every queued write ran");
            assertTrue(most.get() <= ChunkWriter.WRITER_THREAD_COUNT, "at most one write a thread: " + most.get());
        } finally {
            gate.countDown();
            writers.forEach(ChunkWriter::close);
        }
    }

    @Test
    void aProducerKeepsFourChunkWritesGoingUnlessItsChunksAreLarge() {
        assertEquals(4, ChunkWriter.writesInFlight(1024 * 4000)); // the default chunk of 1000-sample traces
        assertEquals(4, ChunkWriter.writesInFlight(64 << 10));
        assertEquals(2, ChunkWriter.writesInFlight(8 << 20));
        assertEquals(2, ChunkWriter.writesInFlight(256 << 20)); // never fewer than two
    }
}
