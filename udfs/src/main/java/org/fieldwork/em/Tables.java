package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.example.data.Group;
import org.fieldwork.io.Storage;

/** Optional Parquet fields of the EM tables, written and read the one way. */
final class Tables {
    private Tables() {
    }

    static org.apache.hadoop.fs.Path hadoopPath(String path) {
        return Storage.isLocal(path) ? new org.apache.hadoop.fs.Path(Storage.localPath(path).toUri())
                : new org.apache.hadoop.fs.Path(path);
    }

    static void addInt(Group g, String field, Integer v) {
        if (v != null) {
            g.add(field, v);
        }
    }

    static void addDouble(Group g, String field, Double v) {
        if (v != null) {
            g.add(field, v);
        }
    }

    static void addString(Group g, String field, String v) {
        if (v != null) {
            g.add(field, v);
        }
    }

    static void addList(Group g, String field, List<Double> values) {
        if (values != null) {
            Group list = g.addGroup(field);
            for (Double v : values) {
                Group e = list.addGroup("list");
                if (v != null) {
                    e.add("element", v);
                }
            }
        }
    }

    static Integer integer(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getInteger(field, 0) : null;
    }

    static Double real(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getDouble(field, 0) : null;
    }

    static String string(Group g, String field) {
        return g.getFieldRepetitionCount(field) > 0 ? g.getString(field, 0) : null;
    }

    static List<Double> list(Group g, String field) {
        if (g.getFieldRepetitionCount(field) == 0) {
            return null;
        }
        Group list = g.getGroup(field, 0);
        List<Double> out = new ArrayList<>();
        for (int i = 0; i < list.getFieldRepetitionCount("list"); i++) {
            Group e = list.getGroup("list", i);
            out.add(e.getFieldRepetitionCount("element") > 0 ? e.getDouble("element", 0) : null);
        }
        return out;
    }
}
