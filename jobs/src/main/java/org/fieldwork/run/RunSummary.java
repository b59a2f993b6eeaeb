package org.fieldwork.run;

import java.util.List;
import java.util.Map;

/** What a run did, for the console summary, the exit code and the services' API. */
public record RunSummary(
        String job,
        String outputDir,
        int unitsTotal,
        int unitsSkipped,
        int unitsDone,
        int unitsFailed,
        List<FailedUnit> failures,
        long bytes,
        long items,
        String itemName,
        long elapsedMillis,
        String mode,
        Map<String, Long> counts,
        String merge,
        boolean cancelled) {

    public record FailedUnit(String unit, String error) {
    }

    /** Kernel runs per device that really ran them ("java", "opencl:<device>"), from {@link #counts}. */
    public Map<String, Long> kernelDevices() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counts.forEach((name, n) -> {
            if (name.startsWith(UnitTask.KERNELS_ON)) {
                out.put(name.substring(UnitTask.KERNELS_ON.length()), n);
            }
        });
        return out;
    }

    public double megabytesPerSecond() {
        return elapsedMillis <= 0 ? 0 : bytes / 1e6 / (elapsedMillis / 1000.0);
    }

    public boolean succeeded() {
        return unitsFailed == 0 && !cancelled;
    }

    /** 0 all done, 1 some units failed, 130 cancelled (as a shell reports Ctrl-C). */
    public int exitCode() {
        return cancelled ? 130 : unitsFailed > 0 ? 1 : 0;
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(job).append(": ").append(unitsTotal).append(" units, ")
                .append(unitsDone).append(" done, ").append(unitsSkipped).append(" skipped (already done), ")
                .append(unitsFailed).append(" failed");
        if (cancelled) {
            sb.append(", CANCELLED");
        }
        sb.append('\n');
        sb.append(String.format("  %.1f s, %.1f MB read, %.1f MB/s", elapsedMillis / 1000.0, bytes / 1e6, megabytesPerSecond()));
        if (items > 0) {
            sb.append(String.format(", %d %s (%.0f/s)", items, itemName, elapsedMillis <= 0 ? 0.0 : items / (elapsedMillis / 1000.0)));
        }
        sb.append(", ran ").append(mode).append('\n');
        if (!counts.isEmpty()) {
            List<String> parts = new java.util.ArrayList<>();
            counts.forEach((name, n) -> parts.add(name + ": " + n));
            sb.append("  ").append(String.join(", ", parts)).append('\n');
        }
        if (merge != null) {
            sb.append("  ").append(merge).append('\n');
        }
        sb.append("  output: ").append(outputDir).append('\n');
        for (FailedUnit f : failures) {
            String first = f.error() == null ? "" : f.error().lines().findFirst().orElse("");
            sb.append("  FAILED ").append(f.unit()).append(": ").append(first).append('\n');
        }
        return sb.toString();
    }
}
