package org.fieldwork.io.parquet;

import java.util.ArrayList;
import java.util.List;

/**
 * A block of rows held as primitive columns, the shape readers produce (one array per header
 * field), written to Parquet without building row objects.
 */
public final class ColumnBatch {
    private final List<String> names = new ArrayList<>();
    private final List<ColumnType> types = new ArrayList<>();
    private final List<Object> data = new ArrayList<>();
    private int rows;

    public ColumnBatch(int rows) {
        this.rows = rows;
    }

    public int rows() {
        return rows;
    }

    /** Uses only the first {@code n} rows of every column (a short last block). */
    public void setRows(int n) {
        this.rows = n;
    }

    public ColumnBatch int32(String name, int[] values) {
        return add(name, ColumnType.INT32, values);
    }

    public ColumnBatch int64(String name, long[] values) {
        return add(name, ColumnType.INT64, values);
    }

    public ColumnBatch float64(String name, double[] values) {
        return add(name, ColumnType.FLOAT64, values);
    }

    public ColumnBatch string(String name, String[] values) {
        return add(name, ColumnType.STRING, values);
    }

    private ColumnBatch add(String name, ColumnType type, Object values) {
        if (java.lang.reflect.Array.getLength(values) < rows) {
            throw new IllegalArgumentException("column " + name + " has fewer than " + rows + " rows");
        }
        names.add(name);
        types.add(type);
        data.add(values);
        return this;
    }

    public List<String> names() {
        return names;
    }

    public List<ColumnType> types() {
        return types;
    }

    Object column(int i) {
        return data.get(i);
    }
}
