package org.fieldwork.seismic;

import java.io.Serializable;

/**
 * The trace header field whose value is constant within a gather (ensemble): a segyio trace field
 * name ({@code CDP}, {@code FieldRecord}, {@code INLINE_3D}, ...) or a byte mapping {@code BYTE:WIDTH}.
 */
public record EnsembleKey(HeaderField field) implements Serializable {

    public static EnsembleKey of(TraceField field) {
        return new EnsembleKey(field.asHeaderField());
    }

    /** Parses {@code cdp}, {@code fldr}, {@code inline}, {@code crossline}, {@code CDP}, {@code FieldRecord}, any segyio trace field name, or {@code 189:4}. */
    public static EnsembleKey parse(String spec) {
        String s = spec.trim();
        int colon = s.indexOf(':');
        if (colon > 0) {
            try {
                int position = Integer.parseInt(s.substring(0, colon).trim());
                int width = Integer.parseInt(s.substring(colon + 1).trim());
                return new EnsembleKey(HeaderField.mapping(position, width));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("ensemble key '" + spec + "': expected BYTE:WIDTH such as 189:4", e);
            }
        }
        TraceField f = TraceField.byName(switch (s.toLowerCase(java.util.Locale.ROOT)) {
            // The short names users type on the command line.
            case "cdp" -> "CDP";
            case "fldr" -> "FieldRecord";
            case "inline", "il" -> "INLINE_3D";
            case "crossline", "xl" -> "CROSSLINE_3D";
            default -> s;
        });
        if (f == null) {
            throw new IllegalArgumentException("ensemble key '" + spec
                    + "': not a segyio trace field name (CDP, FieldRecord, INLINE_3D, CROSSLINE_3D, ...) nor BYTE:WIDTH");
        }
        return of(f);
    }

    public String name() {
        return field.name();
    }
}
