package org.fieldwork.microscopy;

import java.io.Serializable;

/**
 * How regions are classed by size and position: a region of at most {@code ignoreMaxArea} pixels
 * is ignored (debris, noise); one that touches the border is an edge cell (cut off, its intensity
 * incomplete); a good cell is not an edge cell and has an area within [goodMinArea, goodMaxArea].
 * PyAMA's values: 300, 1000, 10000.
 */
public record CellClasses(int ignoreMaxArea, int goodMinArea, int goodMaxArea) implements Serializable {

    public static final CellClasses PYAMA = new CellClasses(300, 1000, 10000);

    public CellClasses {
        if (ignoreMaxArea < 0 || goodMinArea < 0 || goodMaxArea < goodMinArea) {
            throw new IllegalArgumentException("cell size limits must satisfy 0 <= ignore, 0 <= min good area <= max good area; got "
                    + ignoreMaxArea + ", " + goodMinArea + ", " + goodMaxArea);
        }
    }

    public boolean ignored(CellRegions r, int label) {
        return r.area(label) <= ignoreMaxArea;
    }

    public boolean good(CellRegions r, int label) {
        int a = r.area(label);
        return !r.touchesBorder(label) && a >= goodMinArea && a <= goodMaxArea;
    }
}
