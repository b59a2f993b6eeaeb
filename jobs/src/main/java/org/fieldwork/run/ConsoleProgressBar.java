package org.fieldwork.run;

import java.io.PrintStream;

/**
 * The console progress bar: units done/total, MB/s, items/s and ETA on one line of stderr,
 * redrawn in place on a terminal and printed every few seconds otherwise (logs, CI).
 */
public final class ConsoleProgressBar implements ProgressListener {
    private final PrintStream out;
    private final boolean terminal;
    private long lastPrinted;

    public ConsoleProgressBar(PrintStream out) {
        this.out = out;
        this.terminal = System.console() != null;
    }

    @Override
    public void onProgress(ProgressSnapshot s) {
        long now = System.currentTimeMillis();
        if (!terminal && !s.finished() && now - lastPrinted < 5000) {
            return;
        }
        lastPrinted = now;
        String line = render(s);
        if (terminal) {
            out.print("\r" + line + (s.finished() ? "\n" : ""));
        } else {
            out.println(line);
        }
        out.flush();
    }

    static String render(ProgressSnapshot s) {
        int width = 24;
        int finishedUnits = s.unitsDone() + s.unitsFailed();
        double fraction = s.bytesTotal() > 0 ? Math.min(1.0, s.bytesDone() / (double) s.bytesTotal())
                : s.unitsTotal() == 0 ? 1.0 : finishedUnits / (double) s.unitsTotal();
        if (s.finished()) {
            fraction = 1.0;
        }
        int filled = (int) Math.round(fraction * width);
        StringBuilder sb = new StringBuilder();
        sb.append(s.job()).append(" [").append("#".repeat(filled)).append(" ".repeat(width - filled)).append("] ");
        sb.append(finishedUnits).append('/').append(s.unitsTotal()).append(" units");
        if (s.unitsFailed() > 0) {
            sb.append(" (").append(s.unitsFailed()).append(" failed)");
        }
        sb.append(String.format(" %.1f MB/s", s.megabytesPerSecond()));
        if (s.items() > 0) {
            sb.append(String.format(" %d %s (%.0f/s)", s.items(), s.itemName(), s.itemsPerSecond()));
        }
        long eta = s.etaSeconds();
        if (!s.finished() && eta >= 0) {
            sb.append(String.format(" ETA %d:%02d", eta / 60, eta % 60));
        }
        return sb.toString();
    }
}
