package org.fieldwork.microscopy;

import java.util.Arrays;

/**
 * One synthetic cell's outline in one frame: an ellipse with centre (cx, cy) in pixel
 * coordinates (x = column, y = row), semi-axes a (long, along {@code angle}) and b. A pixel
 * belongs to the cell when its centre (x, y) lies inside; every raster of the cell goes through
 * {@link #covers} so labels, truth and images agree to the pixel.
 */
final class SyntheticCellShape {
    final double cx;
    final double cy;
    final double a;
    final double b;
    final double angle;
    private final double cos;
    private final double sin;
    private final double inverseA2;
    private final double inverseB2;
    private final double halfWidth;
    private final double halfHeight;
    private double[] outline;

    SyntheticCellShape(double cx, double cy, double a, double b, double angle) {
        this.cx = cx;
        this.cy = cy;
        this.a = a;
        this.b = b;
        this.angle = angle;
        this.cos = StrictMath.cos(angle);
        this.sin = StrictMath.sin(angle);
        this.inverseA2 = 1.0 / (a * a);
        this.inverseB2 = 1.0 / (b * b);
        this.halfWidth = StrictMath.sqrt(a * a * cos * cos + b * b * sin * sin);
        this.halfHeight = StrictMath.sqrt(a * a * sin * sin + b * b * cos * cos);
    }

    SyntheticCellShape movedTo(double x, double y) {
        return new SyntheticCellShape(x, y, a, b, angle);
    }

    SyntheticCellShape resized(double longAxis, double turnedAngle) {
        return new SyntheticCellShape(cx, cy, longAxis, b, turnedAngle);
    }

    double area() {
        return Math.PI * a * b;
    }

    double halfWidth() {
        return halfWidth;
    }

    double halfHeight() {
        return halfHeight;
    }

    /** The ellipse's quadratic form at (x, y): at most 1 inside, 1 on the outline. */
    double form(double x, double y) {
        double dx = x - cx;
        double dy = y - cy;
        double u = dx * cos + dy * sin;
        double v = dy * cos - dx * sin;
        return u * u * inverseA2 + v * v * inverseB2;
    }

    boolean covers(int x, int y) {
        return form(x, y) <= 1.0;
    }

    /**
     * Approximate distance from an outside point to the outline (the form's excess over its
     * gradient's length, given the form at that point): exact to first order near the outline,
     * which is all a halo a few pixels wide needs.
     */
    double outsideDistance(double x, double y, double form) {
        double dx = x - cx;
        double dy = y - cy;
        double u = (dx * cos + dy * sin) * inverseA2;
        double v = (dy * cos - dx * sin) * inverseB2;
        return (form - 1.0) / (2.0 * Math.sqrt(u * u + v * v));
    }

    int minX() {
        return (int) Math.ceil(cx - halfWidth);
    }

    int maxX() {
        return (int) Math.floor(cx + halfWidth);
    }

    int minY() {
        return (int) Math.ceil(cy - halfHeight);
    }

    int maxY() {
        return (int) Math.floor(cy + halfHeight);
    }

    /** Whether the whole ellipse keeps at least {@code margin} pixels from every frame edge. */
    boolean inside(int width, int height, double margin) {
        return cx - halfWidth >= margin && cx + halfWidth <= width - 1 - margin
                && cy - halfHeight >= margin && cy + halfHeight <= height - 1 - margin;
    }

    /**
     * Whether the two outlines are at least {@code gap} pixels apart. Conservative: outline
     * samples at most 2 px apart must clear {@code gap} plus that spacing, so the true distance
     * is never below {@code gap}.
     */
    boolean clearOf(SyntheticCellShape other, double gap) {
        double dx = other.cx - cx;
        double dy = other.cy - cy;
        double reach = a + other.a + gap;
        if (dx * dx + dy * dy >= reach * reach) {
            return true;
        }
        double[] mine = outline();
        double[] theirs = other.outline();
        for (int i = 0; i < mine.length; i += 2) {
            if (other.form(mine[i], mine[i + 1]) <= 1.0) {
                return false;
            }
        }
        for (int i = 0; i < theirs.length; i += 2) {
            if (form(theirs[i], theirs[i + 1]) <= 1.0) {
                return false;
            }
        }
        double need = gap + 0.5 * (spacing() + other.spacing());
        // Only outline points within reach of the other ellipse can be closer than need.
        double[] near = within(theirs, cx, cy, a + need);
        double need2 = need * need;
        double reach2 = (other.a + need) * (other.a + need);
        for (int i = 0; i < mine.length; i += 2) {
            double mx = mine[i];
            double my = mine[i + 1];
            double ox = mx - other.cx;
            double oy = my - other.cy;
            if (ox * ox + oy * oy >= reach2) {
                continue;
            }
            for (int j = 0; j < near.length; j += 2) {
                double tx = near[j] - mx;
                double ty = near[j + 1] - my;
                if (tx * tx + ty * ty < need2) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double[] within(double[] points, double x, double y, double radius) {
        double[] kept = new double[points.length];
        int n = 0;
        double r2 = radius * radius;
        for (int i = 0; i < points.length; i += 2) {
            double dx = points[i] - x;
            double dy = points[i + 1] - y;
            if (dx * dx + dy * dy < r2) {
                kept[n++] = points[i];
                kept[n++] = points[i + 1];
            }
        }
        return Arrays.copyOf(kept, n);
    }

    private int outlineSamples() {
        return Math.max(16, (int) Math.ceil(Math.PI * a));
    }

    /** Upper bound of the distance between neighbouring outline samples. */
    private double spacing() {
        return 2 * Math.PI * a / outlineSamples();
    }

    /** Outline samples (x, y pairs), computed once: a shape is checked against many neighbours. */
    private double[] outline() {
        if (outline != null) {
            return outline;
        }
        int n = outlineSamples();
        double[] points = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double t = 2 * Math.PI * i / n;
            double u = a * StrictMath.cos(t);
            double v = b * StrictMath.sin(t);
            points[2 * i] = cx + u * cos - v * sin;
            points[2 * i + 1] = cy + u * sin + v * cos;
        }
        outline = points;
        return points;
    }
}
