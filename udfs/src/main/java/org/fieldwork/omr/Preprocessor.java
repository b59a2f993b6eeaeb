package org.fieldwork.omr;

import java.io.Serializable;
import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * One step of a template's {@code preProcessors} list, applied to the gray sheet at processing size.
 * Implementations are immutable plain data (marker and reference images are kept as bytes), so a
 * template serializes to Spark tasks and one instance serves many threads; all OpenCV objects live
 * only for the duration of {@link #apply}.
 */
public interface Preprocessor extends Serializable {
    /** The name used in template.json. */
    String name();

    /**
     * Returns the processed image. Throws {@link PreprocessorFailure} when the sheet lacks what the
     * step looks for (page edge, markers); that sheet goes to ErrorFiles.
     */
    Mat apply(Mat image, SheetWork stages);

    /** Files this step reads that sit among the sheets and must not be processed as sheets. */
    default List<String> referencedFiles() {
        return List.of();
    }
}
