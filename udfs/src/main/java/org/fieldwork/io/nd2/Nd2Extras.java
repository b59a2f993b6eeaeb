package org.fieldwork.io.nd2;

import java.util.Map;

/**
 * What both ND2 readers say the same way: {@code StackInfo.extra} with present values only and
 * whole numbers without ".0", and a frame's name in messages.
 */
final class Nd2Extras {
    private Nd2Extras() {
    }

    static void putIf(Map<String, String> extra, String key, String value) {
        if (value != null && !value.isEmpty()) {
            extra.put(key, value);
        }
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** "frame (position 2, time 5)", with ", z 1" when the file has z slices. */
    static String frame(org.fieldwork.io.stack.StackInfo info, int position, int time, int z) {
        return "frame (position " + position + ", time " + time + (info != null && info.zSlices() > 1 ? ", z " + z : "") + ")";
    }
}
