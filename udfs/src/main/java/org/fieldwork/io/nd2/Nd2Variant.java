package org.fieldwork.io.nd2;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One value of ND2 metadata, as NIS-Elements stores it in both encodings (binary "LV" in version 3,
 * XML in version 2): a named scalar, or a named level holding an ordered list of values. Names may
 * repeat inside a level, and list items have an empty name.
 */
public final class Nd2Variant {

    /** The value kinds, with their LV type codes and XML run-type names. */
    public enum Kind {
        BOOL(1, "bool"),
        INT32(2, "lx_int32"),
        UINT32(3, "lx_uint32"),
        INT64(4, "lx_int64"),
        UINT64(5, "lx_uint64"),
        DOUBLE(6, "double"),
        POINTER(7, "lx_uint64"),
        STRING(8, "CLxStringW"),
        BYTES(9, "CLxByteArray"),
        LEVEL(11, "CLxListVariant");

        final int lvCode;
        final String xmlType;

        Kind(int lvCode, String xmlType) {
            this.lvCode = lvCode;
            this.xmlType = xmlType;
        }
    }

    private final String name;
    private final Kind kind;
    private final Object value;
    private final List<Nd2Variant> children;

    private Nd2Variant(String name, Kind kind, Object value, List<Nd2Variant> children) {
        this.name = name;
        this.kind = kind;
        this.value = value;
        this.children = children;
    }

    public static Nd2Variant level(String name, List<Nd2Variant> children) {
        return new Nd2Variant(name, Kind.LEVEL, null, Collections.unmodifiableList(new ArrayList<>(children)));
    }

    public static Nd2Variant level(String name, Nd2Variant... children) {
        return level(name, List.of(children));
    }

    public static Nd2Variant bool(String name, boolean v) {
        return new Nd2Variant(name, Kind.BOOL, v, null);
    }

    public static Nd2Variant i32(String name, int v) {
        return new Nd2Variant(name, Kind.INT32, (long) v, null);
    }

    public static Nd2Variant u32(String name, long v) {
        return new Nd2Variant(name, Kind.UINT32, v & 0xffffffffL, null);
    }

    public static Nd2Variant i64(String name, long v) {
        return new Nd2Variant(name, Kind.INT64, v, null);
    }

    public static Nd2Variant u64(String name, long v) {
        return new Nd2Variant(name, Kind.UINT64, v, null);
    }

    public static Nd2Variant pointer(String name, long v) {
        return new Nd2Variant(name, Kind.POINTER, v, null);
    }

    public static Nd2Variant f64(String name, double v) {
        return new Nd2Variant(name, Kind.DOUBLE, v, null);
    }

    public static Nd2Variant string(String name, String v) {
        return new Nd2Variant(name, Kind.STRING, v, null);
    }

    public static Nd2Variant bytes(String name, byte[] v) {
        return new Nd2Variant(name, Kind.BYTES, v.clone(), null);
    }

    public String name() {
        return name;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isLevel() {
        return kind == Kind.LEVEL;
    }

    /** The items of a level (empty for a scalar). */
    public List<Nd2Variant> children() {
        return children == null ? List.of() : children;
    }

    /** Boolean, Long (every integer kind; u64 as its bits), Double, String or byte[]; null for a level. */
    public Object value() {
        return value instanceof byte[] b ? b.clone() : value;
    }

    /** The first item of this level with the given name, or null. */
    public Nd2Variant child(String childName) {
        for (Nd2Variant c : children()) {
            if (c.name.equals(childName)) {
                return c;
            }
        }
        return null;
    }

    /** The value at a path of names below this one, or null where any step is missing. */
    public Nd2Variant find(String... path) {
        Nd2Variant v = this;
        for (String step : path) {
            v = v.child(step);
            if (v == null) {
                return null;
            }
        }
        return v;
    }

    /**
     * Strips wrappers: a level whose only item is another level (the LV root's "SLxImageAttributes",
     * XML's "variant" / "no_name" / "i0000000000") stands for that item.
     */
    public Nd2Variant unwrap() {
        Nd2Variant v = this;
        while (v.isLevel() && v.children().size() == 1 && v.children().get(0).isLevel()) {
            v = v.children().get(0);
        }
        return v;
    }

    public long asLong(long fallback) {
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        }
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return d.longValue();
        }
        return fallback;
    }

    public double asDouble(double fallback) {
        if (value instanceof Double d) {
            return d;
        }
        if (value instanceof Long l) {
            return kind == Kind.UINT64 && l < 0 ? (double) (l >>> 1) * 2.0 + (l & 1) : l;
        }
        return fallback;
    }

    public boolean asBool(boolean fallback) {
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Long l) {
            return l != 0;
        }
        return fallback;
    }

    public String asString(String fallback) {
        return value instanceof String s ? s : fallback;
    }

    /** The long value of the named item, or the fallback. */
    public long childLong(String childName, long fallback) {
        Nd2Variant c = child(childName);
        return c == null ? fallback : c.asLong(fallback);
    }

    public double childDouble(String childName, double fallback) {
        Nd2Variant c = child(childName);
        return c == null ? fallback : c.asDouble(fallback);
    }

    public String childString(String childName, String fallback) {
        Nd2Variant c = child(childName);
        return c == null ? fallback : c.asString(fallback);
    }

    public boolean childBool(String childName, boolean fallback) {
        Nd2Variant c = child(childName);
        return c == null ? fallback : c.asBool(fallback);
    }

    @Override
    public String toString() {
        if (isLevel()) {
            return name + "[" + children().size() + " items]";
        }
        return name + "=" + (value instanceof byte[] b ? b.length + " bytes" : value);
    }
}
