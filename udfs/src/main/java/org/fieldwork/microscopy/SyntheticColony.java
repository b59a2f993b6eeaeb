package org.fieldwork.microscopy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.fieldwork.microscopy.SyntheticCellPath.Kind;

/**
 * Simulates where every synthetic cell is in every frame, before any pixel is drawn: placement,
 * slow persistent motion, growth by elongation, division along the long axis, and cells
 * placed after frame 0. Every proposed outline must keep {@code minGap} pixels from every
 * other cell and (except border cells) from the frame edges; a move that would not is
 * dropped for a smaller step (grow in place, then nothing), so no two cells ever come closer.
 *
 * <p>Within one frame, cells are updated in order; a cell's proposal is checked against the
 * new outlines of the cells already updated and the previous outlines of those still to come.
 * Keeping the previous outline therefore always stays valid, which is what makes the fallback
 * safe.
 */
final class SyntheticColony {
    private static final int PLACEMENT_TRIES = 400;
    private static final double BORDER_FRACTION = 0.10;
    private static final double SMALL_FRACTION = 0.08;
    private static final double LATE_FRACTION = 0.10;

    private final SyntheticTimeLapse.Parameters p;
    private final SplittableRandom random;
    private final SyntheticGaussian gaussian;
    private final List<SyntheticCellPath> cells = new ArrayList<>();
    private final double scale2;
    private int nextId = 1;

    private SyntheticColony(SyntheticTimeLapse.Parameters p, SplittableRandom random) {
        this.p = p;
        this.random = random;
        this.gaussian = new SyntheticGaussian(random);
        this.scale2 = p.cellScale() * p.cellScale();
    }

    /** Every cell of the time-lapse, in id order. */
    static List<SyntheticCellPath> simulate(SyntheticTimeLapse.Parameters p, SplittableRandom random) {
        SyntheticColony colony = new SyntheticColony(p, random);
        colony.run();
        return List.copyOf(colony.cells);
    }

    private void run() {
        int founders = p.cells();
        int border = p.borderCells() ? Math.max(1, (int) Math.round(founders * BORDER_FRACTION)) : 0;
        int small = p.smallCells() ? Math.max(1, (int) Math.round(founders * SMALL_FRACTION)) : 0;
        int late = p.lateCells() && p.frames() > 1 ? Math.max(1, (int) Math.round(founders * LATE_FRACTION)) : 0;
        late = Math.min(late, founders);
        small = Math.min(small, founders - late);
        border = Math.min(border, founders - late - small);
        int growing = founders - late - small - border;

        List<SyntheticCellPath> alive = new ArrayList<>();
        List<SyntheticCellShape> occupied = new ArrayList<>();
        for (int i = 0; i < border; i++) {
            place(Kind.BORDER, 0, random.nextDouble(), alive, occupied);
        }
        for (int i = 0; i < growing; i++) {
            place(Kind.GROWING, 0, random.nextDouble(), alive, occupied);
        }
        for (int i = 0; i < small; i++) {
            place(Kind.SMALL, 0, 0, alive, occupied);
        }
        int[] lateFrames = new int[late];
        for (int i = 0; i < late; i++) {
            lateFrames[i] = 1 + random.nextInt(p.frames() - 1);
        }
        Arrays.sort(lateFrames);
        int placedLate = 0;

        for (int t = 1; t < p.frames(); t++) {
            List<SyntheticCellPath> next = new ArrayList<>(alive.size() + 8);
            List<SyntheticCellShape> settled = new ArrayList<>(alive.size() + 8);
            for (int j = 0; j < alive.size(); j++) {
                step(alive, j, t, next, settled);
            }
            // A late cell that finds no room now tries again in the next frame.
            while (placedLate < late && lateFrames[placedLate] <= t
                    && place(Kind.GROWING, t, 0, next, settled)) {
                placedLate++;
            }
            alive = next;
        }
    }

