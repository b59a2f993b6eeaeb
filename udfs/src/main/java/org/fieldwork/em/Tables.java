package org.fieldwork.em;

import java.util.ArrayList;
import java.util.List;

import org.apache.parquet.example.data.Group;
import org.fieldwork.io.Storage;

/** Optional Parquet fields of the EM tables, written and read the one way. */
final class Tables {
    private Tables() {
    }

    /** Every row of a Parquet file, each made by {@code row}; {@code what} names the table in the error. */
    static <T> List<T> read(Storage storage, String path, String what, java.util.function.Function<Group, T> row)
            throws java.io.IOException {
        List<T> out = new ArrayList<>();
        try (org.apache.parquet.hadoop.ParquetReader<Group> reader = org.apache.parquet.hadoop.ParquetReader
                .builder(new org.apache.parquet.hadoop.example.GroupReadSupport(), hadoopPath(path))
                .withConf(storage.hadoopConfiguration()).build()) {
            for (Group g; (g = reader.read()) != null; ) {
                out.add(row.apply(g));
            }
        } catch (RuntimeException e) {
            throw new java.io.IOException(path + ": cannot read the " + what + ": " + e.getMessage(), e);
        }
        return out;
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
