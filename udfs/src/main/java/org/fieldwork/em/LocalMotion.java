package org.fieldwork.em;

/**
 * Local motion estimated on a grid of patches. Shifts are full-resolution pixels relative to frame 0
 * in the convention of {@link MotionResult}: the content near a patch centre in frame i sits
 * (shiftX, shiftY) from where it sits in frame 0, the global shift included. Per patch they are the
 * measured per-frame values (global shift plus the patch's own residual), anchored to frame 0 by the
 * fitted model's value at the patch centre in frame 0 (not by the noisier single measurement there).
 *
 * @param patchesPerSide the grid is patchesPerSide x patchesPerSide, row by row
 * @param centerX        patch centres in full-resolution pixels of the aligned output
 * @param centerY        patch centres, y
 * @param shiftX         [patch][frame] measured x shifts
 * @param shiftY         [patch][frame] measured y shifts
 * @param model          the smooth model fitted to them, used for the aligned sum
 */
public record LocalMotion(
        int patchesPerSide,
        float[] centerX,
        float[] centerY,
        float[][] shiftX,
        float[][] shiftY,
        MotionModel model) {
}
