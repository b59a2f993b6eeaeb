package org.fieldwork.sql;

import java.util.EnumSet;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.bytedeco.javacpp.PointerScope;
import org.fieldwork.ecg.ColorSeparation;
import org.fieldwork.ecg.ContentBox;
import org.fieldwork.ecg.EcgAnalysis;
import org.fieldwork.ecg.EcgImage;
import org.fieldwork.ecg.EcgOp;
import org.fieldwork.ecg.EcgOptions;
import org.fieldwork.ecg.EcgResult;
import org.fieldwork.ecg.EdgeMethod;
import org.fieldwork.ecg.Grid;
import org.fieldwork.ecg.QualityReport;
import org.fieldwork.io.ImageProbe;

/**
 * The ECG SQL functions' bodies: encoded image bytes (binaryFile's {@code content}) in, one part of
 * {@link EcgAnalysis}'s result out as Spark values. NULL content gives NULL; so does content that
 * does not decode as an image, whose reason {@link #error} gives. Any other failure (a kernel
 * device that was required and is missing, a defect) fails the query.
 */
final class EcgFunctions {
    /** The name decode messages carry; {@link #error} drops it, the row's path says which file. */
    private static final String NAME = "content";
    private static final String MESSAGE_PREFIX = "ECG image " + NAME + ": ";

    static final StructType CONTENT_BOX = new StructType()
            .add("x", DataTypes.IntegerType, false)
            .add("y", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false);
    static final StructType GRID = new StructType()
            .add("grid_color", DataTypes.StringType, false)
            .add("fine_px", DataTypes.DoubleType, true)
            .add("bold_px", DataTypes.DoubleType, true)
            .add("lines_h", DataTypes.IntegerType, false)
            .add("lines_v", DataTypes.IntegerType, false)
            .add("px_per_mm", DataTypes.DoubleType, true);
    static final StructType QUALITY = new StructType()
            .add("blur_score", DataTypes.DoubleType, false)
            .add("dpi", DataTypes.DoubleType, false)
            .add("contrast", DataTypes.DoubleType, false)
            .add("grid_lines", DataTypes.IntegerType, false)
            .add("pass", DataTypes.BooleanType, false)
            .add("failures", DataTypes.createArrayType(DataTypes.StringType, false), false);

    private EcgFunctions() {
    }

    /** The edge map as PNG (255 on edges); method canny (NULL), sobel, laplacian or contour. */
    static byte[] edges(byte[] content, String method) {
        EcgResult r = analyze(content, EcgOptions.DEFAULT.withOps(EnumSet.of(EcgOp.EDGES))
                .withMethod(edgeMethod(method)).withImages(true));
        return r == null ? null : r.images().get(EcgAnalysis.EDGES);
    }

    /** The content box (unpadded) from the given method's edge map. */
    static Row contentBox(byte[] content, String method) {
        EcgResult r = analyze(content, EcgOptions.DEFAULT.withOps(EnumSet.of(EcgOp.CROP)).withMethod(edgeMethod(method)));
        if (r == null) {
            return null;
        }
        ContentBox b = r.contentBox();
        return RowFactory.create(b.x(), b.y(), b.width(), b.height());
    }

    /** Grid colour, spacings and line counts; colour method lab (NULL) or hsv. */
    static Row grid(byte[] content, String colorMethod) {
        EcgResult r = analyze(content, EcgOptions.DEFAULT.withOps(EnumSet.of(EcgOp.GRID))
                .withColorMethod(colorMethod(colorMethod)));
        if (r == null) {
            return null;
        }
        Grid g = r.grid();
        return RowFactory.create(r.gridColour().label(), orNull(g.fineSpacingPx()), orNull(g.boldSpacingPx()),
                g.horizontalLines(), g.verticalLines(), orNull(g.pxPerMm()));
    }

    /** The quality gates' scores, whether all passed, and the failed gates' reasons. */
    static Row quality(byte[] content) {
        EcgResult r = analyze(content, EcgOptions.DEFAULT.withOps(EnumSet.of(EcgOp.QUALITY)));
        if (r == null) {
            return null;
        }
        QualityReport q = r.quality();
        return RowFactory.create(q.blurScore(), q.dpiEstimate(), q.contrastScore(), q.gridLines(), q.passed(),
                q.failures());
    }

    /** Why the content does not decode as an image (one line), or NULL when it does (or is NULL). */
    static String error(byte[] content) {
        if (content == null) {
            return null;
        }
        try (PointerScope scope = new PointerScope()) {
            EcgImage.decode(NAME, content);
            return null;
        } catch (ImageProbe.UnreadableImage e) {
            String m = e.getMessage();
            return m.startsWith(MESSAGE_PREFIX) ? m.substring(MESSAGE_PREFIX.length()) : m;
        }
    }

    static EdgeMethod edgeMethod(String text) {
        return text == null ? EcgOptions.DEFAULT.method() : EdgeMethod.parse(text);
    }

    static ColorSeparation.Method colorMethod(String text) {
        return text == null ? EcgOptions.DEFAULT.colorMethod() : ColorSeparation.Method.parse(text.trim());
    }

    private static EcgResult analyze(byte[] content, EcgOptions options) {
        if (content == null) {
            return null;
        }
        try {
            return TaskKernels.apply(kernels -> EcgAnalysis.analyze(NAME, content, options, kernels));
        } catch (ImageProbe.UnreadableImage e) {
            return null;
        }
    }

    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
