package org.fieldwork.kernels;

import com.aparapi.Kernel;

/**
 * The per-pixel part of OpenCV's {@code Canny(src, dst, lo, hi, 3, false)}: from the int16 Sobel
 * derivatives (BORDER_REPLICATE), pass 0 takes the L1 magnitude m = |dx| + |dy|, pass 1 classifies
 * each pixel as {@link #NONE}, {@link #WEAK} or {@link #STRONG} by OpenCV's non-maximum suppression.
 *
 * <p>Only pixels with m &gt; lo are candidates. The direction is chosen in fixed point without a
 * division: with TG22 = round(tan(22.5 deg) * 2^15) = 13573 and y = |dy| * 2^15, y &lt; |dx| * TG22
 * is near horizontal (keep if m &gt; left and m &gt;= right), y &gt; |dx| * TG22 + |dx| * 2^16 (that is,
 * beyond tan(67.5 deg)) near vertical (keep if m &gt; up and m &gt;= down), anything else diagonal
 * along the sign s of dx * dy (keep if m &gt; up[x - s] and m &gt; down[x + s]). The asymmetric
 * &gt; / &gt;= is OpenCV's tie rule on plateaus. Neighbours outside the image count as 0. A kept pixel
 * is strong when m &gt; hi, else weak; {@link CannyHysteresis} links the weak ones.
 */
public final class CannyNmsKernel extends Kernel implements PixelKernel {
    static final byte NONE = 0;
    static final byte WEAK = 1;
    static final byte STRONG = 2;
    private static final int TG22 = 13573;

    int[] dx = new int[1];
    int[] dy = new int[1];
    int[] mag = new int[1];
    byte[] dst = new byte[1];
    int width;
    int height;
    int low;
    int high;

    /** Thresholds already floored to integers and ordered (low &lt;= high), as OpenCV does. */
    void prepare(ShortImage gradX, ShortImage gradY, int lowThreshold, int highThreshold) {
        int n = gradX.width() * gradX.height();
        if (dx.length != n) {
            dx = new int[n];
            dy = new int[n];
            mag = new int[n];
            dst = new byte[n];
        }
        short[] gx = gradX.pixels();
        short[] gy = gradY.pixels();
        for (int i = 0; i < n; i++) {
            dx[i] = gx[i];
            dy[i] = gy[i];
        }
        width = gradX.width();
        height = gradX.height();
        low = lowThreshold;
        high = highThreshold;
    }

    byte[] result() {
        return java.util.Arrays.copyOf(dst, width * height);
    }

    @Override
    public void run() {
        at(getGlobalId(), getPassId());
    }

    /** The Java path's loop, in this class so that the JIT sees one kernel's body and inlines it. */
    @Override
    public void atRange(int from, int to, int pass) {
        for (int i = from; i < to; i++) {
            at(i, pass);
        }
    }

    @Override
    public void at(int i, int pass) {
        if (i < width * height) {
            if (pass == 0) {
                int ax = abs(dx[i]);
                int ay = abs(dy[i]);
                mag[i] = ax + ay;
            } else {
                dst[i] = (byte) classify(i);
            }
        }
    }

    /** 0, 1 or 2 ({@link #NONE}, {@link #WEAK}, {@link #STRONG}); plain ifs so Aparapi translates it. */
    private int classify(int i) {
        int m = mag[i];
        int c = 0;
        if (m > low) {
            int x = i % width;
            int y = i / width;
            int xs = dx[i];
            int ys = dy[i];
            int ax = abs(xs);
            int ay = abs(ys);
            int yShifted = ay << 15;
            int tg22x = ax * TG22;
            int kept = 0;
            if (yShifted < tg22x) {
                if (m > magAt(x - 1, y) && m >= magAt(x + 1, y)) {
                    kept = 1;
                }
            } else if (yShifted > tg22x + (ax << 16)) {
                if (m > magAt(x, y - 1) && m >= magAt(x, y + 1)) {
                    kept = 1;
                }
            } else {
                int s = 1;
                if ((xs ^ ys) < 0) {
                    s = -1;
                }
                if (m > magAt(x - s, y - 1) && m > magAt(x + s, y + 1)) {
                    kept = 1;
                }
            }
            if (kept == 1) {
                c = WEAK;
                if (m > high) {
                    c = STRONG;
                }
            }
        }
        return c;
    }

    /** The magnitude at (x, y), 0 outside the image. */
    private int magAt(int x, int y) {
        int v = 0;
        if (x >= 0 && x < width && y >= 0 && y < height) {
            v = mag[y * width + x];
        }
        return v;
    }
}
