package org.fieldwork.run;

import java.io.Serializable;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A named part of every unit's work with settings of its own, and the earlier steps whose results
 * it uses (motion correction, then CTF estimation, then picking). Each unit's record keeps a hash
 * per step; a re-run whose step settings changed redoes, in each unit, exactly the steps whose
 * settings changed and the steps that use their results, and keeps the rest.
 *
 * @param uses names of earlier steps this one reads the results of
 */
public record Step(String name, Map<String, String> settings, List<String> uses) implements Serializable {

    public Step {
        settings = Map.copyOf(settings);
        uses = List.copyOf(uses);
    }

    public static Step of(String name, Map<String, String> settings, String... uses) {
        return new Step(name, settings, List.of(uses));
    }

    /**
     * Each step's hash: its name and settings and the hashes of the steps it uses, so a change
     * upstream changes every hash downstream. Steps must come after the steps they use.
     */
    static Map<String, String> hashes(String jobName, List<Step> steps) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Step s : steps) {
            if (out.containsKey(s.name())) {
                throw new IllegalArgumentException(jobName + ": step '" + s.name() + "' is declared twice");
            }
            StringBuilder sb = new StringBuilder("step ").append(s.name()).append('\n');
            new TreeMap<>(s.settings()).forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            for (String u : s.uses()) {
                String h = out.get(u);
                if (h == null) {
                    throw new IllegalArgumentException(jobName + ": step '" + s.name() + "' uses '" + u
                            + "', which is not declared before it");
                }
                sb.append("uses ").append(u).append('=').append(h).append('\n');
            }
            out.put(s.name(), RunManifest.digest(sb.toString()));
        }
        return out;
    }

    /**
     * Each step's hash for one unit: the job's hash of the step, then the unit's own fingerprint for
     * it ({@link WorkUnit#fingerprint(String)}), chained through the steps it uses, so that a unit's
     * changed configuration redoes its steps downstream too. Units without fingerprints share the
     * job's hashes.
     */
    static Map<String, String> forUnit(List<Step> steps, Map<String, String> jobHashes, WorkUnit unit) {
        boolean own = false;
        for (Step s : steps) {
            own |= !unit.fingerprint(s.name()).isEmpty();
        }
        if (!own) {
            return jobHashes;
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Step s : steps) {
            StringBuilder sb = new StringBuilder(jobHashes.get(s.name())).append('\n').append(unit.fingerprint(s.name()));
            for (String u : s.uses()) {
                sb.append('\n').append(out.get(u));
            }
            out.put(s.name(), RunManifest.digest(sb.toString()));
        }
        return out;
    }

    /** The steps to run again: those whose hash differs from the recorded one (or has none). */
    static Set<String> stale(Map<String, String> current, Map<String, String> recorded) {
        Set<String> out = new HashSet<>();
        current.forEach((name, hash) -> {
            if (recorded == null || !hash.equals(recorded.get(name))) {
                out.add(name);
            }
        });
        return out;
    }
}
