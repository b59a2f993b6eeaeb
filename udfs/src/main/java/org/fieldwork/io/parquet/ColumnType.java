package org.fieldwork.io.parquet;

/** The column types Fieldwork's per-task tables use. */
public enum ColumnType {
    INT32,
    INT64,
    FLOAT64,
    STRING
}
