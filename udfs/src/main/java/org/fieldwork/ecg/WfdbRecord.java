package org.fieldwork.ecg;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A WFDB record (PhysioNet's header + signal file pair) with every signal in one file of format 16
 * (little-endian 16-bit) or 212 (two 12-bit samples in three bytes), frames interleaved. Samples
 * are converted to physical units as (adu - baseline) / gain.
 */
public record WfdbRecord(String name, double sampleRateHz, List<String> leads, double[] gains, int[] baselines,
        double[][] samplesMv) {

    /** Thrown for a header or signal file that cannot be read as this class reads WFDB; names the file. */
    public static final class UnreadableRecord extends RuntimeException {
        public UnreadableRecord(String message) {
            super(message);
        }
    }

    /** Number of samples per lead. */
    public int length() {
        return samplesMv.length == 0 ? 0 : samplesMv[0].length;
    }

    /** The samples of one lead, by name (case-insensitive), in mV. */
    public double[] lead(String leadName) {
        int i = indexOf(leadName);
        if (i < 0) {
            throw new IllegalArgumentException("record " + name + " has no lead " + leadName + " (leads: " + leads + ")");
        }
        return samplesMv[i];
    }

    /** Index of a lead by name (case-insensitive), or -1. */
    public int indexOf(String leadName) {
        for (int i = 0; i < leads.size(); i++) {
            if (leads.get(i).equalsIgnoreCase(leadName)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Reads {@code header} (the .hea file) and the signal file it names, from the same folder; when
     * that file is absent, the .dat with the header's own file name is read instead.
     */
    public static WfdbRecord read(Path header) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(header)) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                lines.add(t);
            }
        }
        if (lines.isEmpty()) {
            throw new UnreadableRecord(header + ": empty WFDB header");
        }
        String[] rec = lines.get(0).split("\\s+");
        if (rec.length < 2) {
            throw new UnreadableRecord(header + ": record line needs a name and a signal count: " + lines.get(0));
        }
        int nsig = parseInt(rec[1], header, "signal count");
        double fs = rec.length > 2 ? parseFrequency(rec[2], header) : 250;
        int declaredLength = rec.length > 3 ? parseInt(rec[3], header, "sample count") : -1;
        if (lines.size() < 1 + nsig) {
            throw new UnreadableRecord(header + ": declares " + nsig + " signals but has " + (lines.size() - 1) + " signal lines");
        }
        String file = null;
        int format = -1;
        List<String> leads = new ArrayList<>();
        double[] gains = new double[nsig];
        int[] baselines = new int[nsig];
        for (int s = 0; s < nsig; s++) {
            String[] f = lines.get(1 + s).split("\\s+");
            if (f.length < 2) {
                throw new UnreadableRecord(header + ": signal line " + (s + 1) + " needs a file name and a format");
            }
            int fmt = parseInt(f[1].split("[x:+]")[0], header, "format of signal " + (s + 1));
            if (file == null) {
                file = f[0];
                format = fmt;
            } else if (!file.equals(f[0]) || fmt != format) {
                throw new UnreadableRecord(header + ": signals in several files or formats are not supported");
            }
            if (f[1].contains("+") || f[1].contains(":") || f[1].contains("x")) {
                throw new UnreadableRecord(header + ": byte offsets, skews and multi-sample frames are not supported (" + f[1] + ")");
            }
            int adcZero = f.length > 4 ? parseInt(f[4], header, "ADC zero of signal " + (s + 1)) : 0;
            double gain = 200;
            int baseline = adcZero;
            if (f.length > 2) {
                String g = f[2];
                int slash = g.indexOf('/');
                if (slash >= 0) {
                    g = g.substring(0, slash);
                }
                int paren = g.indexOf('(');
                if (paren >= 0) {
                    baseline = parseInt(g.substring(paren + 1, g.indexOf(')', paren)), header, "baseline of signal " + (s + 1));
                    g = g.substring(0, paren);
                }
                gain = parseDouble(g, header, "gain of signal " + (s + 1));
                if (gain == 0) {
                    gain = 200;
                }
            }
            gains[s] = gain;
            baselines[s] = baseline;
            leads.add(f.length > 8 ? String.join(" ", java.util.Arrays.copyOfRange(f, 8, f.length)) : "signal" + s);
        }
        Path dat = header.resolveSibling(file);
        if (!Files.isRegularFile(dat)) {
            // A renamed copy (name.hea whose record line still says the original name) keeps its .dat beside it.
            String stem = header.getFileName().toString().replaceFirst("\\.hea$", "");
            Path renamed = header.resolveSibling(stem + ".dat");
            if (!Files.isRegularFile(renamed)) {
                throw new UnreadableRecord(header + ": signal file " + dat + " not found (nor " + renamed.getFileName() + ")");
            }
            dat = renamed;
        }
        byte[] bytes = Files.readAllBytes(dat);
        int[][] adu = switch (format) {
            case 16 -> decode16(bytes, nsig);
            case 212 -> decode212(bytes, nsig);
            default -> throw new UnreadableRecord(header + ": signal format " + format + " is not supported (16 and 212 are)");
        };
        int n = adu.length == 0 ? 0 : adu[0].length;
        if (declaredLength >= 0 && declaredLength > n) {
            throw new UnreadableRecord(dat + ": holds " + n + " samples per signal, the header declares " + declaredLength);
        }
        if (declaredLength >= 0) {
            n = declaredLength;
        }
        double[][] mv = new double[nsig][n];
        for (int s = 0; s < nsig; s++) {
            for (int i = 0; i < n; i++) {
                mv[s][i] = (adu[s][i] - baselines[s]) / gains[s];
            }
        }
        String name = rec[0].contains("/") ? rec[0].substring(0, rec[0].indexOf('/')) : rec[0];
        return new WfdbRecord(name, fs, List.copyOf(leads), gains, baselines, mv);
    }

    /** Format 16: each sample a little-endian two's-complement 16-bit integer, frame after frame. */
    static int[][] decode16(byte[] b, int nsig) {
        int frames = b.length / 2 / nsig;
        int[][] out = new int[nsig][frames];
        int p = 0;
        for (int i = 0; i < frames; i++) {
            for (int s = 0; s < nsig; s++) {
                out[s][i] = (short) ((b[p] & 0xFF) | (b[p + 1] << 8));
                p += 2;
            }
        }
        return out;
    }

    /** Format 212: sample pairs packed in 3 bytes (low 8 bits of each, then the two high nibbles in the middle byte). */
    static int[][] decode212(byte[] b, int nsig) {
        int total = b.length / 3 * 2;
        int frames = total / nsig;
        int[][] out = new int[nsig][frames];
        for (int k = 0; k < frames * nsig; k++) {
            int base = (k / 2) * 3;
            int v = (k % 2 == 0)
                    ? (b[base] & 0xFF) | ((b[base + 1] & 0x0F) << 8)
                    : (b[base + 2] & 0xFF) | ((b[base + 1] & 0xF0) << 4);
            if (v >= 2048) {
                v -= 4096;
            }
            out[k % nsig][k / nsig] = v;
        }
        return out;
    }

    private static double parseFrequency(String s, Path header) {
        String f = s.split("/")[0];
        int paren = f.indexOf('(');
        if (paren >= 0) {
            f = f.substring(0, paren);
        }
        return parseDouble(f, header, "sampling frequency");
    }

    private static int parseInt(String s, Path header, String what) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UnreadableRecord(header + ": " + what + " is not an integer: " + s);
        }
    }

    private static double parseDouble(String s, Path header, String what) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new UnreadableRecord(header + ": " + what + " is not a number: " + s);
        }
    }
}
