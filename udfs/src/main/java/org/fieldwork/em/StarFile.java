package org.fieldwork.em;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * RELION STAR files: the coordinate file of one micrograph, the particles file of an export (RELION
 * 3.1 layout: a {@code data_optics} table and a {@code data_particles} table joined by
 * {@code _rlnOpticsGroup}), and a small reader of any STAR text.
 * <p>
 * Conventions, as RELION uses them (autopicker and extraction in RELION 3.1): coordinates are in
 * pixels of the micrograph, 0-based, pixel (x, y) being column x and row y of the image as stored
 * (the {@link Pick} convention); extraction centres a box on the pixel at the truncated coordinate.
 * Image names are {@code index@stack} with a 1-based index written on six digits. Defocus in Å,
 * angles in degrees, voltage in kV, spherical aberration in mm. Names may not contain whitespace,
 * since RELION splits rows on it.
 */
public final class StarFile {
    private static final String VERSION = "# version 30001";

    private StarFile() {
    }

    /** An optics group of the particles file. */
    public record Optics(int group, String name, double micrographOriginalPixelSizeA, double voltageKv,
            double sphericalAberrationMm, double amplitudeContrast, double imagePixelSizeA, int imageSize) implements java.io.Serializable {
    }

    /** One extracted particle: where it came from and the CTF of its micrograph. */
    public record Particle(String imageName, String micrographName, double xPx, double yPx, double figureOfMerit,
            int opticsGroup, double defocusUA, double defocusVA, double defocusAngleDeg, double phaseShiftDeg) implements java.io.Serializable {
    }

    /** One data block: its name (after {@code data_}), column labels without the leading underscore, rows. */
    public record Block(String name, boolean loop, List<String> columns, List<List<String>> rows) {
        /** Index of the column {@code label} (with or without the leading underscore), or -1. */
        public int column(String label) {
            return columns.indexOf(label.startsWith("_") ? label.substring(1) : label);
        }

        /** The value in {@code row} of column {@code label}; throws when there is no such column. */
        public String value(int row, String label) {
            int c = column(label);
            if (c < 0) {
                throw new IllegalArgumentException("block data_" + name + " has no column " + label);
            }
            return rows.get(row).get(c);
        }

        public double number(int row, String label) {
            return Double.parseDouble(value(row, label));
        }
    }

    /** {@code index@stack} with the 1-based index on six digits, as RELION names stack members. */
    public static String imageName(int index, String stack) {
        if (index < 1) {
            throw new IllegalArgumentException("stack indices start at 1, got " + index);
        }
        return String.format(Locale.ROOT, "%06d@%s", index, checkName(stack));
    }

    /** The coordinate file of one micrograph: {@code data_} with X, Y and the figure of merit. */
    public static String coordinates(List<Pick> picks) {
        StringBuilder sb = new StringBuilder();
        header(sb, "", "rlnCoordinateX", "rlnCoordinateY", "rlnAutopickFigureOfMerit");
        for (Pick p : picks) {
            sb.append(String.format(Locale.ROOT, "%12.6f %12.6f %12.6f%n", p.xPx(), p.yPx(), p.score()));
        }
        sb.append('\n');
        return sb.toString();
    }

    /** The particles file: the optics groups, then the particles. */
    /** A motion-corrected micrograph with its CTF, a row of RELION 3.1's micrographs_ctf.star (defocus in Å). */
    public record Micrograph(String micrographName, int opticsGroup, double defocusUA, double defocusVA,
            double defocusAngleDeg, double ctfMaxResolutionA) implements java.io.Serializable {
    }

    /**
     * A micrographs STAR file as RELION 3.1's CTF job writes it: data_optics (micrograph pixel size)
     * and data_micrographs; micrographs without a CTF have 0 defocus and resolution.
     */
    public static String micrographs(List<Optics> optics, List<Micrograph> micrographs) {
        StringBuilder sb = new StringBuilder();
        header(sb, "optics", "rlnOpticsGroupName", "rlnOpticsGroup", "rlnMicrographOriginalPixelSize", "rlnVoltage",
                "rlnSphericalAberration", "rlnAmplitudeContrast", "rlnMicrographPixelSize");
        for (Optics o : optics) {
            sb.append(String.format(Locale.ROOT, "%s %d %.6f %.6f %.6f %.6f %.6f%n", checkName(o.name()), o.group(),
                    o.micrographOriginalPixelSizeA(), o.voltageKv(), o.sphericalAberrationMm(), o.amplitudeContrast(),
                    o.imagePixelSizeA()));
        }
        sb.append('\n');
        header(sb, "micrographs", "rlnMicrographName", "rlnOpticsGroup", "rlnDefocusU", "rlnDefocusV", "rlnDefocusAngle",
                "rlnCtfMaxResolution");
        for (Micrograph m : micrographs) {
            sb.append(String.format(Locale.ROOT, "%s %d %.6f %.6f %.6f %.6f%n", checkName(m.micrographName()),
                    m.opticsGroup(), m.defocusUA(), m.defocusVA(), m.defocusAngleDeg(), m.ctfMaxResolutionA()));
        }
        sb.append('\n');
        return sb.toString();
    }

