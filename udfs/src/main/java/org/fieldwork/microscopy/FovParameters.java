package org.fieldwork.microscopy;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How a field of view is processed.
 *
 * @param method         "pyama": the reference's algorithms exactly; "fieldwork": the same outputs with the
 *                       reference's known defects fixed (a polynomial background that holds in the corners and
 *                       needs no tiles, lineages through divisions, tracks that start late)
 * @param maskSize       window of the local standard deviation in the binarization (PyAMA: 3)
 * @param divHoriz       background tile divisions along x (PyAMA: 7; pyama method only)
 * @param divVert        background tile divisions along y (PyAMA: 5; pyama method only)
 * @param classes        size limits of ignored and good cells
 * @param minTraceLength frames a track needs to be kept (fieldwork method; pyama keeps only tracks over all frames)
 */
public record FovParameters(String method, int maskSize, int divHoriz, int divVert, CellClasses classes,
                            int minTraceLength) implements Serializable {

    public static final String PYAMA = "pyama";
    public static final String FIELDWORK = "fieldwork";

    public FovParameters {
        if (!PYAMA.equals(method) && !FIELDWORK.equals(method)) {
            throw new IllegalArgumentException("--method must be pyama or fieldwork, got '" + method + "'");
        }
        if (maskSize < 3 || maskSize % 2 == 0) {
            throw new IllegalArgumentException("--mask-size must be odd and at least 3, got " + maskSize);
        }
        if (divHoriz < 3 || divVert < 3) {
            throw new IllegalArgumentException("--div-horiz and --div-vert must be at least 3, got " + divHoriz + " and " + divVert);
        }
        if (minTraceLength < 1) {
            throw new IllegalArgumentException("--min-trace-length must be at least 1, got " + minTraceLength);
        }
    }

    /** The spec's defaults for a method. */
    public static FovParameters defaults(String method) {
        return new FovParameters(method, 3, 7, 5, CellClasses.PYAMA, 3);
    }

    public boolean fieldwork() {
        return FIELDWORK.equals(method);
    }

    /** Settings of the segmentation (binarization). */
    public Map<String, String> segmentationSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("maskSize", Integer.toString(maskSize));
        return m;
    }

    /** Settings of the background correction. */
    public Map<String, String> backgroundSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", method);
        if (!fieldwork()) {
            m.put("divHoriz", Integer.toString(divHoriz));
            m.put("divVert", Integer.toString(divVert));
        } else {
            m.put("polynomialDegree", Integer.toString(PolynomialBackground.DEFAULT_DEGREE));
        }
        return m;
    }

    /** Settings of tracking and traces. */
    public Map<String, String> traceSettings() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("ignoreMaxArea", Integer.toString(classes.ignoreMaxArea()));
        m.put("goodMinArea", Integer.toString(classes.goodMinArea()));
        m.put("goodMaxArea", Integer.toString(classes.goodMaxArea()));
        m.put("minTraceLength", Integer.toString(minTraceLength));
        return m;
    }
}
