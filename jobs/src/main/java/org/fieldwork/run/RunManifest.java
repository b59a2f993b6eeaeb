package org.fieldwork.run;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run manifest, {@code <out>/_manifest/}: unit records in batch files of JSON lines, each file
 * written atomically by the task (or driver thread) that ran its units, so a killed run leaves
 * whole files only and loses at most the last second of records. A run reads every file in parallel
 * and keeps each unit's latest record; a run that finished rewrites them as a few compact files.
 * {@code <out>/_SUCCESS} marks a run whose units all finished and whose merge completed.
 *
 * <p>Files: {@code <writer>-<n>.jsonl} (batches), {@code compact-<run>-<k>.jsonl} (after a run), and
 * {@code <unit>.json} (one pretty record, as earlier versions wrote them: still read).
 */
public final class RunManifest {
    private static final Logger LOG = LoggerFactory.getLogger(RunManifest.class);
    public static final String DIR = "_manifest";
    public static final String SUCCESS = "_SUCCESS";
    /** A batch is written when it holds this many records... */
    static final int BATCH_RECORDS = 1000;
    /**
     * ...or when its oldest record has waited this long (the system property
     * {@code fieldwork.manifest.batchMillis} changes it: how much finished work a kill may cost).
     */
    static final long BATCH_MILLIS = Long.getLong("fieldwork.manifest.batchMillis", 1000);
    /** Records per compact file: files are read in parallel. */
    static final int COMPACT_RECORDS = 100_000;
    private static final int READ_THREADS = 8;

    private static final ObjectMapper PRETTY = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    /** One record per line; UnitRecord leaves its empty fields out itself, the facts are written whole. */
    private static final ObjectMapper LINES = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String outputDir;
    private final OutputFiles files;

    public RunManifest(String outputDir, Storage storage) {
        this.outputDir = outputDir;
        this.files = new OutputFiles(storage);
    }

    private String dir() {
        return Storage.join(outputDir, DIR);
    }

    /** Writes one record at once, as a batch of its own (failures recorded on the driver). */
    public void write(UnitRecord<?> record) throws IOException {
        try (Writer w = writer("driver-" + UUID.randomUUID())) {
            w.add(record);
        }
    }

    /** A batching writer; {@code id} must be unique to this writer (task attempt, thread, run). */
    public Writer writer(String id) {
        return new Writer(id.replaceAll("[^A-Za-z0-9._-]", "_"));
    }

