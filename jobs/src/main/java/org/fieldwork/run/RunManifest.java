package org.fieldwork.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.fieldwork.io.OutputFiles;
import org.fieldwork.io.Storage;

/**
 * The run manifest: {@code <out>/_manifest/<unit>.json}, one small record per unit, each written
 * atomically so a killed run leaves either the old record or the new one. {@code <out>/_SUCCESS}
 * marks a run whose units all finished and whose merge completed.
 */
public final class RunManifest {
    public static final String DIR = "_manifest";
    public static final String SUCCESS = "_SUCCESS";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String outputDir;
    private final OutputFiles files;

    public RunManifest(String outputDir, Storage storage) {
        this.outputDir = outputDir;
        this.files = new OutputFiles(storage);
    }

    public String recordPath(String unitId) {
        return Storage.join(Storage.join(outputDir, DIR), unitId + ".json");
    }

    public void write(UnitRecord<?> record) throws IOException {
        files.writeAtomically(recordPath(record.unit()), JSON.writeValueAsBytes(record));
    }

    /** All records present, by unit id, their facts read as {@code factsType}; unreadable records are absent (the unit reruns). */
    public <F> Map<String, UnitRecord<F>> readAll(Class<F> factsType) throws IOException {
        JavaType type = JSON.getTypeFactory().constructParametricType(UnitRecord.class, factsType);
        Map<String, UnitRecord<F>> records = new HashMap<>();
        String dir = Storage.join(outputDir, DIR);
        for (String name : files.list(dir)) {
            if (!name.endsWith(".json")) {
                continue;
            }
            try {
                UnitRecord<F> r = JSON.readValue(files.read(Storage.join(dir, name)), type);
                records.put(r.unit(), r);
            } catch (IOException e) {
                // A record half-written by a non-atomic store, by hand, or by an older version: redo the unit.
            }
        }
        return records;
    }

    /** All records, with their facts as plain JSON values (for tools that do not know the job). */
    public Map<String, UnitRecord<Object>> readAll() throws IOException {
        return readAll(Object.class);
    }

    /** Forgets every unit (--fresh): the next run redoes them all. */
    public void clear() throws IOException {
        files.deleteTree(Storage.join(outputDir, DIR));
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

    public static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
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

    private static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
