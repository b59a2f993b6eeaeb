package org.fieldwork.microscopy;

/**
 * One synthetic cell from its first frame to its last: identity, lineage, fluorescence level
 * and its outline in every frame it lives. A cell that divides ends the frame before its
 * daughters appear. Also carries the little motion state the colony simulation needs.
 */
final class SyntheticCellPath {
    /** What a cell does: grows and may divide, slides along a frame edge, or stays small. */
    enum Kind { GROWING, BORDER, SMALL }

    final int id;
    final int parentId;
    final int firstFrame;
    final Kind kind;
    final double level;
    /** Area at birth; a growing cell divides (or stops growing) at twice this. */
    final double birthArea;
    /** Relative area growth per frame. */
    final double growth;
    private final SyntheticCellShape[] shapes;
    private int endFrame;
    /** For a border cell, the edge it slides along: 0 left, 1 right, 2 top, 3 bottom. */
    int edge;
    double vx;
    double vy;

    SyntheticCellPath(int id, int parentId, int firstFrame, Kind kind, double level, double birthArea,
                      double growth, int frames, SyntheticCellShape first) {
        this.id = id;
        this.parentId = parentId;
        this.firstFrame = firstFrame;
        this.kind = kind;
        this.level = level;
        this.birthArea = birthArea;
        this.growth = growth;
        this.shapes = new SyntheticCellShape[frames];
        this.shapes[firstFrame] = first;
        this.endFrame = firstFrame + 1;
    }

    /** The outline in frame t, or null where the cell does not exist. */
    SyntheticCellShape shape(int t) {
        return t >= firstFrame && t < endFrame ? shapes[t] : null;
    }

    void extend(int t, SyntheticCellShape shape) {
        shapes[t] = shape;
        endFrame = t + 1;
    }

    /** One past the last frame the cell exists in. */
    int endFrame() {
        return endFrame;
    }
}
