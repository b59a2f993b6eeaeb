package org.fieldwork.ecg;

/**
 * What {@link GridDetector} found on a grid mask. Spacings are in pixels (NaN when fewer than two
 * lines were found); line counts are distinct lines after merging; {@code pxPerMm} is NaN when
 * neither spacing is known.
 *
 * @param fineSpacingPx median gap between fine (1 mm) lines, pooled over both directions
 * @param boldSpacingPx median gap between bold (5 mm) lines, pooled over both directions
 * @param horizontalLines horizontal lines kept by the fine opening (fine and bold lines alike)
 * @param verticalLines vertical lines kept by the fine opening
 * @param boldHorizontalLines horizontal lines kept by the bold opening
 * @param boldVerticalLines vertical lines kept by the bold opening
 * @param pxPerMm pixels per millimetre of paper
 * @param basis which spacing {@code pxPerMm} comes from
 */
public record Grid(double fineSpacingPx, double boldSpacingPx, int horizontalLines, int verticalLines,
        int boldHorizontalLines, int boldVerticalLines, double pxPerMm, Basis basis) {

    /** Where the scale came from. */
    public enum Basis {
        /** bold spacing / 5 */
        BOLD,
        /** fine spacing */
        FINE,
        /** no spacing found */
        NONE
    }

    /** Grid lines found, horizontal plus vertical (the quality gate counts these). */
    public int lineCount() {
        return horizontalLines + verticalLines;
    }

    /** The scan resolution this grid implies: px per mm times 25.4. */
    public double impliedDpi() {
        return pxPerMm * 25.4;
    }
}
