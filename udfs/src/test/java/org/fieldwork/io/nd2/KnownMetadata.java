package org.fieldwork.io.nd2;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The values NIS-Elements reports for the shared sample files ({@code known-metadata.yml}): file ->
 * channel -> "section.key" -> value. The file is plain two-space-indented YAML of scalars, read here
 * without a YAML library.
 */
final class KnownMetadata {
    private final Map<String, Map<String, Map<String, String>>> files = new LinkedHashMap<>();

    KnownMetadata(Path yml) throws IOException {
        List<String> lines = Files.readAllLines(yml, StandardCharsets.UTF_8);
        String file = null;
        String channel = null;
        String section = null;
        for (String raw : lines) {
            if (raw.isBlank() || raw.trim().startsWith("#")) {
                continue;
            }
            int indent = raw.length() - raw.stripLeading().length();
            String line = raw.trim();
            int colon = line.indexOf(':');
            String key = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            switch (indent) {
                case 0 -> {
                    file = key;
                    files.put(file, new LinkedHashMap<>());
                }
                case 2 -> {
                    channel = key;
                    files.get(file).put(channel, new LinkedHashMap<>());
                }
                case 4 -> section = key;
                case 6 -> files.get(file).get(channel).put(section + "." + key, value);
                default -> throw new IOException(yml + ": unexpected indentation in '" + raw + "'");
            }
        }
    }

    boolean lists(String file) {
        return files.containsKey(file);
    }

    /** The channel names the yml gives for a file, in its order. */
    List<String> channels(String file) {
        return List.copyOf(files.get(file).keySet());
    }

    String value(String file, String channel, String key) {
        return files.get(file).get(channel).get(key);
    }

    double number(String file, String channel, String key) {
        return Double.parseDouble(value(file, channel, key));
    }
}
