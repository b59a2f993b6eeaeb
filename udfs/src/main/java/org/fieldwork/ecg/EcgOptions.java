package org.fieldwork.ecg;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What to compute for each ECG image and how.
 *
 * @param ops          the operations asked for (their prerequisites run too, see {@link EcgOp#withPrerequisites})
 * @param method       the edge map's method (and so the content box's)
 * @param colorMethod  the colour space that separates trace and grid
 * @param padding      pixels added on every side of the content box for the crop
 * @param images       whether to encode the edge map, crop, trace image and grid mask as PNG
 * @param sampleRateHz the rate digitized leads are resampled to
 */
public record EcgOptions(Set<EcgOp> ops, EdgeMethod method, ColorSeparation.Method colorMethod, int padding,
        boolean images, double sampleRateHz) implements Serializable {

    /** The reference's defaults: every op but digitize, canny edges, Lab, 10 px padding; 500 Hz leads. */
    public static final EcgOptions DEFAULT = new EcgOptions(EnumSet.range(EcgOp.EDGES, EcgOp.QUALITY), EdgeMethod.CANNY,
            ColorSeparation.Method.LAB, ContentBox.DEFAULT_PADDING, false, 500);

    public EcgOptions {
        if (ops == null || ops.isEmpty()) {
            throw new IllegalArgumentException("no ECG operation given");
        }
        ops = EnumSet.copyOf(ops);
        if (method == null || colorMethod == null) {
            throw new IllegalArgumentException("an edge method and a colour method are needed");
        }
        if (padding < 0) {
            throw new IllegalArgumentException("--padding must not be negative, got " + padding);
        }
        if (!(sampleRateHz > 0) || sampleRateHz > 10_000) {
            throw new IllegalArgumentException("--sample-rate must be between 0 and 10000 Hz, got " + sampleRateHz);
        }
    }

    public EcgOptions withOps(Set<EcgOp> newOps) {
        return new EcgOptions(newOps, method, colorMethod, padding, images, sampleRateHz);
    }

    public EcgOptions withMethod(EdgeMethod m) {
        return new EcgOptions(ops, m, colorMethod, padding, images, sampleRateHz);
    }

    public EcgOptions withColorMethod(ColorSeparation.Method m) {
        return new EcgOptions(ops, method, m, padding, images, sampleRateHz);
    }

    public EcgOptions withImages(boolean encode) {
        return new EcgOptions(ops, method, colorMethod, padding, encode, sampleRateHz);
    }

    /** Whether {@code op} runs: asked for, or needed by one that was. */
    public boolean runs(EcgOp op) {
        return EcgOp.withPrerequisites(ops).contains(op);
    }

    /** Everything that changes an image's results, as text (a job stores it to redo images when it changes). */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ops", ops.stream().map(EcgOp::label).collect(Collectors.joining(",")));
        m.put("method", method.label());
        m.put("colorMethod", colorMethod.label());
        m.put("padding", Integer.toString(padding));
        m.put("images", Boolean.toString(images));
        if (ops.contains(EcgOp.DIGITIZE)) {
            m.put("sampleRateHz", Double.toString(sampleRateHz));
        }
        return m;
    }
}