    /** Places a new cell at a random free spot of frame t; false when none was found. */
    private boolean place(Kind kind, int t, double age, List<SyntheticCellPath> alive,
                          List<SyntheticCellShape> occupied) {
        double birthArea;
        double a;
        double b;
        if (kind == Kind.SMALL) {
            birthArea = scale2 * uniform(140, 280);
            double aspect = uniform(1.0, 1.5);
            a = Math.sqrt(birthArea * aspect / Math.PI);
            b = a / aspect;
        } else {
            birthArea = scale2 * uniform(1500, 4000);
            double aspect = uniform(1.2, 1.8);
            b = Math.sqrt(birthArea / (Math.PI * aspect));
            a = aspect * b * StrictMath.pow(2.0, age);
        }
        double angle = uniform(0, Math.PI);
        double level = uniform(p.signalMin(), p.signalMax());
        double growth = kind == Kind.GROWING ? uniform(p.growthMin(), p.growthMax()) : 0;
        SyntheticCellShape template = new SyntheticCellShape(0, 0, a, b, angle);
        int edge = random.nextInt(4);
        for (int attempt = 0; attempt < PLACEMENT_TRIES; attempt++) {
            SyntheticCellShape shape = kind == Kind.BORDER
                    ? onEdge(template, edge)
                    : template.movedTo(uniform(0, p.width()), uniform(0, p.height()));
            if (shape == null || !withinFrame(kind, shape, edge) || !clear(shape, occupied, null, 0, t)) {
                continue;
            }
            SyntheticCellPath cell = new SyntheticCellPath(nextId++, -1, t, kind, level, birthArea, growth,
                    p.frames(), shape);
            double speed = p.maxSpeed() * uniform(0.25, 1.0) * (kind == Kind.GROWING ? 1.0 : 0.5);
            if (kind == Kind.BORDER) {
                cell.edge = edge;
                double sign = random.nextBoolean() ? 1 : -1;
                cell.vx = edge < 2 ? 0 : sign * speed;
                cell.vy = edge < 2 ? sign * speed : 0;
            } else {
                double heading = uniform(0, 2 * Math.PI);
                cell.vx = speed * StrictMath.cos(heading);
                cell.vy = speed * StrictMath.sin(heading);
            }
            cells.add(cell);
            alive.add(cell);
            occupied.add(shape);
            return true;
        }
        return false;
    }

    /**
     * A border cell's outline with its centre inside the frame but close enough to edge 0 (left),
     * 1 (right), 2 (top) or 3 (bottom) that a good part of the cell lies outside.
     */
    private SyntheticCellShape onEdge(SyntheticCellShape template, int edge) {
        double depth = uniform(0.15, 0.6);
        double w = template.halfWidth();
        double h = template.halfHeight();
        double gap = p.minGap();
        if (edge < 2) {
            double lo = gap + h;
            double hi = p.height() - 1 - gap - h;
            if (hi <= lo) {
                return null;
            }
            double x = edge == 0 ? depth * w : p.width() - 1 - depth * w;
            return template.movedTo(x, uniform(lo, hi));
        }
        double lo = gap + w;
        double hi = p.width() - 1 - gap - w;
        if (hi <= lo) {
            return null;
        }
        double y = edge == 2 ? depth * h : p.height() - 1 - depth * h;
        return template.movedTo(uniform(lo, hi), y);
    }

    /** Advances cell j of {@code alive} from frame t-1 to t. */
    private void step(List<SyntheticCellPath> alive, int j, int t, List<SyntheticCellPath> next,
                      List<SyntheticCellShape> settled) {
        SyntheticCellPath cell = alive.get(j);
        SyntheticCellShape previous = cell.shape(t - 1);
        if (cell.kind == Kind.BORDER) {
            SyntheticCellShape moved = previous.movedTo(previous.cx + cell.vx, previous.cy + cell.vy);
            if (withinFrame(Kind.BORDER, moved, cell.edge) && clear(moved, settled, alive, j + 1, t)) {
                keep(cell, t, moved, next, settled);
            } else {
                cell.vx = -cell.vx;
                cell.vy = -cell.vy;
                keep(cell, t, previous, next, settled);
            }
            return;
        }
        if (cell.kind == Kind.GROWING && p.divisions() && previous.area() >= 2 * cell.birthArea) {
            if (!divide(cell, previous, alive, j, t, next, settled)) {
                keep(cell, t, previous, next, settled);
            }
            return;
        }
        double turn = 0.3 * gaussian.next();
        double vx = cell.vx * StrictMath.cos(turn) - cell.vy * StrictMath.sin(turn);
        double vy = cell.vx * StrictMath.sin(turn) + cell.vy * StrictMath.cos(turn);
        cell.vx = vx;
        cell.vy = vy;
        double angle = previous.angle + 0.03 * gaussian.next();
        double longAxis = previous.a;
        if (cell.kind == Kind.GROWING) {
            longAxis *= 1 + cell.growth;
            if (!p.divisions()) {
                longAxis = Math.min(longAxis, 2 * cell.birthArea / (Math.PI * previous.b));
            }
        }
        SyntheticCellShape moved = new SyntheticCellShape(previous.cx + vx, previous.cy + vy, longAxis,
                previous.b, angle);
        if (fits(moved, alive, j, t, settled)) {
            keep(cell, t, moved, next, settled);
            return;
        }
        // Blocked: head somewhere else next time, and try to grow where the cell is.
        double heading = uniform(0, 2 * Math.PI);
        double speed = StrictMath.hypot(vx, vy);
        cell.vx = speed * StrictMath.cos(heading);
        cell.vy = speed * StrictMath.sin(heading);
        SyntheticCellShape inPlace = previous.resized(longAxis, angle);
        if (fits(inPlace, alive, j, t, settled)) {
            keep(cell, t, inPlace, next, settled);
            return;
        }
        SyntheticCellShape grown = previous.resized(longAxis, previous.angle);
        keep(cell, t, fits(grown, alive, j, t, settled) ? grown : previous, next, settled);
    }