    public static String particles(List<Optics> optics, List<Particle> particles) {
        StringBuilder sb = new StringBuilder();
        header(sb, "optics", "rlnOpticsGroupName", "rlnOpticsGroup", "rlnMicrographOriginalPixelSize", "rlnVoltage",
                "rlnSphericalAberration", "rlnAmplitudeContrast", "rlnImagePixelSize", "rlnImageSize",
                "rlnImageDimensionality");
        for (Optics o : optics) {
            sb.append(String.format(Locale.ROOT, "%s %d %.6f %.6f %.6f %.6f %.6f %d 2%n", checkName(o.name()), o.group(),
                    o.micrographOriginalPixelSizeA(), o.voltageKv(), o.sphericalAberrationMm(), o.amplitudeContrast(),
                    o.imagePixelSizeA(), o.imageSize()));
        }
        sb.append('\n');
        header(sb, "particles", "rlnImageName", "rlnMicrographName", "rlnCoordinateX", "rlnCoordinateY",
                "rlnAutopickFigureOfMerit", "rlnOpticsGroup", "rlnDefocusU", "rlnDefocusV", "rlnDefocusAngle",
                "rlnPhaseShift");
        for (Particle p : particles) {
            sb.append(String.format(Locale.ROOT, "%s %s %.6f %.6f %.6f %d %.6f %.6f %.6f %.6f%n", checkName(p.imageName()),
                    checkName(p.micrographName()), p.xPx(), p.yPx(), p.figureOfMerit(), p.opticsGroup(), p.defocusUA(),
                    p.defocusVA(), p.defocusAngleDeg(), p.phaseShiftDeg()));
        }
        sb.append('\n');
        return sb.toString();
    }

    private static void header(StringBuilder sb, String name, String... labels) {
        sb.append('\n').append(VERSION).append("\n\ndata_").append(name).append("\n\nloop_\n");
        for (int i = 0; i < labels.length; i++) {
            sb.append('_').append(labels[i]).append(" #").append(i + 1).append('\n');
        }
    }

    private static String checkName(String s) {
        if (s.isEmpty() || s.chars().anyMatch(Character::isWhitespace) || s.startsWith("_") || s.startsWith("#")) {
            throw new IllegalArgumentException("a STAR value cannot be empty, hold whitespace or start with _ or #: '"
                    + s + "'");
        }
        return s;
    }

    /**
     * The data blocks of STAR text: loops (column labels, then rows of whitespace-separated values;
     * values may be quoted with ' or ") and key-value blocks (one row). Comments ({@code #} to the end
     * of a line outside quotes) and blank lines are skipped.
     */
    public static List<Block> parse(String text) {
        List<Block> blocks = new ArrayList<>();
        String name = null;
        boolean loop = false;
        boolean inHeader = false;
        List<String> columns = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<String> pairValues = new ArrayList<>();
        int lineNo = 0;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            List<String> tokens = tokens(raw, lineNo);
            if (tokens.isEmpty()) {
                continue;
            }
            String first = tokens.get(0);
            if (first.startsWith("data_")) {
                if (name != null) {
                    blocks.add(block(name, loop, columns, rows, pairValues));
                }
                name = first.substring(5);
                loop = false;
                inHeader = false;
                columns = new ArrayList<>();
                rows = new ArrayList<>();
                pairValues = new ArrayList<>();
            } else if (name == null) {
                throw new IllegalArgumentException("line " + lineNo + ": content before the first data_ block");
            } else if (first.equals("loop_")) {
                if (loop || !columns.isEmpty()) {
                    throw new IllegalArgumentException("line " + lineNo + ": one loop per block is supported");
                }
                loop = true;
                inHeader = true;
            } else if (first.startsWith("_")) {
                if (loop && !inHeader) {
                    throw new IllegalArgumentException("line " + lineNo + ": label " + first + " after the loop's rows");
                }
                columns.add(first.substring(1));
                if (!loop) {
                    if (tokens.size() < 2) {
                        throw new IllegalArgumentException("line " + lineNo + ": " + first + " has no value");
                    }
                    pairValues.add(tokens.get(1));
                }
            } else if (loop) {
                inHeader = false;
                if (tokens.size() != columns.size()) {
                    throw new IllegalArgumentException("line " + lineNo + ": " + tokens.size() + " values for "
                            + columns.size() + " columns");
                }
                rows.add(Collections.unmodifiableList(tokens));
            } else {
                throw new IllegalArgumentException("line " + lineNo + ": value outside a loop: " + first);
            }
        }
        if (name != null) {
            blocks.add(block(name, loop, columns, rows, pairValues));
        }
        return blocks;
    }

    /** The block named {@code name} in {@code blocks}; throws when absent. */
    public static Block block(List<Block> blocks, String name) {
        for (Block b : blocks) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        throw new IllegalArgumentException("no data_" + name + " block");
    }

    private static Block block(String name, boolean loop, List<String> columns, List<List<String>> rows,
            List<String> pairValues) {
        List<List<String>> r = loop ? rows : pairValues.isEmpty() ? List.of() : List.of(List.copyOf(pairValues));
        return new Block(name, loop, List.copyOf(columns), List.copyOf(r));
    }

    private static List<String> tokens(String line, int lineNo) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\'' || c == '"') {
                int end = line.indexOf(c, i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("line " + lineNo + ": unterminated quote");
                }
                out.add(line.substring(i + 1, end));
                i = end + 1;
            } else {
                int start = i;
                while (i < n && !Character.isWhitespace(line.charAt(i))) {
                    i++;
                }
                out.add(line.substring(start, i));
            }
        }
        return out;
    }
}
