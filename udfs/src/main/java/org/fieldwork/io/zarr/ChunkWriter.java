package org.fieldwork.io.zarr;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a producer's chunks in the background (one SEG-Y segment, one field of view, one movie),
 * so the next chunk is filled while earlier ones are compressed and written: storage latency and
 * compression no longer stall the producer, and the disk always has a write queued. It owns the
 * chunk buffers, at most one more than the writes it keeps in flight, and hands them back to
 * {@link ChunkBuffers} once all are written. One producer thread per writer.
 */
public final class ChunkWriter implements AutoCloseable {
    /** A write of one chunk, run on a writer thread. */
    public interface ChunkWrite {
        void run() throws IOException;
    }

    /**
     * Chunk writes a producer keeps going while it fills the next chunk: four of the usual 4 MB
     * (a deeper disk queue than two; the README has the measurements), fewer for larger chunks so
     * that a producer's buffers stay near 20 MB, never under two.
     */
    public static int writesInFlight(int chunkBytes) {
        return Math.max(2, Math.min(4, (16 << 20) / Math.max(1, chunkBytes)));
    }

    /**
     * Threads that write chunks for every producer in this JVM: two per core, shared, so that a
     * thread's direct I/O buffer and compression context serve many producers (each new thread's
     * are fresh memory, and a thread's compression context lives as long as it does); each producer
     * keeps at most {@link #writesInFlight} writes queued here.
     */
    static final int WRITER_THREAD_COUNT = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    private static final java.util.concurrent.ExecutorService WRITER_THREADS = writerThreads();

    private static java.util.concurrent.ExecutorService writerThreads() {
        java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(WRITER_THREAD_COUNT,
                WRITER_THREAD_COUNT, 0L, java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "fieldwork chunk writer");
                    t.setDaemon(true);
                    return t;
                });
        return pool;
    }

    private final List<ByteBuffer> owned = new ArrayList<>();
    private final java.util.ArrayDeque<ByteBuffer> free = new java.util.ArrayDeque<>();
    private final java.util.ArrayDeque<java.util.concurrent.Future<ByteBuffer>> inFlight = new java.util.ArrayDeque<>();
    private final int maxBuffers;
    private final int bufferBytes;

    /** A writer keeping up to {@code writesInFlight} writes going, with buffers of {@code bufferBytes}. */
    public ChunkWriter(int writesInFlight, int bufferBytes) {
        this.maxBuffers = Math.max(1, writesInFlight) + 1;
        this.bufferBytes = bufferBytes;
    }

    /**
     * A buffer to fill with the next chunk: one whose write has finished, else a new one while the
     * writer has fewer than its writes in flight plus one, else the oldest write's once it is done.
     * Buffers are taken only as the writes fall behind, since a new one is memory that the kernel
     * faults in page by page unless {@link ChunkBuffers} kept one.
     */
    public ByteBuffer buffer() throws IOException, InterruptedException {
        if (free.isEmpty() && !inFlight.isEmpty() && inFlight.peek().isDone()) {
            free.add(awaitOldest());
        }
        if (free.isEmpty() && owned.size() < maxBuffers) {
            ByteBuffer b = ChunkBuffers.take(bufferBytes);
            owned.add(b);
            return b;
        }
        if (free.isEmpty()) {
            free.add(awaitOldest());
        }
        return free.poll();
    }

    /** Hands a buffer back unwritten. */
    public void release(ByteBuffer buffer) {
        free.push(buffer);
    }

    /** Writes {@code buffer} in the background; the buffer comes back once the write is done. */
    public void submit(ByteBuffer buffer, ChunkWrite write) {
        inFlight.add(WRITER_THREADS.submit(() -> {
            write.run();
            return buffer;
        }));
    }

    /** Waits for every write in flight; the first failure is thrown here. */
    public void awaitAll() throws IOException, InterruptedException {
        while (!inFlight.isEmpty()) {
            free.add(awaitOldest());
        }
    }

    private ByteBuffer awaitOldest() throws IOException, InterruptedException {
        // Taken off the queue only once finished: an interrupted wait leaves it for close().
        java.util.concurrent.Future<ByteBuffer> oldest = inFlight.peek();
        try {
            ByteBuffer buffer = oldest.get();
            inFlight.poll();
            return buffer;
        } catch (java.util.concurrent.ExecutionException e) {
            inFlight.poll();
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /**
     * Waits, even when interrupted, for every write in flight: no chunk file may appear after the
     * producer has ended (a retry or the cleanup could be running by then). Their failures no
     * longer matter; the producer is failing already or has reported them.
     */
    @Override
    public void close() {
        boolean interrupted = false;
        for (java.util.concurrent.Future<ByteBuffer> f : inFlight) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        inFlight.clear();
        // Every write has ended: no thread holds a buffer any more.
        owned.forEach(ChunkBuffers::give);
        owned.clear();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}