    /** Writes the batches that have waited long enough, for every open writer of this JVM. */
    private static final java.util.concurrent.ScheduledExecutorService FLUSHER =
            Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "fieldwork-manifest-flush");
                t.setDaemon(true);
                return t;
            });

    /**
     * Collects records and writes them as one file when {@link #BATCH_RECORDS} have gathered or the
     * oldest has waited {@link #BATCH_MILLIS} (a background flush, so a long unit after a short one
     * does not hold the short one's record back), and on {@link #close()}. Thread-safe.
     */
    public final class Writer implements AutoCloseable {
        private final String id;
        private final List<UnitRecord<?>> pending = new ArrayList<>();
        private long oldest;
        private int files;
        private IOException failed;
        private java.util.concurrent.ScheduledFuture<?> timer;

        private Writer(String id) {
            this.id = id;
        }

        public synchronized void add(UnitRecord<?> record) throws IOException {
            rethrow();
            if (pending.isEmpty()) {
                oldest = System.currentTimeMillis();
            }
            pending.add(record);
            if (pending.size() >= BATCH_RECORDS) {
                flush();
            } else if (timer == null) {
                timer = FLUSHER.scheduleWithFixedDelay(this::flushIfDue, BATCH_MILLIS / 4, BATCH_MILLIS / 4,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        private synchronized void flushIfDue() {
            if (!pending.isEmpty() && failed == null && System.currentTimeMillis() - oldest >= BATCH_MILLIS) {
                try {
                    flush();
                } catch (IOException e) {
                    failed = e;
                }
            }
        }

        public synchronized void flush() throws IOException {
            rethrow();
            if (pending.isEmpty()) {
                return;
            }
            writeLines(String.format("%s-%05d.jsonl", id, files++), pending);
            pending.clear();
        }

        private void rethrow() throws IOException {
            if (failed != null) {
                throw failed;
            }
        }

        @Override
        public synchronized void close() throws IOException {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            flush();
        }
    }

    private void writeLines(String name, Collection<? extends UnitRecord<?>> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(records.size() * 256);
        for (UnitRecord<?> r : records) {
            LINES.writeValue(out, r);
            out.write('\n');
        }
        files.writeAtomically(Storage.join(dir(), name), out.toByteArray());
    }

    /**
     * All records, by unit id, their facts read as {@code factsType}: of a unit recorded more than
     * once, the latest attempt. Files are read in parallel; an unreadable line or file (written by
     * hand, or by an older version) is skipped, and its units run again.
     */
    public <F> Map<String, UnitRecord<F>> readAll(Class<F> factsType) throws IOException {
        JavaType type = LINES.getTypeFactory().constructParametricType(UnitRecord.class, factsType);
        ObjectReader reader = LINES.readerFor(type);
        List<String> names = new ArrayList<>();
        for (String name : files.list(dir())) {
            if ((name.endsWith(".jsonl") || name.endsWith(".json")) && !name.startsWith(".")) {
                names.add(name);
            }
        }
        Map<String, UnitRecord<F>> records = new HashMap<>(Math.max(16, names.size() * 4));
        if (names.isEmpty()) {
            return records;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(READ_THREADS, names.size()), r -> {
            Thread t = new Thread(r, "fieldwork-manifest-read");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<List<UnitRecord<F>>>> parts = new ArrayList<>();
            for (String name : names) {
                parts.add(pool.submit(() -> read(name, reader)));
            }
            for (Future<List<UnitRecord<F>>> part : parts) {
                for (UnitRecord<F> r : part.get()) {
                    records.merge(r.unit(), r, RunManifest::later);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(dir() + ": interrupted while reading the manifest", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(dir() + ": " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return records;
    }

    /** All records, with their facts as plain JSON values (for tools and tests that do not know the job). */
    public Map<String, UnitRecord<Object>> readAll() throws IOException {
        return readAll(Object.class);
    }

    private <F> List<UnitRecord<F>> read(String name, ObjectReader reader) throws IOException {
        byte[] bytes;
        try {
            bytes = files.read(Storage.join(dir(), name));
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException gone) {
            return List.of(); // compacted away by a run that just finished
        }
        List<UnitRecord<F>> out = new ArrayList<>();
        if (name.endsWith(".json")) {
            try {
                out.add(reader.readValue(bytes));
            } catch (IOException unreadable) {
                LOG.debug("{}: not a unit record: {}", name, unreadable.toString());
            }
            return out;
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(reader.readValue(line));
                } catch (IOException unreadable) {
                    LOG.debug("{}: skipped a line that is not a unit record: {}", name, unreadable.toString());
                }
            }
        }
        return out;
    }

    /** Of two records of one unit, the later: the higher attempt, then the later finish. */
    private static <F> UnitRecord<F> later(UnitRecord<F> a, UnitRecord<F> b) {
        if (a.attempt() != b.attempt()) {
            return a.attempt() > b.attempt() ? a : b;
        }
        return a.startedAtMillis() + a.elapsedMillis() >= b.startedAtMillis() + b.elapsedMillis() ? a : b;
    }

    /**
     * Rewrites the manifest as the given records only, in files of {@link #COMPACT_RECORDS}: the new
     * files first, then every other file goes, so a run killed in between reads each record twice, never none.
     */
    public void compact(Collection<? extends UnitRecord<?>> current) throws IOException {
        List<String> before = files.list(dir());
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<UnitRecord<?>> chunk = new ArrayList<>();
        List<String> written = new ArrayList<>();
        int k = 0;
        for (UnitRecord<?> r : current) {
            chunk.add(r);
            if (chunk.size() == COMPACT_RECORDS) {
                String name = String.format("compact-%s-%05d.jsonl", run, k++);
                writeLines(name, chunk);
                written.add(name);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            String name = String.format("compact-%s-%05d.jsonl", run, k);
            writeLines(name, chunk);
            written.add(name);
        }
        for (String name : before) {
            if (!written.contains(name) && !name.startsWith(".")) {
                files.delete(Storage.join(dir(), name));
            }
        }
    }

    /** How many files the manifest holds now (a compaction is worth it above a few). */
    public int fileCount() throws IOException {
        return files.list(dir()).size();
    }

    public boolean succeeded() throws IOException {
        return files.exists(Storage.join(outputDir, SUCCESS));
    }

    public void markSuccess(String summaryJson) throws IOException {
        files.writeAtomically(Storage.join(outputDir, SUCCESS), summaryJson.getBytes(StandardCharsets.UTF_8));
    }

    public void clearSuccess() throws IOException {
        files.delete(Storage.join(outputDir, SUCCESS));
    }

    /** Forgets every unit (--fresh): the next run redoes them all. */
    public void clear() throws IOException {
        files.deleteTree(dir());
    }

    public static String toJson(Object value) {
        try {
            return PRETTY.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hash a unit's record carries: the job's settings hash, and the unit's own fingerprint if it has one. */
    public static String unitHash(String settingsHash, WorkUnit unit) {
        String fingerprint = unit.fingerprint();
        return fingerprint == null || fingerprint.isEmpty() ? settingsHash : digest(settingsHash + "\n" + fingerprint);
    }

    /** Hash of the job name and its settings, sorted so option order does not matter. */
    public static String settingsHash(String jobName, Map<String, String> settings) {
        StringBuilder sb = new StringBuilder(jobName).append('\n');
        new TreeMap<>(settings).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        return digest(sb.toString());
    }

    static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
