package org.fieldwork.sql;

import org.apache.spark.sql.SparkSession;

/**
 * Registers Fieldwork's SQL functions on a session, in one place, so `fieldwork sql`, notebooks
 * and jobs see the same set. Each function wraps plain Java from the domain packages.
 */
public final class FieldworkFunctions {
    private FieldworkFunctions() {
    }

    public static void register(SparkSession spark) {
    }
}