    /**
     * Splits a cell along its long axis into two daughters of half its area, set apart by a
     * little more than {@code minGap} so that they are separate cells from their first frame.
     */
    private boolean divide(SyntheticCellPath parent, SyntheticCellShape shape, List<SyntheticCellPath> alive, int j,
                           int t, List<SyntheticCellPath> next, List<SyntheticCellShape> settled) {
        double half = shape.a / 2;
        double offset = half + p.minGap() / 2 + 2;
        double ux = StrictMath.cos(shape.angle);
        double uy = StrictMath.sin(shape.angle);
        SyntheticCellShape first = new SyntheticCellShape(shape.cx + offset * ux, shape.cy + offset * uy, half,
                shape.b, shape.angle);
        SyntheticCellShape second = new SyntheticCellShape(shape.cx - offset * ux, shape.cy - offset * uy, half,
                shape.b, shape.angle);
        if (!fits(first, alive, j, t, settled) || !fits(second, alive, j, t, settled)) {
            return false;
        }
        double push = 0.5 * p.maxSpeed() * uniform(0.5, 1.0);
        for (int side = 1; side >= -1; side -= 2) {
            SyntheticCellShape daughterShape = side > 0 ? first : second;
            SyntheticCellPath daughter = new SyntheticCellPath(nextId++, parent.id, t, Kind.GROWING, parent.level,
                    daughterShape.area(), parent.growth, p.frames(), daughterShape);
            daughter.vx = parent.vx + side * push * ux;
            daughter.vy = parent.vy + side * push * uy;
            cells.add(daughter);
            next.add(daughter);
            settled.add(daughterShape);
        }
        return true;
    }

    private boolean fits(SyntheticCellShape shape, List<SyntheticCellPath> alive, int j, int t,
                         List<SyntheticCellShape> settled) {
        return withinFrame(Kind.GROWING, shape, 0) && clear(shape, settled, alive, j + 1, t);
    }

    private static void keep(SyntheticCellPath cell, int t, SyntheticCellShape shape, List<SyntheticCellPath> next,
                             List<SyntheticCellShape> settled) {
        cell.extend(t, shape);
        next.add(cell);
        settled.add(shape);
    }

    /**
     * Ordinary cells stay {@code minGap} inside the frame; a border cell (moving along its edge)
     * stays {@code minGap} away from the two edges across its path, so it touches one edge only.
     */
    private boolean withinFrame(Kind kind, SyntheticCellShape shape, int edge) {
        double gap = p.minGap();
        if (kind != Kind.BORDER) {
            return shape.inside(p.width(), p.height(), gap);
        }
        if (edge < 2) {
            return shape.cy - shape.halfHeight() >= gap && shape.cy + shape.halfHeight() <= p.height() - 1 - gap;
        }
        return shape.cx - shape.halfWidth() >= gap && shape.cx + shape.halfWidth() <= p.width() - 1 - gap;
    }

    /**
     * Whether a proposed outline for frame t keeps {@code minGap} from the outlines already set
     * for frame t and from the frame t-1 outlines of alive cells from index {@code from} on.
     */
    private boolean clear(SyntheticCellShape shape, List<SyntheticCellShape> settled, List<SyntheticCellPath> alive,
                          int from, int t) {
        double gap = p.minGap();
        for (SyntheticCellShape other : settled) {
            if (!shape.clearOf(other, gap)) {
                return false;
            }
        }
        if (alive != null) {
            for (int k = from; k < alive.size(); k++) {
                if (!shape.clearOf(alive.get(k).shape(t - 1), gap)) {
                    return false;
                }
            }
        }
        return true;
    }

    private double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }
}
